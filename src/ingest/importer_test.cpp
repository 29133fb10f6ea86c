// Import against the store, on SQLite and on PostgreSQL: quarantine with field and reason,
// idempotence, refusal of broken files, linking by A-number and local id, quarantine retry and
// discard, and an audit chain that verifies afterwards.
#include "ingest/importer.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/link_index.h"
#include "ingest/quarantine.h"
#include "security/field_cipher.h"
#include "store/store.h"
#include "store/testing/sample_records.h"
#include "store/testing/temporary_postgres.h"
#include "synth/feed_files.h"

namespace accompany {
namespace {

using testing::instant;

std::string fixture(const std::string& name) {
  return std::string(ACCOMPANY_INGEST_TESTDATA) + "/" + name;
}

class Import : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    auto location = testing::fresh_database_location(GetParam(), "import");
    ASSERT_TRUE(location) << location.error().describe();
    ASSERT_TRUE(Store::initialize(*location));
    auto store = Store::open(*location, clock_);
    ASSERT_TRUE(store) << store.error().describe();
    store_ = std::move(*store);
  }

  ImportSummary import(FeedKind kind, const std::string& path) {
    auto summary = import_file(*store_, kind, path);
    EXPECT_TRUE(summary) << summary.error().describe();
    return summary ? *summary : ImportSummary{};
  }

  void import_all_fixtures() {
    import(FeedKind::cbp_custody, fixture("cbp_custody.csv"));
    import(FeedKind::orr_release, fixture("orr_release.csv"));
    import(FeedKind::ice_nta, fixture("ice_nta.jsonl"));
    import(FeedKind::eoir_hearings, fixture("eoir_hearings.psv"));
    import(FeedKind::orr_followup, fixture("orr_followup.csv"));
    import(FeedKind::address_changes, fixture("address_changes.csv"));
  }

  std::vector<SqlRow> query(const std::string& sql) {
    std::vector<SqlRow> rows;
    auto done = store_->read([&](SqlConnection& connection) -> Status {
      ACCOMPANY_TRY(found, connection.query(sql));
      rows = std::move(found);
      return {};
    });
    EXPECT_TRUE(done) << done.error().describe();
    return rows;
  }

  std::int64_t count(const std::string& table) { return query("SELECT count(*) FROM " + table).at(0).integer(0); }

  // Row counts of every table import writes, to show that something added nothing.
  std::vector<std::int64_t> counts() {
    std::vector<std::int64_t> all;
    for (const char* table :
         {"children", "sponsors", "addresses", "custody_events", "notices", "hearings", "welfare_checks", "quarantine",
          "unlinked_rows", "local_ids", "import_files", "import_row_keys", "audit_log"})
      all.push_back(count(table));
    return all;
  }

  std::string temp_file(const std::string& name, const std::string& bytes) {
    const auto path = std::filesystem::temp_directory_path() / fmt::format("import-{}-{}", getpid(), name);
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }

  void expect_audit_verifies() {
    auto report = store_->verify_audit();
    ASSERT_TRUE(report) << report.error().describe();
    EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems.front());
  }

  FixedClock clock_{instant("2024-06-01T12:00:00Z")};
  std::unique_ptr<Store> store_;
};

TEST_P(Import, EachDefectLandsInQuarantineWithItsFieldAndReason) {
  auto cbp = import(FeedKind::cbp_custody, fixture("cbp_custody.csv"));
  EXPECT_EQ(cbp.rows_read, 13);
  EXPECT_EQ(cbp.imported, 2);
  EXPECT_EQ(cbp.duplicates, 1);  // line 10 repeats line 2
  EXPECT_EQ(cbp.unlinked, 1);
  EXPECT_EQ(cbp.quarantined, 9);
  import(FeedKind::orr_release, fixture("orr_release.csv"));
  import(FeedKind::ice_nta, fixture("ice_nta.jsonl"));
  import(FeedKind::eoir_hearings, fixture("eoir_hearings.psv"));
  import(FeedKind::orr_followup, fixture("orr_followup.csv"));
  import(FeedKind::address_changes, fixture("address_changes.csv"));

  struct Expected {
    const char* kind;
    std::int64_t line;
    const char* field;
    const char* reason;
  };
  const Expected expected[] = {
      {"cbp_custody", 4, "LOCATION", "contains a control character"},
      {"cbp_custody", 6, "DOB", "not a calendar date"},
      {"cbp_custody", 7, "SEX", "expected M, F or U"},
      {"cbp_custody", 8, "CITIZENSHIP", "not an ISO 3166-1 three-letter country code"},
      {"cbp_custody", 9, "EVENT_TYPE", "expected APP"},
      {"cbp_custody", 11, "A_NUMBER", "9 digits"},
      {"cbp_custody", 12, "(row)", "has 4 fields; the header has 11"},
      {"cbp_custody", 13, "(row)", "quote inside an unquoted value"},
      {"cbp_custody", 14, "LAST_NAME", "at least one surname"},
      {"orr_release", 5, "PRIMARY_LANGUAGE", "not a language Accompany knows"},
      {"orr_release", 6, "SPONSOR_CATEGORY", "not one of: 1, 2A, 2B, 3, 4"},
      {"orr_release", 7, "STATE", "not a USPS state code"},
      {"orr_release", 8, "COUNTRY_OF_BIRTH", "not a country name"},
      {"orr_release", 9, "RELEASE_DATE", "is before ADMITTED_DATE"},
      {"ice_nta", 3, "service_method", "not one of: PERSONAL, MAIL, CERT_MAIL"},
      {"ice_nta", 4, "(row)", "not a JSON object"},
      {"ice_nta", 5, "served", "cannot be served before it is issued"},
      {"eoir_hearings", 5, "BASE_CITY", "not an immigration court code"},
      {"eoir_hearings", 6, "OUTCOME", "not one of"},
      {"eoir_hearings", 7, "HEARING_DATE", "not a calendar date"},
      {"orr_followup", 4, "CALL_RESULT", "not one of"},
      {"orr_followup", 5, "CALL_METHOD", "must say how the child was contacted"},
      {"address_changes", 4, "A_NUMBER", "needs an A_NUMBER or a UAC_ID"},
      {"address_changes", 6, "ZIP", "5 digits or ZIP+4"},
      {"address_changes", 7, "FORM_SOURCE", "not one of: EOIR-33, ORR, CASEWORKER"},
  };
  auto held = list_quarantine(*store_, true, 1000);
  ASSERT_TRUE(held) << held.error().describe();
  ASSERT_EQ(held->size(), std::size(expected));
  for (size_t i = 0; i < held->size(); ++i) {
    const auto& row = (*held)[i];
    SCOPED_TRACE(fmt::format("{} line {}", expected[i].kind, expected[i].line));
    EXPECT_EQ(row.kind, expected[i].kind);
    EXPECT_EQ(row.line, expected[i].line);
    EXPECT_EQ(row.field, expected[i].field);
    EXPECT_NE(row.reason.find(expected[i].reason), std::string::npos) << row.reason;
    EXPECT_FALSE(row.raw.empty());
    EXPECT_EQ(row.status, QuarantineStatus::open);
  }
  // The raw row is kept exactly, including a quoted line break.
  EXPECT_EQ((*held)[0].raw,
            "CBPE0000000003,CBP000000002,,XOL,KEVIN,11/02/2008,M,GTM,APP,03/02/2021 10:00,\"El Paso\nStation "
            "\"\"Sector 9\"\"\"");
  EXPECT_EQ((*held)[1].value, "13/02/2008");
  expect_audit_verifies();
}

TEST_P(Import, ReimportAddsNothingAndKnownKeysAreDuplicates) {
  // Under a field key, held rows are stored encrypted (a fresh nonce each time), and the "already
  // waiting in quarantine" check still recognizes one.
  FieldKey key;
  key.bytes.fill(9);
  key.id = key_id_of(key.bytes);
  install_field_keys(key);
  struct Uninstall {
    ~Uninstall() { install_field_keys(std::nullopt); }
  } uninstall;
  import_all_fixtures();
  EXPECT_TRUE(query("SELECT raw FROM quarantine ORDER BY id LIMIT 1").at(0).text(0).starts_with("enc:v1:"));
  const auto before = counts();
  auto again = import(FeedKind::orr_release, fixture("orr_release.csv"));
  EXPECT_TRUE(again.already_imported);
  EXPECT_EQ(counts(), before);

  // Another file holding rows already taken in (and one already waiting in quarantine):
  // those are duplicates; only the new row is added.
  std::ifstream in(fixture("orr_followup.csv"));
  std::stringstream text;
  text << in.rdbuf();
  const auto path = temp_file("followup-again.csv", text.str() + "FU000000009,UAC00000001,8/1/2021,,,\n");
  auto second = import(FeedKind::orr_followup, path);
  EXPECT_FALSE(second.already_imported);
  EXPECT_EQ(second.rows_read, 6);
  EXPECT_EQ(second.duplicates, 5);
  EXPECT_EQ(second.imported, 1);
  EXPECT_EQ(second.quarantined, 0);
  EXPECT_EQ(count("welfare_checks"), 3);
  expect_audit_verifies();
}

TEST_P(Import, RefusesABrokenFileWholeAndLeavesNothing) {
  const auto before = counts();
  const std::string header = "CALL_ID,UAC_ID,CALL_DUE,CALL_DATE,CALL_METHOD,CALL_RESULT\n";
  const std::string good = "FU000000001,UAC00000001,5/10/2021,5/12/2021,PHONE,SAFE\n";
  struct Case {
    std::string name, bytes, message;
  };
  const Case cases[] = {
      {"truncated.csv", header + good + "FU000000002,UAC0000",
       "truncated: the last line (line 3) does not end with a line break"},
      {"latin1.csv", header + good + "FU000000002,UAC00000002,5/10/2021,,,Jos\xE9\n",
       "not UTF-8: line 3 has byte 0xE9 at byte offset"},
      {"header.csv", "CALL_ID,UAC_ID,DUE,CALL_DATE,CALL_METHOD,CALL_RESULT\n" + good,
       "wrong header for orr_followup: column 3 is 'DUE' but the orr_followup header has 'CALL_DUE' there"},
      {"empty.csv", "", "the file is empty"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto refused = import_file(*store_, FeedKind::orr_followup, temp_file(c.name, c.bytes));
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find(c.message), std::string::npos) << refused.error().message;
  }
  auto csv_as_json = import_file(*store_, FeedKind::ice_nta, temp_file("nta.jsonl", header + good));
  ASSERT_FALSE(csv_as_json);
  EXPECT_NE(csv_as_json.error().message.find("not an ice_nta file: its first line is not a JSON object"),
            std::string::npos)
      << csv_as_json.error().message;
  EXPECT_EQ(counts(), before);
  expect_audit_verifies();
}

TEST_P(Import, LinksByANumberAndByLocalIdAndPoolsTheRest) {
  import_all_fixtures();
  const auto children = query("SELECT id, a_number, languages, interpreter_needed FROM children ORDER BY id");
  ASSERT_EQ(children.size(), 3u);  // CBP created one; ORR linked to it and created two
  const Id maria = children[0].integer(0);
  EXPECT_EQ(children[0].text(1), "201234567");
  EXPECT_EQ(children[0].text(2), "quc");  // ORR's language replaced CBP's placeholder
  EXPECT_EQ(children[0].integer(3), 1);
  const Id kevin = children[1].integer(0);

  // CBP line 3 had no A-number but CBP's SUBJECT_ID of line 2: linked to the same child.
  EXPECT_EQ(query("SELECT count(*) FROM custody_events WHERE child_id = " + std::to_string(maria)).at(0).integer(0), 3);
  // orr_followup has only UAC_IDs: linked through ORR's release rows.
  const auto checks = query("SELECT child_id FROM welfare_checks ORDER BY id");
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(checks[0].integer(0), maria);
  EXPECT_EQ(checks[1].integer(0), kevin);
  // ICE and EOIR by A-number; the notice points at the address it was served to.
  const auto notices = query("SELECT child_id, service_method, served_to_address_id FROM notices");
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].integer(0), maria);
  EXPECT_EQ(notices[0].text(1), "certified_mail");
  EXPECT_FALSE(notices[0].is_null(2));
  EXPECT_EQ(query("SELECT outcome FROM hearings WHERE child_id = " + std::to_string(maria)).at(0).text(0),
            "failed_to_appear");
  // Two release rows named sponsor SP00000001: one sponsor record.
  EXPECT_EQ(count("sponsors"), 2);

  const auto pool = query(
      "SELECT kind, line, a_number, local_ids, given_names, paternal_surname, maternal_surname, birth_date, sex, "
      "country, status FROM unlinked_rows ORDER BY id");
  ASSERT_EQ(pool.size(), 6u);
  // CBP without A-number and an unknown SUBJECT_ID.
  EXPECT_EQ(pool[0].text(0), "cbp_custody");
  EXPECT_EQ(pool[0].text(3), "SUBJECT_ID=CBP000000011");
  EXPECT_EQ(pool[0].text(5), "DE LA CRUZ");
  EXPECT_EQ(pool[0].text(9), "MX");
  // ORR release without A-number: names normalized for matching.
  EXPECT_EQ(pool[1].text(0), "orr_release");
  EXPECT_EQ(pool[1].integer(1), 4);
  EXPECT_EQ(pool[1].text(3), "UAC_ID=UAC00000003");
  EXPECT_EQ(pool[1].text(4), "ANA");
  EXPECT_EQ(pool[1].text(5), "PEREZ");
  EXPECT_EQ(pool[1].text(6), "DIAZ");
  EXPECT_EQ(pool[1].text(7), "2010-01-15");
  EXPECT_EQ(pool[1].text(8), "female");
  EXPECT_EQ(pool[1].text(9), "HN");
  EXPECT_EQ(pool[1].text(10), "open");
  // An A-number nobody has created yet (ICE, EOIR and address forms never create children).
  EXPECT_EQ(pool[2].text(0), "ice_nta");
  EXPECT_EQ(pool[2].text(2), "299999999");
  EXPECT_EQ(pool[3].text(0), "eoir_hearings");
  EXPECT_EQ(pool[4].text(0), "orr_followup");
  EXPECT_EQ(pool[4].text(3), "UAC_ID=UAC00000003");
  EXPECT_EQ(pool[5].text(0), "address_changes");
  EXPECT_EQ(pool[5].text(4), "LUIS");
  EXPECT_EQ(pool[5].text(5), "RAMIREZ");
  EXPECT_EQ(pool[5].text(6), "SOTO");
  expect_audit_verifies();
}

TEST_P(Import, ARowThatCreatesItsChildNotesItOnItsKeyAndATakenKeyCreatesNothing) {
  const std::string header =
      "EVENT_ID,SUBJECT_ID,A_NUMBER,LAST_NAME,FIRST_NAME,DOB,SEX,CITIZENSHIP,EVENT_TYPE,EVENT_DT,LOCATION\n";
  auto first = import(FeedKind::cbp_custody,
                      temp_file("creates.csv", header + "CBPE0000000101,CBP000000101,205550001,XOL,ANA,01/02/2009,F,"
                                                        "GTM,APP,03/01/2021 14:05,RGV Sector\n"));
  EXPECT_EQ(first.imported, 1);
  const auto created = query("SELECT id FROM children WHERE a_number = '205550001'");
  ASSERT_EQ(created.size(), 1u);
  const auto key = query(
      "SELECT child_id FROM import_row_keys WHERE kind = 'cbp_custody' AND row_key = "
      "'CBPE0000000101'");
  ASSERT_EQ(key.size(), 1u);
  EXPECT_EQ(key[0].integer(0), created[0].integer(0));

  // A key taken before (here by hand, with no child) makes the row a duplicate before any child
  // is created for its new A-number.
  auto claimed = store_->transact({"system:test", "claim a key"}, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_CHECK(unit.sql().execute(
        "INSERT INTO import_row_keys (kind, row_key, line) VALUES ('cbp_custody', 'CBPE0000000102', 1)"));
    return {};
  });
  ASSERT_TRUE(claimed) << claimed.error().describe();
  const auto before = counts();
  auto second = import(FeedKind::cbp_custody,
                       temp_file("taken.csv", header + "CBPE0000000102,CBP000000102,205550002,XOL,LUIS,01/02/2010,M,"
                                                       "GTM,APP,03/01/2021 15:05,RGV Sector\n"));
  EXPECT_EQ(second.duplicates, 1);
  EXPECT_EQ(second.imported, 0);
  EXPECT_EQ(count("children"), before[0]);
  EXPECT_TRUE(query("SELECT id FROM children WHERE a_number = '205550002'").empty());
  EXPECT_TRUE(query("SELECT id FROM local_ids WHERE local_id = 'CBP000000102'").empty());
  expect_audit_verifies();
}

TEST_P(Import, QuarantineRetryImportsARowThatNowValidatesAndDiscardNeedsAReason) {
  // A birth date in the future is refused; when the clock (the reference "today") moves past
  // it, retry validates the stored row again and takes it in.
  clock_.set(instant("2020-01-01T00:00:00Z"));
  const std::string header =
      "EVENT_ID,SUBJECT_ID,A_NUMBER,LAST_NAME,FIRST_NAME,DOB,SEX,CITIZENSHIP,EVENT_TYPE,EVENT_DT,"
      "LOCATION\n";
  const auto path = temp_file(
      "future.csv", header +
                        "CBPE0000000100,CBP000000100,205000100,XOL,ANA,03/03/2021,F,GTM,APP,03/01/2021 14:05,RGV\n"
                        "CBPE0000000101,CBP000000101,205000101,XOL,ANA,03/03/2009,F,ZZZ,APP,03/01/2021 14:05,RGV\n");
  auto summary = import(FeedKind::cbp_custody, path);
  EXPECT_EQ(summary.quarantined, 2);
  auto held = list_quarantine(*store_, false, 10);
  ASSERT_TRUE(held);
  ASSERT_EQ(held->size(), 2u);
  const Id future = (*held)[0].id;
  const Id wrong = (*held)[1].id;
  EXPECT_EQ((*held)[0].field, "DOB");

  const AuditContext steward{"cli:steward", "quarantine work"};
  auto still = retry_quarantined(*store_, wrong, steward);
  ASSERT_TRUE(still);
  EXPECT_FALSE(still->resolved);
  EXPECT_NE(still->description.find("still invalid"), std::string::npos);

  clock_.set(instant("2024-06-01T12:00:00Z"));
  auto retried = retry_quarantined(*store_, future, steward);
  ASSERT_TRUE(retried) << retried.error().describe();
  EXPECT_TRUE(retried->resolved);
  EXPECT_EQ(query("SELECT count(*) FROM children WHERE a_number = '205000100'").at(0).integer(0), 1);
  auto again = retry_quarantined(*store_, future, steward);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::conflict);

  auto no_reason = discard_quarantined(*store_, wrong, " ", steward);
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().field, "reason");
  ASSERT_TRUE(discard_quarantined(*store_, wrong, "test row from the agency's sandbox", steward));
  auto shown = show_quarantined(*store_, wrong, steward);
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->status, QuarantineStatus::discarded);
  EXPECT_EQ(shown->resolution, "test row from the agency's sandbox");
  EXPECT_EQ(shown->resolved_by, "cli:steward");
  const auto events = query("SELECT actor, fields FROM audit_log WHERE action = 'discard'");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].text(0), "cli:steward");
  EXPECT_EQ(events[0].text(1), "test row from the agency's sandbox");
  EXPECT_EQ(query("SELECT count(*) FROM audit_log WHERE action = 'read' AND entity = 'quarantine'").at(0).integer(0),
            1);
  expect_audit_verifies();
}

TEST_P(Import, AuditRecordsEveryWriteAndTheRun) {
  import_all_fixtures();
  // Every audited row is covered by an entry (verify checks it), inserts in insert_batch
  // entries, and each run is an audit event that follows its batches.
  EXPECT_EQ(query("SELECT count(*) FROM audit_log WHERE action = 'import'").at(0).integer(0), 6);
  EXPECT_GT(query("SELECT count(*) FROM audit_log WHERE action = 'insert_batch'").at(0).integer(0), 6);
  EXPECT_EQ(query("SELECT count(*) FROM audit_log WHERE action = 'insert'").at(0).integer(0), 0);
  const auto last = query("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1");
  EXPECT_EQ(last.at(0).text(0), "import");
  expect_audit_verifies();
}

// Rows imported in bulk are audited by batch entries; a hand edit, removal or addition of any
// one of them must still fail `audit verify`, naming the batch entry or the row.
TEST_P(Import, TamperingWithABulkImportedRowIsFound) {
  import_all_fixtures();
  expect_audit_verifies();
  const Id hearing = query("SELECT min(id) FROM hearings").at(0).integer(0);
  const auto batch = query(fmt::format(
      "SELECT seq FROM audit_log WHERE action = 'insert_batch' AND entity = 'hearings' AND entity_id <= {} "
      "ORDER BY seq DESC LIMIT 1",
      hearing));
  ASSERT_EQ(batch.size(), 1u);
  auto tamper = [&](const std::string& sql) {
    ASSERT_TRUE(store_->read([&](SqlConnection& connection) { return connection.execute_script(sql); }));
  };
  auto problems = [&] {
    auto report = store_->verify_audit();
    EXPECT_TRUE(report) << report.error().describe();
    return report ? report->problems : std::vector<std::string>{};
  };

  tamper(fmt::format("UPDATE hearings SET outcome = 'terminated' WHERE id = {}", hearing));
  auto found = problems();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(found[0].starts_with(
      fmt::format("hearings rows written together in audit entry {} (rows=", batch[0].integer(0))))
      << found[0];
  EXPECT_TRUE(found[0].ends_with("were changed outside Accompany: one or more of them no longer match that entry"))
      << found[0];

  tamper(fmt::format("DELETE FROM hearings WHERE id = {}", hearing));
  found = problems();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0], fmt::format("hearings row {} was deleted outside Accompany (last audited in entry {})", hearing,
                                  batch[0].integer(0)));


  // The batch entry's list of rows is itself chained: shortening it breaks the entry's hash.
  tamper(fmt::format("UPDATE audit_log SET fields = 'rows=0 ids=' WHERE seq = {}", batch[0].integer(0)));
  found = problems();
  ASSERT_FALSE(found.empty());
  EXPECT_TRUE(found[0].starts_with(fmt::format("audit entry {} was altered", batch[0].integer(0)))) << found[0];
}

// A child created by CBP's batch and updated by ORR's release row has its own update entry;
// an edit after that is named by row.
TEST_P(Import, TamperingWithAnImportedChildUpdatedLaterIsNamed) {
  import_all_fixtures();
  const auto updated = query("SELECT entity_id, seq FROM audit_log WHERE action = 'update' AND entity = 'children' "
                             "ORDER BY seq DESC LIMIT 1");
  ASSERT_EQ(updated.size(), 1u);
  const Id child = updated[0].integer(0);
  ASSERT_TRUE(store_->read([&](SqlConnection& connection) {
    return connection.execute_script(fmt::format("UPDATE children SET given_names = 'X' WHERE id = {}", child));
  }));
  auto report = store_->verify_audit();
  ASSERT_TRUE(report);
  ASSERT_EQ(report->problems.size(), 1u);
  EXPECT_EQ(report->problems[0], fmt::format("children row {} was changed outside Accompany: it no longer matches "
                                             "audit entry {}",
                                             child, updated[0].integer(1)));
}

// The link index answers from memory while its maps are complete and from the database once a
// map passed the bound: the answers are the same either way, including for rows added later.
TEST_P(Import, TheLinkIndexAnswersTheSameInMemoryAndPastItsBound) {
  auto done = store_->transact({"system:test", "link index"}, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(first, unit.insert(testing::sample_child("A201000001")));
    ACCOMPANY_TRY(second, unit.insert(testing::sample_child("A201000002")));
    for (size_t bound : {size_t{100}, size_t{1}}) {
      LinkIndex index(unit.sql(), true, bound);
      ACCOMPANY_TRY(found_first, index.child_by_a_number("201000001"));
      EXPECT_EQ(found_first, std::optional<Id>(first)) << "bound " << bound;
      ACCOMPANY_TRY(found_second, index.child_by_a_number("201000002"));
      EXPECT_EQ(found_second, std::optional<Id>(second)) << "bound " << bound;
      ACCOMPANY_TRY(missing, index.child_by_a_number("201000003"));
      EXPECT_EQ(missing, std::nullopt) << "bound " << bound;
      EXPECT_LE(index.entries(), bound);
      ACCOMPANY_TRY(third, unit.insert(testing::sample_child(fmt::format("A20100{:04}", 3 + bound).c_str())));
      index.added_child(fmt::format("20100{:04}", 3 + bound), third);
      ACCOMPANY_TRY(found_third, index.child_by_a_number(fmt::format("20100{:04}", 3 + bound)));
      EXPECT_EQ(found_third, std::optional<Id>(third)) << "bound " << bound;
      EXPECT_LE(index.entries(), bound);
    }
    return {};
  });
  ASSERT_TRUE(done) << done.error().describe();
}

// SQLite does not look up the references an import writes (TransactOptions): each one must still
// hold afterwards, and the store's connection goes back to checking them.
TEST_P(Import, EveryReferenceHoldsAfterImportAndLaterWritesAreCheckedAgain) {
  const auto folder =
      std::filesystem::temp_directory_path() / fmt::format("import-references-{}-{}", getpid(), to_string(GetParam()));
  synth::SynthOptions options;
  options.children = 300;
  options.seed = 11;
  options.out = folder;
  options.rates = synth::default_rates();
  ASSERT_TRUE(synth::write_population(options));
  for (const auto& [kind, feed] : kFeedKindNames)
    for (const auto& entry : std::filesystem::directory_iterator(folder))
      if (entry.path().stem() == feed) import(kind, entry.path().string());
  import_all_fixtures();
  std::filesystem::remove_all(folder);
  ASSERT_GT(count("custody_events"), 300);
  ASSERT_GT(count("addresses WHERE sponsor_id IS NOT NULL"), 100);

  if (GetParam() == Dialect::sqlite) {
    EXPECT_TRUE(query("PRAGMA foreign_key_check").empty()) << "an import wrote a reference to no row";
    EXPECT_EQ(query("PRAGMA foreign_keys").at(0).integer(0), 1);
  }
  CustodyEvent orphan;
  orphan.child_id = 1'000'000'000;
  orphan.occurred_at = instant("2021-03-01T14:05:00Z");
  orphan.location = "RGV Sector";
  auto refused = store_->transact({"system:test", "a reference to no child"}, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(id, unit.insert(orphan));
    (void)id;
    return {};
  });
  EXPECT_FALSE(refused) << "a custody event of no child was written after an import";
}

INSTANTIATE_TEST_SUITE_P(Backends, Import, ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace accompany
