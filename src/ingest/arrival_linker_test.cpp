// Link on arrival, on SQLite and on PostgreSQL: a synthetic population is imported and re-linked
// (which saves the model), then hand-written feed rows arrive through the real importer.
#include "ingest/arrival_linker.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "ingest/importer.h"
#include "ingest/population_linkage.h"
#include "ingest/testing/synthetic_store.h"

namespace accompany {
namespace {

constexpr const char* kOrrHeader =
    "UAC_ID,A_NUMBER,FIRST_NAME,LAST_NAME_1,LAST_NAME_2,DOB,DOB_IS_ESTIMATED,GENDER,COUNTRY_OF_BIRTH,PRIMARY_LANGUAGE,"
    "INTERPRETER_NEEDED,ADMITTED_DATE,RELEASE_DATE,PROGRAM,SPONSOR_ID,SPONSOR_FIRST_NAME,SPONSOR_LAST_NAME_1,"
    "SPONSOR_LAST_NAME_2,SPONSOR_RELATIONSHIP,SPONSOR_CATEGORY,SPONSOR_PHONE,ADDRESS_LINE,ADDRESS_UNIT,CITY,STATE,ZIP";
constexpr const char* kCbpHeader =
    "EVENT_ID,SUBJECT_ID,A_NUMBER,LAST_NAME,FIRST_NAME,DOB,SEX,CITIZENSHIP,EVENT_TYPE,EVENT_DT,LOCATION";

// An ORR release row with an A-number: import creates the child from it.
std::string orr_row(const std::string& uac_id, const std::string& a_number, const std::string& given,
                    const std::string& paternal, const std::string& maternal, const std::string& dob) {
  return fmt::format(
      "{},{},{},{},{},{},N,Female,Guatemala,Spanish,N,2021-03-03,2021-04-10,Southwest Key Casa Padre,"
      "SP{},Rosa,{},,Aunt,2A,(713) 555-0142,1200 W Main St,Apt 4B,Houston,TX,77002",
      uac_id, a_number, given, paternal, maternal, dob, uac_id.substr(3), maternal);
}

// A CBP apprehension without an A-number: no feed id import knows, so it names no known child.
std::string cbp_row(const std::string& event_id, const std::string& subject_id, const std::string& surnames,
                    const std::string& given, const std::string& dob_mdy) {
  return fmt::format("{},{},,{},{},{},F,GTM,APP,03/01/2021 14:05,RGV Sector", event_id, subject_id, surnames, given,
                     dob_mdy);
}

class ArrivalLinkerTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    testing::import_synthetic_population(GetParam(), "arrival", 400, 5, clock_, store_, folder_);
    if (HasFatalFailure()) return;
    auto linked = link_full(*store_, {"test:arrival", "full re-link"});  // saves the model
    ASSERT_TRUE(linked) << linked.error().describe();
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  // Imports `rows` as a file of `kind` with linking on arrival; returns the linker's statistics.
  ArrivalLinker::Stats import_rows(FeedKind kind, const std::string& header, const std::vector<std::string>& rows) {
    const auto path = folder_ / fmt::format("arrival_{}_{}.csv", enum_name(kFeedKindNames, kind), ++files_);
    std::ofstream out(path);
    out << header << "\n";
    for (const auto& row : rows) out << row << "\n";
    out.close();
    ArrivalLinker linker;
    ImportOptions options;
    options.arrival = &linker;
    auto summary = import_file(*store_, kind, path.string(), options);
    EXPECT_TRUE(summary) << summary.error().describe();
    if (summary) {
      EXPECT_EQ(summary->quarantined, 0) << "a test row was refused";
    }
    return linker.stats();
  }

  std::int64_t count(const std::string& sql) { return testing::select_integer(*store_, sql); }

  // Where the store put a feed row: "child 12", "pooled person 40", "pooled row 41".
  std::string entity_of(const std::string& kind, const std::string& row_key) {
    auto where = stored_entities(*store_);
    EXPECT_TRUE(where) << where.error().describe();
    if (!where) return "";
    auto it = where->find({kind, row_key});
    return it == where->end() ? "absent" : it->second;
  }

  SystemClock clock_;
  std::unique_ptr<Store> store_;
  std::filesystem::path folder_;
  int files_ = 0;
};

TEST_P(ArrivalLinkerTest, RowWithTypoAndNoANumberIsLinkedToItsChild) {
  import_rows(FeedKind::orr_release, kOrrHeader,
              {orr_row("UAC90000001", "A209-999-001", "Yoselin Anahí", "Tzul", "Ixcot", "2009-07-14")});
  const auto child = count("SELECT id FROM children WHERE a_number = '209999001'");
  const auto custody_before = count(fmt::format("SELECT count(*) FROM custody_events WHERE child_id = {}", child));
  // Given name mistyped ("ANAIH"), no A-number, a CBP subject id nobody knows.
  const auto stats =
      import_rows(FeedKind::cbp_custody, kCbpHeader,
                  {cbp_row("CBPE9000000001", "CBP900000001", "TZUL IXCOT", "YOSELIN ANAIH", "07/14/2009")});
  EXPECT_TRUE(stats.model_found);
  EXPECT_EQ(stats.rows, 1u);
  EXPECT_EQ(stats.attached, 1u);
  EXPECT_EQ(entity_of("cbp_custody", "CBPE9000000001"), fmt::format("child {}", child));
  EXPECT_EQ(count(fmt::format("SELECT count(*) FROM custody_events WHERE child_id = {}", child)), custody_before + 1);
  EXPECT_EQ(count("SELECT count(*) FROM unlinked_rows WHERE row_key = 'CBPE9000000001'"), 0);
  // Its subject id now names the child: the next row of that subject links by id, not by linkage.
  EXPECT_EQ(count("SELECT count(*) FROM local_ids WHERE local_id = 'CBP900000001'"), 1);
  // Audited like any link: the decision is an audit event on the child, and the chain verifies.
  EXPECT_EQ(count(fmt::format("SELECT count(*) FROM audit_log WHERE action = 'link' AND entity = 'children' AND "
                              "entity_id = {}",
                              child)),
            1);
  auto verified = store_->verify_audit();
  ASSERT_TRUE(verified) << verified.error().describe();
  EXPECT_TRUE(verified->ok()) << verified->problems.front();
}

TEST_P(ArrivalLinkerTest, RowMatchingTwoChildrenLandsInReview) {
  // Two child records (two A-numbers) with one identity: only a data steward can say which.
  import_rows(FeedKind::orr_release, kOrrHeader,
              {orr_row("UAC90000002", "A209-999-002", "Brisa Marisol", "Cux", "Tziquin", "2010-03-02"),
               orr_row("UAC90000003", "A209-999-003", "Brisa Marisol", "Cux", "Tziquin", "2010-03-02")});
  const auto stats =
      import_rows(FeedKind::cbp_custody, kCbpHeader,
                  {cbp_row("CBPE9000000002", "CBP900000002", "CUX TZIQUIN", "BRISA MARISOL", "03/02/2010")});
  EXPECT_EQ(stats.attached, 0u);
  EXPECT_EQ(stats.reviews, 2u);
  EXPECT_EQ(entity_of("cbp_custody", "CBPE9000000002").rfind("pooled", 0), 0u);
  const auto row = count("SELECT id FROM unlinked_rows WHERE row_key = 'CBPE9000000002'");
  EXPECT_EQ(count(fmt::format("SELECT count(*) FROM link_reviews WHERE right_entity = 'unlinked_rows' AND right_id = "
                              "{} AND left_entity = 'children' AND status = 'open'",
                              row)),
            2);
  EXPECT_EQ(count("SELECT count(*) FROM import_row_keys WHERE row_key = 'CBPE9000000002' AND child_id IS NOT NULL"), 0);
}

TEST_P(ArrivalLinkerTest, PooledRowsFollowTheRowToItsChildSoOneChildStaysOneRecord) {
  // A border apprehension pooled before the child was known...
  const auto first =
      import_rows(FeedKind::cbp_custody, kCbpHeader,
                  {cbp_row("CBPE9000000010", "CBP900000010", "CHUB CAAL", "DULCE ABIGAIL", "11/20/2011")});
  EXPECT_EQ(first.attached, 0u);
  EXPECT_EQ(entity_of("cbp_custody", "CBPE9000000010").rfind("pooled", 0), 0u);
  // ...then ORR creates the child from its release (A-number), which does not look at the pool...
  import_rows(FeedKind::orr_release, kOrrHeader,
              {orr_row("UAC90000010", "A209-999-010", "Dulce Abigail", "Chub", "Caal", "2011-11-20")});
  const auto child = count("SELECT id FROM children WHERE a_number = '209999010'");
  const auto custody_before = count(fmt::format("SELECT count(*) FROM custody_events WHERE child_id = {}", child));
  // ...and a second apprehension (given name mistyped) links to both: the child and the pooled row.
  // A=B and B=C: all three rows must end as one child, not a child and a pooled person.
  const auto stats =
      import_rows(FeedKind::cbp_custody, kCbpHeader,
                  {cbp_row("CBPE9000000011", "CBP900000011", "CHUB CAAL", "DULSE ABIGAIL", "11/20/2011")});
  EXPECT_EQ(stats.attached, 1u);
  EXPECT_EQ(stats.pooled_rows_attached, 1u);
  const auto expected = fmt::format("child {}", child);
  EXPECT_EQ(entity_of("cbp_custody", "CBPE9000000010"), expected);
  EXPECT_EQ(entity_of("cbp_custody", "CBPE9000000011"), expected);
  EXPECT_EQ(entity_of("orr_release", "UAC90000010|2021-04-10"), expected);
  EXPECT_EQ(count(fmt::format("SELECT count(*) FROM custody_events WHERE child_id = {}", child)), custody_before + 2);
  auto verified = store_->verify_audit();
  ASSERT_TRUE(verified) << verified.error().describe();
  EXPECT_TRUE(verified->ok()) << verified->problems.front();
}

TEST_P(ArrivalLinkerTest, APooledRowOfTheSameSubjectFollowsAndItsIdIsMappedOnce) {
  // The apprehension is pooled; the same subject's next event (same SUBJECT_ID, given name
  // mistyped) arrives after ORR created the child. The pooled row follows it and maps the subject
  // id to the child on the way: the arriving row must not map it a second time.
  import_rows(FeedKind::cbp_custody, kCbpHeader,
              {cbp_row("CBPE9000000020", "CBP900000020", "POP XOL", "ILEANA BEATRIZ", "05/09/2012")});
  EXPECT_EQ(entity_of("cbp_custody", "CBPE9000000020").rfind("pooled", 0), 0u);
  import_rows(FeedKind::orr_release, kOrrHeader,
              {orr_row("UAC90000020", "A209-999-020", "Ileana Beatriz", "Pop", "Xol", "2012-05-09")});
  const auto child = count("SELECT id FROM children WHERE a_number = '209999020'");
  const auto stats =
      import_rows(FeedKind::cbp_custody, kCbpHeader,
                  {cbp_row("CBPE9000000021", "CBP900000020", "POP XOL", "ILIANA BEATRIZ", "05/09/2012")});
  EXPECT_EQ(stats.attached, 1u);
  EXPECT_EQ(stats.pooled_rows_attached, 1u);
  const auto expected = fmt::format("child {}", child);
  EXPECT_EQ(entity_of("cbp_custody", "CBPE9000000020"), expected);
  EXPECT_EQ(entity_of("cbp_custody", "CBPE9000000021"), expected);
  EXPECT_EQ(count("SELECT count(*) FROM local_ids WHERE local_id = 'CBP900000020'"), 1);
  EXPECT_EQ(count("SELECT entity_id FROM local_ids WHERE local_id = 'CBP900000020'"), child);
}

TEST_P(ArrivalLinkerTest, WithoutASavedModelRowsArePooledAsBefore) {
  ASSERT_TRUE(store_->transact({"test:arrival", "forget the model"}, [](UnitOfWork& unit) -> Status {
    ACCOMPANY_CHECK(unit.sql().execute("DELETE FROM linkage_models"));
    return {};
  }));
  import_rows(FeedKind::orr_release, kOrrHeader,
              {orr_row("UAC90000020", "A209-999-020", "Yoselin Anahí", "Tzul", "Ixcot", "2009-07-14")});
  const auto stats =
      import_rows(FeedKind::cbp_custody, kCbpHeader,
                  {cbp_row("CBPE9000000020", "CBP900000020", "TZUL IXCOT", "YOSELIN ANAHI", "07/14/2009")});
  EXPECT_FALSE(stats.model_found);
  EXPECT_EQ(stats.attached, 0u);
  EXPECT_EQ(entity_of("cbp_custody", "CBPE9000000020").rfind("pooled", 0), 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ArrivalLinkerTest, ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace accompany
