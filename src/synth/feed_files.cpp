#include "synth/feed_files.h"

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>

namespace accompany::synth {

uint64_t SynthSummary::total_rows() const {
  uint64_t total = 0;
  for (auto n : rows) total += n;
  return total;
}

namespace {

// A file written through a large buffer; the error, if any, is kept until close.
class OutputFile {
 public:
  OutputFile() = default;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile() {
    if (file_) std::fclose(file_);
  }

  Status open(std::filesystem::path final_path) {
    final_ = std::move(final_path);
    temporary_ = final_;
    temporary_ += ".partial";
    file_ = std::fopen(temporary_.c_str(), "wb");
    if (!file_)
      return make_error(ErrorCode::unavailable,
                        fmt::format("cannot create {}: {}", temporary_.string(), std::strerror(errno)));
    buffer_.reserve(kFlushAt + 4096);
    return {};
  }
  void line(std::string_view text) {
    buffer_ += text;
    buffer_ += '\n';
    if (buffer_.size() >= kFlushAt) flush();
  }
  uint64_t bytes() const { return written_ + buffer_.size(); }
  Status close() {
    flush();
    const bool failed = failed_ || std::fclose(file_) != 0;
    file_ = nullptr;
    if (failed)
      return make_error(ErrorCode::unavailable,
                        fmt::format("cannot write {}: {}", temporary_.string(), std::strerror(errno)));
    std::error_code ec;
    std::filesystem::rename(temporary_, final_, ec);
    if (ec)
      return make_error(ErrorCode::unavailable, fmt::format("cannot rename {}: {}", temporary_.string(), ec.message()));
    return {};
  }

 private:
  static constexpr size_t kFlushAt = 1 << 20;
  void flush() {
    if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) failed_ = true;
    written_ += buffer_.size();
    buffer_.clear();
  }
  std::FILE* file_ = nullptr;
  std::filesystem::path final_, temporary_;
  std::string buffer_;
  uint64_t written_ = 0;
  bool failed_ = false;
};

}  // namespace

Result<SynthSummary> write_population(const SynthOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  if (options.children == 0 || options.children > 9'999'999)
    return invalid("children", std::to_string(options.children), "must be between 1 and 9,999,999");
  std::error_code ec;
  std::filesystem::create_directories(options.out, ec);
  if (ec)
    return make_error(ErrorCode::unavailable, fmt::format("cannot create {}: {}", options.out.string(), ec.message()));

  std::array<OutputFile, kAllFeeds.size()> files;
  std::array<uint64_t, kAllFeeds.size()> line{};
  for (size_t i = 0; i < kAllFeeds.size(); ++i) {
    ACCOMPANY_CHECK(files[i].open(options.out / feed_file_name(kAllFeeds[i])));
    const auto header = feed_header(kAllFeeds[i]);
    if (!header.empty()) {
      files[i].line(header);
      line[i] = 1;
    }
  }
  OutputFile truth;
  ACCOMPANY_CHECK(truth.open(options.out / kTruthFileName));
  truth.line(kTruthHeader);

  SynthSummary summary;
  PopulationGenerator population(options.rates, options.seed, options.children);
  FeedRenderer renderer(options.rates, options.seed);
  std::vector<FeedRow> rows;
  std::string truth_line;
  const uint32_t step = std::max<uint32_t>(1, options.children / 200);
  for (uint32_t n = 0; n < options.children; ++n) {
    const TrueChild child = population.next();
    renderer.render(child, rows);
    const std::string child_key = fmt::format("C{:07}", child.index + 1);
    for (const auto& row : rows) {
      const auto f = static_cast<size_t>(row.feed);
      files[f].line(row.text);
      ++summary.rows[f];
      if (row.wrong) ++summary.wrong_rows[f];
      truth_line.clear();
      truth_line += feed_kind(row.feed);
      truth_line += ',';
      truth_line += std::to_string(++line[f]);
      truth_line += ',';
      append_csv_field(truth_line, row.key);
      truth_line += ',';
      truth_line += child_key;
      truth.line(truth_line);
      ++summary.truth_rows;
    }
    if (options.observe) options.observe(child);
    if (options.progress && (n + 1) % step == 0) options.progress(n + 1, options.children);
  }
  for (size_t i = 0; i < files.size(); ++i) {
    summary.bytes[i] = files[i].bytes();
    ACCOMPANY_CHECK(files[i].close());
  }
  ACCOMPANY_CHECK(truth.close());
  summary.children = options.children;
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace accompany::synth
