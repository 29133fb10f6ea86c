// The retention purge on both backends: exactly the cases closed before the date go, with
// every row that names them (a sponsor only when no other child names it, a shared contact
// only loses the child); the rest stays; the audit chain still verifies and records the purge.
#include "store/retention.h"

#include <gtest/gtest.h>

#include "store/audit_verifier.h"
#include "store/testing/sample_records.h"
#include "store/testing/temporary_postgres.h"

namespace accompany {
namespace {

using testing::instant;

class Retention : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    location_ = *testing::fresh_database_location(GetParam(), "retention");
    ASSERT_TRUE(Store::initialize(location_));
    auto store = Store::open(location_, clock_);
    ASSERT_TRUE(store) << store.error().describe();
    store_ = std::move(*store);
    ASSERT_TRUE(store_->transact({"steward:li", "seed"}, [&](UnitOfWork& unit) -> Status {
      ACCOMPANY_TRY(a, unit.insert(testing::sample_child("A201234561")));
      ACCOMPANY_TRY(b, unit.insert(testing::sample_child("A201234562")));
      ACCOMPANY_TRY(c, unit.insert(testing::sample_child("A201234563")));
      ACCOMPANY_TRY(d, unit.insert(testing::sample_child("A201234564")));
      closed_old_ = a, reopened_ = b, closed_recently_ = c, open_ = d;
      ACCOMPANY_TRY(only_a, unit.insert(testing::sample_sponsor()));
      ACCOMPANY_TRY(shared, unit.insert(testing::sample_sponsor()));
      sponsor_of_a_ = only_a, shared_sponsor_ = shared;
      ACCOMPANY_CHECK(unit.insert(testing::sample_address(a, only_a)));
      ACCOMPANY_CHECK(unit.insert(testing::sample_address(a, shared)));
      ACCOMPANY_CHECK(unit.insert(testing::sample_address(c, shared)));
      auto event = [&](Id child, CustodyEventKind kind, const char* at, std::optional<Id> sponsor = {}) {
        return unit.insert(CustodyEvent{0, child, kind, instant(at), "Casa Esperanza", sponsor});
      };
      ACCOMPANY_CHECK(event(a, CustodyEventKind::released_to_sponsor, "2018-03-01T10:00:00Z", only_a));
      ACCOMPANY_CHECK(event(a, CustodyEventKind::case_closed, "2019-05-01T10:00:00Z"));
      ACCOMPANY_CHECK(event(b, CustodyEventKind::case_closed, "2019-05-01T10:00:00Z"));
      ACCOMPANY_CHECK(event(b, CustodyEventKind::apprehended, "2021-02-01T10:00:00Z"));  // reopened
      ACCOMPANY_CHECK(event(c, CustodyEventKind::case_closed, "2023-05-01T10:00:00Z"));
      ACCOMPANY_CHECK(event(d, CustodyEventKind::apprehended, "2018-01-01T10:00:00Z"));
      ACCOMPANY_CHECK(unit.insert(LocalId{0, "UAC_ID", "UAC00000001", "children", a}));
      ACCOMPANY_CHECK(unit.insert(LocalId{0, "SPONSOR_ID", "SP00000001", "sponsors", only_a}));
      Task task;
      task.child_id = a;
      task.rule = "manual";
      task.queue = "records";
      task.reason = "file closure letter";
      task.status = TaskStatus::closed;
      task.opened_at = instant("2019-04-01T10:00:00Z");
      task.due_at = instant("2019-04-08T10:00:00Z");
      task.closed_at = instant("2019-04-02T10:00:00Z");
      task.close_reason = "sent";
      ACCOMPANY_CHECK(unit.insert(task));
      Contact contact;
      contact.occurred_at = instant("2019-01-01T10:00:00Z");
      contact.language = "spa";
      contact.narrative = "Llamó la patrocinadora";
      contact.outcome = "informed";
      contact.child_ids = {a};
      ACCOMPANY_TRY(alone, unit.insert(contact));
      contact.child_ids = {a, c};
      ACCOMPANY_TRY(shared_contact, unit.insert(contact));
      contact_about_a_ = alone, shared_contact_ = shared_contact;
      return {};
    }));
  }

  std::int64_t count(const std::string& sql_text) {
    std::int64_t n = -1;
    EXPECT_TRUE(store_->read([&](SqlConnection& sql) -> Status {
      ACCOMPANY_TRY(rows, sql.query(sql_text));
      n = rows.at(0).integer(0);
      return {};
    }));
    return n;
  }
  void expect_verifies() {
    EXPECT_TRUE(store_->read([&](SqlConnection& sql) -> Status {
      ACCOMPANY_TRY(verification, verify_audit(sql));
      EXPECT_TRUE(verification.ok()) << (verification.problems.empty() ? "" : verification.problems.front());
      return {};
    }));
  }

  FixedClock clock_{instant("2026-01-15T12:00:00Z")};
  std::string location_;
  std::unique_ptr<Store> store_;
  Id closed_old_ = 0, reopened_ = 0, closed_recently_ = 0, open_ = 0;
  Id sponsor_of_a_ = 0, shared_sponsor_ = 0, contact_about_a_ = 0, shared_contact_ = 0;
};

TEST_P(Retention, DryRunListsTheClosedCasesAndChangesNothing) {
  const auto entries = count("SELECT count(*) FROM audit_log");
  auto summary = purge_closed_cases(*store_, "cli:test", testing::day("2020-01-01"), "rule R-7: 6 years", true);
  ASSERT_TRUE(summary) << summary.error().describe();
  ASSERT_EQ(summary->cases.size(), 1u);
  EXPECT_EQ(summary->cases[0].child_id, closed_old_);
  EXPECT_EQ(summary->rows.at("addresses"), 2);
  EXPECT_EQ(summary->rows.at("custody_events"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM children"), 4);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log"), entries);
}

TEST_P(Retention, PurgeRemovesTheClosedCaseAndKeepsTheChainVerifiable) {
  auto summary = purge_closed_cases(*store_, "cli:test", testing::day("2020-01-01"), "rule R-7: 6 years", false);
  ASSERT_TRUE(summary) << summary.error().describe();
  ASSERT_EQ(summary->cases.size(), 1u);
  const auto a = std::to_string(closed_old_);
  EXPECT_EQ(count("SELECT count(*) FROM children WHERE id = " + a), 0);
  EXPECT_EQ(count("SELECT count(*) FROM children"), 3);
  for (const char* table : {"addresses", "custody_events", "tasks"})
    EXPECT_EQ(count(std::string("SELECT count(*) FROM ") + table + " WHERE child_id = " + a), 0) << table;
  EXPECT_EQ(count("SELECT count(*) FROM local_ids"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM sponsors WHERE id = " + std::to_string(sponsor_of_a_)), 0);
  EXPECT_EQ(count("SELECT count(*) FROM sponsors WHERE id = " + std::to_string(shared_sponsor_)), 1);
  EXPECT_EQ(count("SELECT count(*) FROM contacts WHERE id = " + std::to_string(contact_about_a_)), 0);
  EXPECT_EQ(count("SELECT count(*) FROM contacts WHERE id = " + std::to_string(shared_contact_) +
                  " AND child_ids = '" + std::to_string(closed_recently_) + "'"),
            1);
  EXPECT_EQ(summary->rows.at("children"), 1);
  EXPECT_EQ(summary->rows.at("sponsors"), 1);
  EXPECT_EQ(summary->rows.at("contacts"), 1);
  EXPECT_EQ(summary->rows.at("contacts (child unlinked)"), 1);
  // The reopened, the recently closed and the open case are untouched.
  EXPECT_EQ(count("SELECT count(*) FROM custody_events"), 4);
  // Every removal is a delete entry, and the purge itself an event with the reason.
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'retention_purge' AND entity_id = " + a +
                  " AND purpose = 'retention purge: rule R-7: 6 years'"),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'delete' AND entity = 'children' AND entity_id = " +
                  a),
            1);
  expect_verifies();
  // Nothing left to purge: a second run is a no-op, and still verifies.
  auto again = purge_closed_cases(*store_, "cli:test", testing::day("2020-01-01"), "rule R-7: 6 years", false);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->cases.empty());
  expect_verifies();
}

TEST_P(Retention, APurgeNeedsAReason) {
  auto summary = purge_closed_cases(*store_, "cli:test", testing::day("2020-01-01"), "  ", false);
  ASSERT_FALSE(summary);
  EXPECT_NE(summary.error().describe().find("needs a reason"), std::string::npos);
  EXPECT_EQ(count("SELECT count(*) FROM children"), 4);
}

INSTANTIATE_TEST_SUITE_P(Backends, Retention, ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace accompany
