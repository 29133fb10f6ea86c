// Reads, splits and maps a feed's rows on a thread of its own while the caller writes them into
// the store: the mapping (about a seventh of an import's CPU) overlaps the writes. Rows come in
// chunks through a bounded queue, so memory stays constant however long the file.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "ingest/feed.h"
#include "ingest/record_reader.h"
#include "ingest/row_mapper.h"

namespace accompany {

// One record as read and mapped (the text copied: the reader reuses its buffer).
struct ProducedRow {
  std::int64_t line = 0;
  std::string text;
  std::string row_key;  // filled whenever the key columns could be read
  Result<MappedRow> mapped = make_error(ErrorCode::internal, "not mapped");
};

struct ProducedChunk {
  std::vector<ProducedRow> rows;
  std::uint64_t bytes_read = 0;  // of the file, after the chunk's last row
  std::optional<Error> error;    // the file broke after `rows` (refuse it whole)
  bool last = false;             // no chunk follows
};

class RowProducer {
 public:
  static constexpr std::size_t kChunkRows = 256;
  static constexpr std::size_t kQueuedChunks = 8;

  // Starts reading `reader` (placed after the header, if any) at once. The reader must outlive
  // the producer and is not to be used by the caller until the producer is destroyed.
  RowProducer(RecordReader& reader, FeedKind kind, Date today);
  // Stops reading (a caller that gave up early) and waits for the thread.
  ~RowProducer();
  RowProducer(const RowProducer&) = delete;
  RowProducer& operator=(const RowProducer&) = delete;

  // The next chunk, waiting for it; do not call again after a chunk with `last` set.
  ProducedChunk next();

 private:
  void run();
  // Queues `chunk`, waiting for room; false when the consumer has gone.
  bool push(ProducedChunk chunk);

  RecordReader& reader_;
  FeedKind kind_;
  Date today_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<ProducedChunk> queue_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once everything above is set
};

}  // namespace accompany
