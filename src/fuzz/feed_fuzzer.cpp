// libFuzzer target for one feed's parser (ACCOMPANY_FUZZ_FEED names the kind): the input is a
// whole feed file, streamed by RecordReader as the importer does; the first record is checked
// as the header and every record (the header too) goes through map_record, so the mapper sees
// arbitrary rows even when the header is wrong. Errors are expected; crashes, sanitizer
// reports and hangs are the findings.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fmt/format.h>

#include "ingest/feed.h"
#include "ingest/record_reader.h"
#include "ingest/row_mapper.h"

namespace {

constexpr accompany::FeedKind kKind = accompany::FeedKind::ACCOMPANY_FUZZ_FEED;

// The input as a file the reader can open by path, without touching the disk.
class MemoryFile {
 public:
  MemoryFile(const uint8_t* data, size_t size) : fd_(::memfd_create("feed", 0)) {
    size_t written = 0;
    while (fd_ >= 0 && written < size) {
      const ssize_t n = ::write(fd_, data + written, size - written);
      if (n <= 0) break;
      written += static_cast<size_t>(n);
    }
  }
  ~MemoryFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  std::string path() const { return fmt::format("/proc/self/fd/{}", fd_); }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace accompany;
  MemoryFile file(data, size);
  if (!file.ok()) return 0;
  const auto& spec = feed_spec(kKind);
  auto reader = RecordReader::open(file.path(), spec.format == FeedFormat::csv);
  if (!reader) return 0;
  RowScratch scratch;
  const Date today = std::chrono::year{2024} / std::chrono::June / 1;
  RawRecord record;
  bool first = true;
  for (;;) {
    auto more = (*reader)->next(record);
    if (!more || !*more) break;
    if (first && spec.format != FeedFormat::json_lines) (void)check_header(kKind, record.text, scratch);
    first = false;
    std::string row_key;
    (void)map_record(kKind, record.text, scratch, today, row_key);
  }
  return 0;
}
