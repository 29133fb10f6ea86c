// The pure half of import: the streaming record reader, CSV/pipe splitting and the mapping of
// feed codes and rows to domain records.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "ingest/feed_codes.h"
#include "ingest/fields.h"
#include "ingest/record_reader.h"
#include "ingest/row_mapper.h"

namespace accompany {
namespace {

std::string write_temp(const std::string& name, const std::string& bytes) {
  const auto path = std::filesystem::temp_directory_path() / fmt::format("reader-{}-{}", getpid(), name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path.string();
}

std::vector<RawRecord> read_all(const std::string& path, bool quoted, std::vector<std::string>& texts) {
  auto reader = RecordReader::open(path, quoted);
  EXPECT_TRUE(reader) << reader.error().describe();
  std::vector<RawRecord> records;
  RawRecord record;
  for (;;) {
    auto more = (*reader)->next(record);
    EXPECT_TRUE(more) << more.error().describe();
    if (!more || !*more) break;
    texts.emplace_back(record.text);
    records.push_back(record);
  }
  return records;
}

Error read_error(const std::string& bytes, bool quoted) {
  const auto path = write_temp("bad", bytes);
  auto reader = RecordReader::open(path, quoted);
  EXPECT_TRUE(reader);
  RawRecord record;
  for (;;) {
    auto more = (*reader)->next(record);
    if (!more) return more.error();
    if (!*more) break;
  }
  ADD_FAILURE() << "expected the file to be refused";
  return {};
}

TEST(RecordReader, QuotedLineBreaksStayInTheirRecordAndLinesArePhysical) {
  std::vector<std::string> texts;
  const auto records = read_all(write_temp("q.csv", "A,B\r\n1,\"two\nlines\"\n2,\"x\"\"y\"\n3,LO\"PEZ\n"), true, texts);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(texts[0], "A,B");  // the trailing \r is dropped
  EXPECT_EQ(texts[1], "1,\"two\nlines\"");
  EXPECT_EQ(records[1].line, 2);
  EXPECT_EQ(records[2].line, 4);
  EXPECT_EQ(texts[3], "3,LO\"PEZ");  // a stray quote does not open a field
  EXPECT_EQ(records[3].line, 5);
}

TEST(RecordReader, RefusesTruncatedNonUtf8AndByteOrderMark) {
  auto truncated = read_error("A,B\n1,2\n3,4", true);
  EXPECT_NE(truncated.message.find("truncated: the last line (line 3) does not end with a line break"),
            std::string::npos)
      << truncated.message;
  auto open_quote = read_error("A,B\n1,\"never closed\n", true);
  EXPECT_NE(open_quote.message.find("line 2 opens a quoted field that is never closed"), std::string::npos)
      << open_quote.message;
  auto latin1 = read_error("A,B\n1,2\n3,Jos\xE9\n", true);
  EXPECT_NE(latin1.message.find("not UTF-8: line 3 has byte 0xE9 at byte offset 13"), std::string::npos)
      << latin1.message;
  auto nul = read_error(std::string("A|B\nx|y\0z\n", 10), false);
  EXPECT_NE(nul.message.find("line 2 has byte 0x00"), std::string::npos) << nul.message;
  auto bom = read_error(
      "\xEF\xBB\xBF"
      "A,B\n",
      true);
  EXPECT_NE(bom.message.find("byte-order mark"), std::string::npos) << bom.message;
}

TEST(RecordReader, Utf8ValidatorRejectsOverlongAndSurrogates) {
  EXPECT_EQ(find_invalid_utf8("María José K'iche' 日本 🙂"), std::string_view::npos);
  EXPECT_EQ(find_invalid_utf8("ab\xC0\x80"), 2u);           // overlong NUL
  EXPECT_EQ(find_invalid_utf8("\xED\xA0\x80"), 0u);         // surrogate
  EXPECT_EQ(find_invalid_utf8("abcdefghij\xE2\x82"), 10u);  // cut in the middle
}

// A file far larger than the reader's buffer streams through in bounded memory: the buffer
// never grows past one chunk plus one record, and the process's peak RSS barely moves.
TEST(RecordReader, StreamsAFileLargerThanItsMemoryBound) {
  const auto path = std::filesystem::temp_directory_path() / fmt::format("reader-{}-big.csv", getpid());
  constexpr size_t kRows = 600'000;  // ~53 MB, 25 times the reader's buffer
  {
    std::ofstream out(path, std::ios::binary);
    out << "CALL_ID,UAC_ID,CALL_DUE,CALL_DATE,CALL_METHOD,CALL_RESULT\n";
    for (size_t i = 0; i < kRows; ++i)
      out << fmt::format("FU{:09},UAC{:08},5/10/2021,5/12/2021,PHONE,SAFE,\"padding padding padding padding\"\n", i,
                         i % 99'999'999);
  }
  const auto file_size = std::filesystem::file_size(path);
  ASSERT_GT(file_size, 48u << 20);
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  auto reader = RecordReader::open(path.string(), true);
  ASSERT_TRUE(reader);
  RawRecord record;
  size_t rows = 0;
  size_t largest_buffer = 0;
  while (true) {
    auto more = (*reader)->next(record);
    ASSERT_TRUE(more) << more.error().describe();
    if (!*more) break;
    ++rows;
    largest_buffer = std::max(largest_buffer, (*reader)->buffer_capacity());
  }
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  std::filesystem::remove(path);
  EXPECT_EQ(rows, kRows + 1);
  EXPECT_EQ((*reader)->bytes_read(), file_size);
  EXPECT_LE(largest_buffer, 2u << 20);
  EXPECT_LT(after.ru_maxrss - before.ru_maxrss, 16 * 1024)
      << "peak RSS grew by " << after.ru_maxrss - before.ru_maxrss << " KiB while reading " << file_size << " bytes";
}

TEST(Fields, SplitsStrictRfc4180) {
  std::vector<std::string> fields;
  ASSERT_TRUE(split_csv("a,\"b,c\",\"say \"\"hi\"\"\",,\"\"", fields));
  EXPECT_EQ(fields, (std::vector<std::string>{"a", "b,c", "say \"hi\"", "", ""}));
  ASSERT_TRUE(split_csv("", fields));
  EXPECT_EQ(fields, (std::vector<std::string>{""}));
  auto stray = split_csv("a,LO\"PEZ,c", fields);
  ASSERT_FALSE(stray);
  EXPECT_EQ(stray.error().field, "(row)");
  EXPECT_NE(stray.error().message.find("field 2 has a quote inside an unquoted value"), std::string::npos);
  auto after = split_csv("\"a\"b,c", fields);
  ASSERT_FALSE(after);
  EXPECT_NE(after.error().message.find("text after its closing quote"), std::string::npos);
  split_pipes("201234567|GARCIA LOPEZ||x", fields);
  EXPECT_EQ(fields, (std::vector<std::string>{"201234567", "GARCIA LOPEZ", "", "x"}));
}

TEST(FeedCodes, MapsTheFeedsSpellingsToDomainValues) {
  EXPECT_EQ(*country_from_alpha3("C", "GTM"), "GT");
  EXPECT_EQ(*country_from_alpha3("C", "SLV"), "SV");
  EXPECT_EQ(*country_from_english_name("C", "Guatemala"), "GT");
  EXPECT_EQ(*country_from_english_name("C", "El Salvador"), "SV");
  EXPECT_FALSE(country_from_english_name("C", "Atlantis"));
  EXPECT_EQ(*language_from_english_name("L", "K'iche'"), "quc");
  EXPECT_EQ(*language_from_english_name("L", "Spanish"), "spa");
  EXPECT_EQ(*court_from_code("B", "SNA"), "San Antonio Immigration Court");
  EXPECT_EQ(format_date(*parse_court_date("D", "05-MAR-2023")), "2023-03-05");
  EXPECT_EQ(format_date(*parse_us_date("D", "5/1/2021", false)), "2021-05-01");
  EXPECT_FALSE(parse_us_date("D", "5/1/2021", true));
  EXPECT_EQ(format_timestamp(*parse_us_datetime("D", "03/01/2021 14:05")), "2021-03-01T14:05:00Z");
  EXPECT_EQ(normalize_name("  María   José "), "MARIA JOSE");
  EXPECT_EQ(split_surnames("GARCIA DE LA CRUZ"), (std::pair<std::string, std::string>{"GARCIA", "DE LA CRUZ"}));
  EXPECT_EQ(split_surnames("DE LA CRUZ LOPEZ"), (std::pair<std::string, std::string>{"DE LA CRUZ", "LOPEZ"}));
}

// The fast path for Latin-1 letters must say what ICU's transliteration says: every character
// of U+00C0-U+00FF, alone and inside a name, against ICU run directly.
TEST(FeedCodes, NormalizesLatin1NamesAsIcuDoes) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> icu_upper(
      icu::Transliterator::createInstance("Any-Latin; Latin-ASCII; Upper", UTRANS_FORWARD, status));
  ASSERT_TRUE(U_SUCCESS(status));
  auto by_icu = [&](const std::string& text) {
    auto unicode = icu::UnicodeString::fromUTF8(text);
    icu_upper->transliterate(unicode);
    std::string out;
    unicode.toUTF8String(out);
    return out;
  };
  for (UChar32 c = 0xC0; c <= 0xFF; ++c) {
    std::string letter;
    icu::UnicodeString(c).toUTF8String(letter);
    const std::string name = "jos" + letter + " mar" + letter + "a";
    EXPECT_EQ(normalize_name(name), by_icu(name)) << "U+" << std::hex << c;
  }
  EXPECT_EQ(normalize_name("Nuñez Ávila"), "NUNEZ AVILA");
  EXPECT_EQ(normalize_name("Straße"), by_icu("Straße"));  // not on the fast path
  EXPECT_EQ(normalize_name("Ŝtefan"), "STEFAN");          // outside Latin-1: ICU
}

TEST(RowMapper, MapsCodesToDomainRecords) {
  RowScratch scratch;
  std::string key;
  const Date today = *parse_date("t", "2024-06-01");
  auto hearing =
      map_record(FeedKind::eoir_hearings, "201234567|GARCIA LOPEZ|MARIA JOSE|02-APR-2008|HOU|05-MAR-2023|0900|MAS|FTA|",
                 scratch, today, key);
  ASSERT_TRUE(hearing) << hearing.error().describe();
  EXPECT_EQ(key, "201234567|05-MAR-2023|0900");
  EXPECT_EQ(hearing->hearing->outcome, HearingOutcome::failed_to_appear);
  EXPECT_EQ(hearing->hearing->court, "Houston Immigration Court");
  EXPECT_EQ(format_timestamp(hearing->hearing->scheduled_at), "2023-03-05T09:00:00Z");

  auto notice =
      map_record(FeedKind::ice_nta,
                 R"({"nta_id":"NTA1","anumber":"A201234567","subject":{"given":"A","family":"B"},)"
                 R"("dob":"20080402","issued":"2021-03-04","served":"2021-03-20","service_method":"CERT_MAIL",)"
                 R"("served_address":null})",
                 scratch, today, key);
  ASSERT_TRUE(notice) << notice.error().describe();
  EXPECT_EQ(notice->notice->service_method, ServiceMethod::certified_mail);
  EXPECT_EQ(notice->who.a_number->digits(), "201234567");

  // Mail returned from the notice's address: the address keeps the finding as its status.
  const std::string unserved =
      R"({"nta_id":"NTA2","anumber":"A201234567","subject":{"given":"A","family":"B"},"dob":"20080402",)"
      R"("issued":"2021-03-04","served":null,"service_method":null,)"
      R"("served_address":{"street":"1200 W MAIN ST","city":"HOUSTON","state":"TX","zip":"77002"},"returned":)";
  auto returned = map_record(FeedKind::ice_nta, unserved + R"({"date":"2021-03-28","reason":"INSUFFICIENT_ADDRESS"}})",
                             scratch, today, key);
  ASSERT_TRUE(returned) << returned.error().describe();
  ASSERT_TRUE(returned->address);
  EXPECT_EQ(returned->address->status, AddressStatus::missing_unit);
  EXPECT_EQ(returned->address->source, "ice_nta:returned 2021-03-28 INSUFFICIENT_ADDRESS");
  EXPECT_FALSE(returned->notice->served());
  auto no_such_number =
      map_record(FeedKind::ice_nta, unserved + R"({"date":"2021-03-28","reason":"NO_SUCH_NUMBER"}})", scratch, today, key);
  ASSERT_TRUE(no_such_number) << no_such_number.error().describe();
  EXPECT_EQ(no_such_number->address->status, AddressStatus::undeliverable);
  auto unknown_reason =
      map_record(FeedKind::ice_nta, unserved + R"({"date":"2021-03-28","reason":"MOVED"}})", scratch, today, key);
  ASSERT_FALSE(unknown_reason);
  EXPECT_NE(unknown_reason.error().describe().find("returned.reason"), std::string::npos);
  auto before_issue =
      map_record(FeedKind::ice_nta, unserved + R"({"date":"2021-03-01","reason":"NO_SUCH_NUMBER"}})", scratch, today, key);
  ASSERT_FALSE(before_issue);
  EXPECT_NE(before_issue.error().describe().find("is before issued"), std::string::npos);
  auto nowhere = map_record(FeedKind::ice_nta,
                            R"({"nta_id":"NTA3","anumber":"A201234567","subject":{"given":"A","family":"B"},)"
                            R"("dob":"20080402","issued":"2021-03-04","served":null,"service_method":null,)"
                            R"("served_address":null,"returned":{"date":"2021-03-28","reason":"NO_SUCH_NUMBER"}})",
                            scratch, today, key);
  ASSERT_FALSE(nowhere);
  EXPECT_NE(nowhere.error().describe().find("served_address it was mailed to"), std::string::npos);

  auto child = map_record(FeedKind::cbp_custody,
                          "CBPE0000000001,CBP000000001,201234567,GARCIA LOPEZ,MARIA JOSE,04/02/2008,F,GTM,TRF,"
                          "03/01/2021 14:05,RGV Sector",
                          scratch, today, key);
  ASSERT_TRUE(child) << child.error().describe();
  EXPECT_EQ(child->child->country_of_birth, "GT");
  EXPECT_EQ(child->child->name.paternal_surname, "GARCIA");
  EXPECT_EQ(child->child->name.maternal_surname, "LOPEZ");
  EXPECT_EQ(child->custody->kind, CustodyEventKind::transferred_to_orr);

  auto future = map_record(FeedKind::cbp_custody,
                           "CBPE0000000001,CBP000000001,201234567,GARCIA,MARIA,04/02/2030,F,GTM,APP,03/01/2021 14:05,X",
                           scratch, today, key);
  ASSERT_FALSE(future);
  EXPECT_EQ(future.error().field, "DOB");
  EXPECT_EQ(key, "CBPE0000000001");  // known even though the row is bad
}

TEST(RowMapper, HeaderCheckNamesTheColumnThatDiffers) {
  RowScratch scratch;
  EXPECT_TRUE(
      check_header(FeedKind::orr_followup, "CALL_ID,UAC_ID,CALL_DUE,CALL_DATE,CALL_METHOD,CALL_RESULT", scratch));
  auto wrong = check_header(FeedKind::orr_followup, "CALL_ID,UAC,CALL_DUE,CALL_DATE,CALL_METHOD,CALL_RESULT", scratch);
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("column 2 is 'UAC' but the orr_followup header has 'UAC_ID' there"),
            std::string::npos)
      << wrong.error().message;
  auto short_header = check_header(FeedKind::orr_followup, "CALL_ID,UAC_ID", scratch);
  ASSERT_FALSE(short_header);
  EXPECT_NE(short_header.error().message.find("column 3 should be CALL_DUE"), std::string::npos);
}

}  // namespace
}  // namespace accompany
