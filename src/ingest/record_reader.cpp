#include "ingest/record_reader.h"

#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace accompany {
namespace {

constexpr size_t kChunkBytes = 1 << 20;

enum class CsvState { field_start, unquoted, quoted, quote_in_quoted };

// One byte of a CSV record. A stray quote (inside an unquoted field, or after a closing one)
// is left for split_csv to report as that row's defect.
CsvState advance(CsvState state, char c) {
  switch (state) {
    case CsvState::field_start:
      return c == '"' ? CsvState::quoted : c == ',' ? CsvState::field_start : CsvState::unquoted;
    case CsvState::unquoted:
      return c == ',' ? CsvState::field_start : CsvState::unquoted;
    case CsvState::quoted:
      return c == '"' ? CsvState::quote_in_quoted : CsvState::quoted;
    case CsvState::quote_in_quoted:
      return c == '"' ? CsvState::quoted : c == ',' ? CsvState::field_start : CsvState::unquoted;
  }
  return state;
}

Error unreadable(const std::string& path) {
  return make_error(ErrorCode::unavailable, fmt::format("cannot read {}: {}", path, std::strerror(errno)));
}

}  // namespace

size_t find_invalid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  size_t i = 0;
  while (i < size) {
    // ASCII fast path, eight bytes at a time.
    while (i + 8 <= size) {
      std::uint64_t word;
      std::memcpy(&word, bytes + i, 8);
      const bool has_zero = ((word - 0x0101010101010101ULL) & ~word & 0x8080808080808080ULL) != 0;
      if ((word & 0x8080808080808080ULL) || has_zero) break;
      i += 8;
    }
    if (i >= size) break;
    const unsigned char c = bytes[i];
    if (c == 0) return i;  // a NUL byte: text databases refuse it, and no feed carries one
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    std::uint32_t code = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
      code = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      code = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      code = c & 0x07;
    } else {
      return i;
    }
    if (i + length > size) return i;
    for (size_t k = 1; k < length; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) return i;
      code = (code << 6) | (bytes[i + k] & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    if ((length == 3 && code < 0x800) || (length == 4 && (code < 0x10000 || code > 0x10FFFF)) ||
        (code >= 0xD800 && code <= 0xDFFF))
      return i;
    i += length;
  }
  return std::string_view::npos;
}

Result<std::unique_ptr<RecordReader>> RecordReader::open(const std::string& path, bool quoted) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) return unreadable(path);
  struct stat info {};
  if (::fstat(fileno(file), &info) != 0 || !S_ISREG(info.st_mode)) {
    std::fclose(file);
    return make_error(ErrorCode::invalid_argument, fmt::format("{} is not a regular file", path));
  }
  return std::unique_ptr<RecordReader>(new RecordReader(file, path, quoted, static_cast<std::uint64_t>(info.st_size)));
}

RecordReader::RecordReader(std::FILE* file, std::string path, bool quoted, std::uint64_t size)
    : file_(file), path_(std::move(path)), quoted_(quoted), file_size_(size) {
  buffer_.resize(kChunkBytes);
}

RecordReader::~RecordReader() {
  std::fclose(file_);
}

Result<bool> RecordReader::fill() {
  if (eof_) return false;
  // Keep the unconsumed tail, then read behind it; grow only while one record needs it.
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) {
    if (buffer_.size() >= kMaxRecordBytes + kChunkBytes)
      return make_error(ErrorCode::invalid_argument,
                        fmt::format("{}: the record starting on line {} is longer than {} bytes; this is not a feed "
                                    "file, or a quote is never closed",
                                    path_, line_, kMaxRecordBytes));
    buffer_.resize(buffer_.size() + kChunkBytes);
  }
  const size_t got = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
  if (got == 0) {
    if (std::ferror(file_)) return unreadable(path_);
    eof_ = true;
    return false;
  }
  end_ += got;
  return true;
}

Result<bool> RecordReader::next(RawRecord& record) {
  size_t scan = begin_;  // start of the physical line not yet looked at
  CsvState state = CsvState::field_start;
  for (;;) {
    const char* data = buffer_.data();
    const char* newline = static_cast<const char*>(std::memchr(data + scan, '\n', end_ - scan));
    if (newline) {
      const size_t stop = static_cast<size_t>(newline - data);
      if (quoted_ && (state == CsvState::quoted || std::memchr(data + scan, '"', stop - scan))) {
        // As RFC 4180 reads it: a quote opens a quoted field only at the field's start.
        for (const char* c = data + scan; c < newline; ++c) state = advance(state, *c);
        if (state == CsvState::quoted) {  // the line break is inside a quoted field
          scan = stop + 1;
          continue;
        }
      }
      std::string_view text(data + begin_, stop - begin_);
      if (consumed_ == 0 && text.starts_with("\xEF\xBB\xBF"))
        return make_error(ErrorCode::invalid_argument,
                          fmt::format("{}: starts with a byte-order mark; feeds are UTF-8 without one", path_));
      if (const size_t bad = find_invalid_utf8(text); bad != std::string_view::npos) {
        const auto line = line_ + std::count(text.begin(), text.begin() + static_cast<long>(bad), '\n');
        return make_error(ErrorCode::invalid_argument,
                          fmt::format("{}: not UTF-8: line {} has byte 0x{:02X} at byte offset {} of the file", path_,
                                      line, static_cast<unsigned char>(text[bad]), consumed_ + bad));
      }
      record.line = line_;
      record.offset = consumed_;
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      record.text = text;
      line_ += 1 + (quoted_ ? std::count(text.begin(), text.end(), '\n') : 0);
      consumed_ += stop + 1 - begin_;
      begin_ = stop + 1;
      return true;
    }
    // No line end yet: read more and look again from the last one counted.
    const size_t scanned = scan - begin_;
    ACCOMPANY_TRY(more, fill());
    scan = begin_ + scanned;
    if (!more) {
      if (end_ == begin_) return false;
      if (state == CsvState::quoted)
        return make_error(ErrorCode::invalid_argument,
                          fmt::format("{}: truncated: the record starting on line {} opens a quoted field that is "
                                      "never closed before the end of the file",
                                      path_, line_));
      return make_error(
          ErrorCode::invalid_argument,
          fmt::format("{}: truncated: the last line (line {}) does not end with a line break", path_, line_));
    }
  }
}

Result<std::string> file_digest(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) return unreadable(path);
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, crypto_generichash_BYTES);
  std::string chunk(kChunkBytes, '\0');
  size_t got;
  while ((got = std::fread(chunk.data(), 1, chunk.size(), file)) > 0)
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(chunk.data()), got);
  const bool failed = std::ferror(file);
  std::fclose(file);
  if (failed) return unreadable(path);
  unsigned char hash[crypto_generichash_BYTES];
  crypto_generichash_final(&state, hash, sizeof hash);
  char hex[crypto_generichash_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return std::string(hex);
}

}  // namespace accompany
