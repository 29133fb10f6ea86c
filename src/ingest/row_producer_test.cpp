// The producer thread hands over every row of a feed, in order, mapped exactly as mapping it on
// the caller's thread would; it reports a broken file after the rows before the break, and a
// consumer that stops early does not hang it.
#include "ingest/row_producer.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace accompany {
namespace {

constexpr std::string_view kHeader =
    "EVENT_ID,SUBJECT_ID,A_NUMBER,LAST_NAME,FIRST_NAME,DOB,SEX,CITIZENSHIP,EVENT_TYPE,EVENT_DT,LOCATION\n";

std::string cbp_row(int i, bool valid) {
  return fmt::format("CBPE{:010},CBP{:09},{},GARCIA,ANA,04/02/2008,{},GTM,APP,03/01/2021 14:05,RGV Sector\n", i, i,
                     201000000 + i, valid ? "F" : "Q");
}

std::string write_feed(const std::string& name, const std::string& bytes) {
  const auto path = std::filesystem::temp_directory_path() / fmt::format("producer-{}-{}", getpid(), name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path.string();
}

std::unique_ptr<RecordReader> open_after_header(const std::string& path) {
  auto reader = RecordReader::open(path, true);
  EXPECT_TRUE(reader) << reader.error().describe();
  RawRecord header;
  EXPECT_TRUE((*reader)->next(header));
  return std::move(*reader);
}

TEST(RowProducer, HandsOverEveryRowInOrderMappedAsOnTheCallersThread) {
  std::string bytes(kHeader);
  const int rows = static_cast<int>(RowProducer::kChunkRows * 3 + 17);  // several chunks, one partial
  for (int i = 1; i <= rows; ++i) bytes += cbp_row(i, i % 10 != 0);
  const auto path = write_feed("order.csv", bytes);
  const Date today = *parse_date("t", "2024-06-01");

  auto reader = open_after_header(path);
  std::vector<ProducedRow> produced;
  {
    RowProducer producer(*reader, FeedKind::cbp_custody, today);
    for (bool last = false; !last;) {
      ProducedChunk chunk = producer.next();
      ASSERT_FALSE(chunk.error) << chunk.error->describe();
      last = chunk.last;
      for (auto& row : chunk.rows) produced.push_back(std::move(row));
    }
  }
  EXPECT_EQ(reader->bytes_read(), reader->file_size());

  auto again = open_after_header(path);
  RowScratch scratch;
  RawRecord record;
  size_t at = 0;
  while (*again->next(record)) {
    ASSERT_LT(at, produced.size());
    std::string key;
    auto mapped = map_record(FeedKind::cbp_custody, record.text, scratch, today, key);
    const ProducedRow& row = produced[at++];
    EXPECT_EQ(row.line, record.line);
    EXPECT_EQ(row.text, record.text);
    EXPECT_EQ(row.row_key, key);
    ASSERT_EQ(row.mapped.has_value(), mapped.has_value()) << "line " << record.line;
    if (mapped) {
      EXPECT_EQ(row.mapped->row_key, mapped->row_key);
      EXPECT_EQ(row.mapped->child, mapped->child);
      EXPECT_EQ(row.mapped->custody, mapped->custody);
    } else {
      EXPECT_EQ(row.mapped.error().field, mapped.error().field);
    }
  }
  EXPECT_EQ(at, produced.size());
  EXPECT_EQ(produced.size(), static_cast<size_t>(rows));
}

TEST(RowProducer, ReportsABrokenFileAfterTheRowsBeforeTheBreak) {
  std::string bytes(kHeader);
  for (int i = 1; i <= 3; ++i) bytes += cbp_row(i, true);
  bytes += "CBPE9,truncated";  // no line end: the file was cut short
  auto reader = open_after_header(write_feed("broken.csv", bytes));
  RowProducer producer(*reader, FeedKind::cbp_custody, *parse_date("t", "2024-06-01"));
  size_t rows = 0;
  std::optional<Error> error;
  for (bool last = false; !last;) {
    ProducedChunk chunk = producer.next();
    rows += chunk.rows.size();
    error = chunk.error;
    last = chunk.last;
  }
  EXPECT_EQ(rows, 3u);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, ErrorCode::invalid_argument) << error->describe();
}

TEST(RowProducer, AConsumerThatStopsEarlyDoesNotHangTheProducer) {
  std::string bytes(kHeader);
  for (int i = 1; i <= static_cast<int>(RowProducer::kChunkRows * (RowProducer::kQueuedChunks + 4)); ++i)
    bytes += cbp_row(i, true);
  auto reader = open_after_header(write_feed("early.csv", bytes));
  {
    RowProducer producer(*reader, FeedKind::cbp_custody, *parse_date("t", "2024-06-01"));
    EXPECT_EQ(producer.next().rows.size(), RowProducer::kChunkRows);
  }  // destroyed with the queue full and the file unread: must return
  EXPECT_LT(reader->bytes_read(), reader->file_size());
}

}  // namespace
}  // namespace accompany
