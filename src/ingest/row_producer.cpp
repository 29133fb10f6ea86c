#include "ingest/row_producer.h"

#include <exception>

namespace accompany {

RowProducer::RowProducer(RecordReader& reader, FeedKind kind, Date today)
    : reader_(reader), kind_(kind), today_(today), thread_([this] { run(); }) {}

RowProducer::~RowProducer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

bool RowProducer::push(ProducedChunk chunk) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return stopping_ || queue_.size() < kQueuedChunks; });
  if (stopping_) return false;
  queue_.push_back(std::move(chunk));
  lock.unlock();
  changed_.notify_all();
  return true;
}

ProducedChunk RowProducer::next() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !queue_.empty(); });
  ProducedChunk chunk = std::move(queue_.front());
  queue_.pop_front();
  lock.unlock();
  changed_.notify_all();
  return chunk;
}

void RowProducer::run() {
  ProducedChunk chunk;
  try {
    RowScratch scratch;  // this thread's own buffers
    RawRecord record;
    chunk.rows.reserve(kChunkRows);
    for (;;) {
      auto more = reader_.next(record);
      if (!more || !*more) {
        if (!more) chunk.error = more.error();
        chunk.bytes_read = reader_.bytes_read();
        chunk.last = true;
        push(std::move(chunk));
        return;
      }
      ProducedRow& row = chunk.rows.emplace_back();
      row.line = record.line;
      row.text = record.text;
      row.mapped = map_record(kind_, record.text, scratch, today_, row.row_key);
      if (chunk.rows.size() == kChunkRows) {
        chunk.bytes_read = reader_.bytes_read();
        if (!push(std::move(chunk))) return;
        chunk = ProducedChunk{};
        chunk.rows.reserve(kChunkRows);
      }
    }
  } catch (const std::exception& failure) {
    // The consumer must hear of it: an exception ending the thread would end the process.
    ProducedChunk failed;
    failed.error = make_error(ErrorCode::internal, std::string("reading the feed failed: ") + failure.what());
    failed.last = true;
    push(std::move(failed));
  }
}

}  // namespace accompany
