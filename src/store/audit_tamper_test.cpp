// Tamper evidence: a hand edit of any audited row or audit entry, on either backend, makes
// `audit verify` fail and name what was changed; an untouched database verifies.
#include <gtest/gtest.h>

#include <algorithm>

#include "store/audit_batch.h"
#include "store/store.h"
#include "store/testing/sample_records.h"
#include "store/testing/temporary_postgres.h"

namespace accompany {
namespace {

using testing::instant;

class AuditTamper : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    auto location = testing::fresh_database_location(GetParam(), "tamper");
    ASSERT_TRUE(location) << location.error().describe();
    ASSERT_TRUE(Store::initialize(*location));
    auto store = Store::open(*location, clock_);
    ASSERT_TRUE(store) << store.error().describe();
    store_ = std::move(*store);
    // Entries 1-4: three children inserted, one updated; entry 5: a read.
    ASSERT_TRUE(store_->transact({"steward:li", "setup"}, [&](UnitOfWork& unit) -> Status {
      for (const char* a_number : {"A100000001", "A100000002", "A100000003"}) {
        ACCOMPANY_TRY(id, unit.insert(testing::sample_child(a_number)));
        ids_.push_back(id);
      }
      ACCOMPANY_TRY(child, unit.find<Child>(ids_[1]));
      child->name.given_names = "Ana Lucía";
      ACCOMPANY_CHECK(unit.update(*child));
      return unit.record_read("children", ids_[0], "name");
    }));
  }

  // A change made straight in the database, as someone bypassing Accompany would.
  void by_hand(const std::string& sql) {
    ASSERT_TRUE(store_->read([&](SqlConnection& connection) { return connection.execute_script(sql); }));
  }

  std::vector<std::string> problems() {
    auto report = store_->verify_audit();
    EXPECT_TRUE(report) << report.error().describe();
    return report ? report->problems : std::vector<std::string>{"verify failed"};
  }

  FixedClock clock_{instant("2024-06-01T12:00:00Z")};
  std::unique_ptr<Store> store_;
  std::vector<Id> ids_;
};

TEST_P(AuditTamper, AnUntouchedDatabaseVerifies) {
  auto report = store_->verify_audit();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->entries_checked, 5);
  EXPECT_EQ(report->rows_checked, 3);
  EXPECT_EQ(report->head_hash.size(), 64u);
}

TEST_P(AuditTamper, AnEditedRecordIsNamed) {
  by_hand("UPDATE children SET given_names = 'Someone Else' WHERE id = " + std::to_string(ids_[1]));
  auto found = problems();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0], "children row " + std::to_string(ids_[1]) +
                          " was changed outside Accompany: it no longer matches audit entry 4");
}

TEST_P(AuditTamper, ADeletedRecordIsNamed) {
  by_hand("DELETE FROM children WHERE id = " + std::to_string(ids_[2]));
  auto found = problems();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0],
            "children row " + std::to_string(ids_[2]) + " was deleted outside Accompany (last audited in entry 3)");
}

TEST_P(AuditTamper, ARecordInsertedByHandIsNamed) {
  by_hand(
      "INSERT INTO sponsors (id, given_names, paternal_surname, maternal_surname, category, relationship) "
      "VALUES (500, 'X', 'Y', '', '3', '')");
  auto found = problems();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0], "sponsors row 500 has no audit entry: it was written outside Accompany");
}

TEST_P(AuditTamper, AnEditedEntryIsNamed) {
  by_hand("UPDATE audit_log SET actor = 'someone:else' WHERE seq = 2");
  auto found = problems();
  ASSERT_FALSE(found.empty());
  EXPECT_TRUE(found[0].starts_with("audit entry 2 was altered")) << found[0];
}

TEST_P(AuditTamper, ARecomputedEntryStillBreaksTheNextLink) {
  // Someone who rewrites an entry and its hash breaks the link from the entry after it.
  by_hand("UPDATE audit_log SET hash = '" + std::string(64, 'a') + "' WHERE seq = 2");
  auto found = problems();
  ASSERT_GE(found.size(), 2u);
  EXPECT_TRUE(found[0].starts_with("audit entry 2 was altered")) << found[0];
  EXPECT_TRUE(found[1].starts_with("audit entry 3 does not follow entry 2")) << found[1];
}

TEST_P(AuditTamper, ADeletedEntryIsNamed) {
  by_hand("DELETE FROM audit_log WHERE seq = 3");
  auto found = problems();
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0], "audit entry 3 is missing: the chain jumps from entry 2 to entry 4");
}

TEST_P(AuditTamper, RemovingTheLastEntriesIsNoticed) {
  by_hand("DELETE FROM audit_log WHERE seq = 5");
  auto found = problems();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(found[0].starts_with("the audit log ends at entry 4 but its head records entry 5")) << found[0];
}

// Bulk mode: inserts audited by one insert_batch entry; an update of a row still waiting in
// the batch is folded into it; rows deleted or edited by hand are still found.
TEST_P(AuditTamper, BatchedInsertsVerifyAndTamperingIsFound) {
  std::vector<Id> batch;
  ASSERT_TRUE(store_->transact({"system:import", "bulk"}, [&](UnitOfWork& unit) -> Status {
    unit.audit_inserts_in_batches();
    for (const char* a_number : {"A200000001", "A200000002", "A200000003", "A200000004"}) {
      ACCOMPANY_TRY(id, unit.insert(testing::sample_child(a_number)));
      batch.push_back(id);
    }
    ACCOMPANY_TRY(child, unit.find<Child>(batch[1]));
    child->name.given_names = "Rosa";
    ACCOMPANY_CHECK(unit.update(*child));
    return unit.record_event("import", "children", 0, "test");
  }));
  // Entries 6: the batch (the update folded into it), 7: the import event.
  auto report = store_->verify_audit();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok()) << report->problems.front();
  EXPECT_EQ(report->entries_checked, 7);
  EXPECT_EQ(report->rows_checked, 7);

  // A later update of a batched row keeps the batch verifiable through its before_digest.
  ASSERT_TRUE(store_->transact({"steward:li", "fix"}, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(child, unit.find<Child>(batch[2]));
    child->name.given_names = "Marta";
    return unit.update(*child);
  }));
  EXPECT_TRUE(problems().empty());

  by_hand("UPDATE children SET given_names = 'Someone Else' WHERE id = " + std::to_string(batch[3]));
  auto found = problems();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0], "children rows written together in audit entry 6 (" + describe_batch_ids(batch) +
                          ") were changed outside Accompany: one or more of them no longer match that entry");
  by_hand("DELETE FROM children WHERE id = " + std::to_string(batch[0]));
  found = problems();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0], "children row " + std::to_string(batch[0]) + " was deleted outside Accompany (last audited in entry 6)");

  // An entry forged after the batch that lists one of its rows again leaves the batch
  // unverifiable, and says so (besides the broken chain).
  by_hand(
      "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, purpose, fields, before_digest, "
      "after_digest, prev_hash, hash) VALUES (9, 't', 'x', 'insert_batch', 'children', " +
      std::to_string(batch[1]) + ", '', 'rows=1 ids=" + std::to_string(batch[1]) + "', '', 'x', 'x', 'x')");
  found = problems();
  EXPECT_NE(std::find(found.begin(), found.end(),
                      "audit entry 6 lists 4 rows but 1 of them cannot be checked against it (listed again by a "
                      "later entry, or not in an audited table)"),
            found.end())
      << ::testing::PrintToString(found);
}

TEST(AuditBatchIds, RangesRoundTripAndBadListsAreRefused) {
  const std::vector<Id> ids{3, 4, 5, 6, 9, 11, 12};
  EXPECT_EQ(describe_batch_ids(ids), "rows=7 ids=3-6,9,11-12");
  auto parsed = parse_batch_ids("rows=7 ids=3-6,9,11-12");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, ids);
  EXPECT_FALSE(parse_batch_ids("rows=8 ids=3-6,9,11-12"));
  EXPECT_FALSE(parse_batch_ids("rows=3 ids=5-3"));
  EXPECT_FALSE(parse_batch_ids("rows=2 ids=5,4"));
  EXPECT_FALSE(parse_batch_ids("rows=2 ids=a,b"));
  EXPECT_FALSE(parse_batch_ids("ids=1"));
  EXPECT_FALSE(parse_batch_ids("rows=99999999999 ids=1-99999999999"));
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditTamper, ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace accompany
