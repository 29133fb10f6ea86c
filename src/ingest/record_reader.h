// Streams a feed file one record at a time in constant memory, checking its structure as it
// goes: UTF-8 (naming the line and byte offset of the first bad byte), no byte-order mark,
// every record ending in a line break (else the file is truncated), records of bounded size.
// A CSV record may span several physical lines inside a quoted field. Not thread-safe.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"

namespace accompany {

// One record: its text without the line end, the physical line it starts on (1-based) and
// its byte offset in the file. `text` is valid until the next call to next().
struct RawRecord {
  std::string_view text;
  std::int64_t line = 0;
  std::uint64_t offset = 0;
};

class RecordReader {
 public:
  // The largest record accepted; a longer one means the file is not a feed (or is damaged).
  static constexpr size_t kMaxRecordBytes = 1 << 20;

  // Opens `path`; `quoted` makes a double-quoted CSV field able to hold line breaks.
  static Result<std::unique_ptr<RecordReader>> open(const std::string& path, bool quoted);
  ~RecordReader();

  // Reads the next record into `record`; false at the end of the file. An error means the
  // file's structure is broken and the whole file must be refused.
  Result<bool> next(RawRecord& record);

  std::uint64_t bytes_read() const { return consumed_; }
  std::uint64_t file_size() const { return file_size_; }
  // Bytes the reader holds at most (its buffer), for the bounded-memory test.
  size_t buffer_capacity() const { return buffer_.capacity(); }

 private:
  RecordReader(std::FILE* file, std::string path, bool quoted, std::uint64_t size);
  Result<bool> fill();  // reads more of the file behind what is buffered; false at EOF

  std::FILE* file_;
  std::string path_;
  bool quoted_;
  std::uint64_t file_size_;
  std::string buffer_;
  size_t begin_ = 0;  // first unconsumed byte in buffer_
  size_t end_ = 0;    // bytes of buffer_ holding file data
  bool eof_ = false;
  std::uint64_t consumed_ = 0;  // file offset of buffer_[begin_]
  std::int64_t line_ = 1;       // physical line of buffer_[begin_]
};

// Where `text` stops being UTF-8 text: the index of the first bad byte (or NUL byte), or npos.
size_t find_invalid_utf8(std::string_view text);

// BLAKE2b-256 of a whole file as 64 hex characters, read in constant memory.
Result<std::string> file_digest(const std::string& path);

}  // namespace accompany
