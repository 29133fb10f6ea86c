// The store contract: the same tests run on SQLite and on a real PostgreSQL server, so the
// two backends behave the same.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <thread>

#include "store/store.h"
#include "store/testing/sample_records.h"
#include "store/testing/temporary_postgres.h"

namespace accompany {
namespace {

using testing::day;
using testing::instant;

class StoreContract : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    auto location = testing::fresh_database_location(GetParam(), "contract");
    ASSERT_TRUE(location) << location.error().describe();
    location_ = *location;
    auto initialized = Store::initialize(location_);
    ASSERT_TRUE(initialized) << initialized.error().describe();
    auto store = Store::open(location_, clock_);
    ASSERT_TRUE(store) << store.error().describe();
    store_ = std::move(*store);
  }

  // Runs `work` in a transaction as a test actor and expects it to succeed.
  void write(const std::function<Status(UnitOfWork&)>& work) {
    auto done = store_->transact(actor_, work);
    ASSERT_TRUE(done) << done.error().describe();
  }

  template <class T>
  Id insert(const T& record) {
    Id id = 0;
    write([&](UnitOfWork& unit) -> Status {
      ACCOMPANY_TRY(inserted, unit.insert(record));
      id = inserted;
      return {};
    });
    return id;
  }

  template <class T>
  std::optional<T> find(Id id) {
    std::optional<T> found;
    write([&](UnitOfWork& unit) -> Status {
      ACCOMPANY_TRY(record, unit.find<T>(id));
      found = std::move(record);
      return {};
    });
    return found;
  }

  std::int64_t audit_entries() {
    std::int64_t count = 0;
    auto done = store_->read([&](SqlConnection& sql) -> Status {
      ACCOMPANY_TRY(rows, sql.query("SELECT count(*) FROM audit_log"));
      count = rows.at(0).integer(0);
      return {};
    });
    EXPECT_TRUE(done);
    return count;
  }

  FixedClock clock_{instant("2024-06-01T12:00:00Z")};
  AuditContext actor_{"caseworker:ana", "contract test"};
  std::string location_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreContract, InitIsIdempotentAndOpenChecksTheSchema) {
  EXPECT_EQ(store_->dialect(), GetParam());
  EXPECT_EQ(store_->schema_version(), supported_schema_version(GetParam()));
  auto again = Store::initialize(location_);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->from_version, again->to_version);
}

TEST_P(StoreContract, RefusesADatabaseNewerThanTheBuild) {
  write([](UnitOfWork& unit) -> Status {
    ACCOMPANY_CHECK(
        unit.sql().execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, "
                           "'9999_future.sql', '2030-01-01T00:00:00Z')"));
    return {};
  });
  auto reopened = Store::open(location_, clock_);
  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().code, ErrorCode::schema_mismatch);
  EXPECT_NE(reopened.error().message.find("schema version 99, newer than this build"), std::string::npos)
      << reopened.error().message;
  auto migrated = Store::initialize(location_);
  ASSERT_FALSE(migrated);
  EXPECT_EQ(migrated.error().code, ErrorCode::schema_mismatch);
}

TEST_P(StoreContract, RefusesADatabaseWithoutSchema) {
  auto location = testing::fresh_database_location(GetParam(), "empty");
  ASSERT_TRUE(location);
  if (GetParam() == Dialect::sqlite) {
    auto missing = Store::open(*location, clock_);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::not_found);
    EXPECT_NE(missing.error().message.find("accompany init"), std::string::npos);
    ASSERT_TRUE(open_sql_connection(*location, /*create=*/true));  // now an empty file exists
  }
  auto empty = Store::open(*location, clock_);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::schema_mismatch);
  EXPECT_NE(empty.error().message.find("run `accompany init`"), std::string::npos) << empty.error().message;
}

TEST_P(StoreContract, EveryRecordTypeRoundTripsExactly) {
  Child child = testing::sample_child();
  child.id = insert(child);
  EXPECT_EQ(find<Child>(child.id), child);

  Child estimated = testing::sample_child(nullptr);
  estimated.birth_date = *BirthDate::estimated(15, day("2023-03-01"));
  estimated.languages = {"spa"};
  estimated.interpreter_needed = false;
  estimated.id = insert(estimated);
  EXPECT_EQ(find<Child>(estimated.id), estimated);

  Child month = testing::sample_child("A098765432");
  month.birth_date = *BirthDate::year_month(2010, 11);
  month.name = PersonName{"Kevin", "", "Xol"};
  month.id = insert(month);
  EXPECT_EQ(find<Child>(month.id), month);

  Sponsor sponsor = testing::sample_sponsor();
  sponsor.id = insert(sponsor);
  EXPECT_EQ(find<Sponsor>(sponsor.id), sponsor);

  Address address = testing::sample_address(child.id, sponsor.id);
  address.id = insert(address);
  EXPECT_EQ(find<Address>(address.id), address);

  CustodyEvent release{0,
                       child.id,
                       CustodyEventKind::released_to_sponsor,
                       instant("2023-01-05T15:30:00Z"),
                       "Shelter, San Benito TX",
                       sponsor.id};
  release.id = insert(release);
  EXPECT_EQ(find<CustodyEvent>(release.id), release);

  NoticeToAppear notice{0, child.id, day("2023-01-20"), day("2023-02-02"), ServiceMethod::certified_mail, address.id};
  notice.id = insert(notice);
  EXPECT_EQ(find<NoticeToAppear>(notice.id), notice);

  Hearing hearing{0,
                  child.id,
                  "Houston Immigration Court",
                  instant("2024-09-10T14:00:00Z"),
                  HearingType::master_calendar,
                  HearingOutcome::scheduled,
                  ""};
  hearing.id = insert(hearing);
  EXPECT_EQ(find<Hearing>(hearing.id), hearing);

  WelfareCheck check{0,
                     child.id,
                     day("2023-02-04"),
                     instant("2023-02-04T17:00:00Z"),
                     WelfareMethod::phone,
                     WelfareOutcome::reached_safe};
  check.id = insert(check);
  EXPECT_EQ(find<WelfareCheck>(check.id), check);

  Contact contact{0,
                  instant("2024-05-30T03:14:00Z"),
                  ContactChannel::phone,
                  CallerType::school,
                  "spa",
                  ContactCategory::welfare_concern,
                  "Teacher says she has missed two weeks.\nCalled back.",
                  "referred",
                  {child.id, month.id},
                  "school",
                  "+12025550143",
                  "call-7",
                  "ana",
                  R"({"where_child_is":"at school"})"};
  contact.id = insert(contact);
  EXPECT_EQ(find<Contact>(contact.id), contact);

  Task task{0,
            child.id,
            "hearing_without_counsel",
            "legal_referral",
            "Hearing on 2024-09-10 with no counsel of record.",
            TaskPriority::high,
            TaskStatus::open,
            instant("2024-06-01T12:00:00Z"),
            instant("2024-06-08T12:00:00Z"),
            "",
            std::nullopt,
            "",
            "Audiencia el 2024-09-10 sin abogado registrado."};
  task.id = insert(task);
  EXPECT_EQ(find<Task>(task.id), task);

  EXPECT_FALSE(find<Child>(999999).has_value());
}

TEST_P(StoreContract, UpdateAndRemoveAreAudited) {
  Child child = testing::sample_child();
  child.id = insert(child);
  const auto before = audit_entries();
  child.name.given_names = "María Josefa";
  write([&](UnitOfWork& unit) { return unit.update(child); });
  EXPECT_EQ(find<Child>(child.id)->name.given_names, "María Josefa");
  Sponsor sponsor = testing::sample_sponsor();
  sponsor.id = insert(sponsor);
  write([&](UnitOfWork& unit) { return unit.remove<Sponsor>(sponsor.id); });
  EXPECT_FALSE(find<Sponsor>(sponsor.id).has_value());
  EXPECT_EQ(audit_entries(), before + 3);  // update, insert, delete

  auto missing = store_->transact(actor_, [&](UnitOfWork& unit) {
    Child ghost = child;
    ghost.id = 424242;
    return unit.update(ghost);
  });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
}

TEST_P(StoreContract, UpdatesOfSomeColumnsReadBackWhole) {
  // An update writes only the columns that changed; the rest of the row must stay as it was,
  // whether the row was read first (find, then update) or not, and in a bulk unit of work.
  Child child = testing::sample_child();
  child.id = insert(child);
  Child other = testing::sample_child("A098765432");
  other.id = insert(other);

  child.languages = {"spa"};
  child.interpreter_needed = false;
  write([&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(read, unit.find<Child>(child.id));
    EXPECT_TRUE(read.has_value());
    return unit.update(child);
  });
  EXPECT_EQ(find<Child>(child.id), child);

  child.name.paternal_surname = "Lopez";
  child.birth_date = *BirthDate::estimated(15, day("2023-03-01"));
  write([&](UnitOfWork& unit) { return unit.update(child); });  // not read first
  EXPECT_EQ(find<Child>(child.id), child);

  write([&](UnitOfWork& unit) { return unit.update(child); });  // nothing changed
  EXPECT_EQ(find<Child>(child.id), child);
  EXPECT_EQ(find<Child>(other.id), other);

  Child bulk = testing::sample_child("A111222333");
  write([&](UnitOfWork& unit) -> Status {
    unit.audit_inserts_in_batches();
    ACCOMPANY_TRY(id, unit.insert(bulk));
    bulk.id = id;
    ACCOMPANY_TRY(read, unit.find<Child>(id));
    EXPECT_TRUE(read.has_value());
    bulk.languages = {"quc", "spa"};
    bulk.country_of_birth = "HN";
    return unit.update(bulk);
  });
  EXPECT_EQ(find<Child>(bulk.id), bulk);
  EXPECT_EQ(find<Child>(other.id), other);

  auto report = store_->verify_audit();
  ASSERT_TRUE(report) << report.error().describe();
  EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems.front());
}

TEST_P(StoreContract, FindByFiltersOnADeclaredColumn) {
  Child child = testing::sample_child();
  child.id = insert(child);
  insert(testing::sample_address(child.id));
  insert(testing::sample_address(child.id));
  write([&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(addresses, unit.find_by<Address>("child_id", child.id));
    EXPECT_EQ(addresses.size(), 2u);
    auto undeclared = unit.find_by<Address>("child_id; DROP TABLE children", child.id);
    EXPECT_FALSE(undeclared);
    return {};
  });
}

TEST_P(StoreContract, AnInvalidRecordIsRefusedWithItsFieldAndNothingIsWritten) {
  const auto before = audit_entries();
  Child child = testing::sample_child();
  child.country_of_birth = "ZZ";
  auto refused = store_->transact(actor_, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_CHECK(unit.insert(child));
    return {};
  });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(refused.error().field, "country_of_birth");
  EXPECT_EQ(audit_entries(), before);
}

TEST_P(StoreContract, AFailedUnitOfWorkLeavesNoTrace) {
  const auto before = audit_entries();
  Id inserted = 0;
  auto failed = store_->transact(actor_, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(id, unit.insert(testing::sample_child()));
    inserted = id;
    return make_error(ErrorCode::invalid_argument, "the second half of the work failed");
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "the second half of the work failed");
  EXPECT_GT(inserted, 0);
  EXPECT_FALSE(find<Child>(inserted).has_value());
  EXPECT_EQ(audit_entries(), before);
  auto report = store_->verify_audit();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok());
}

TEST_P(StoreContract, ConstraintViolationsAreConflicts) {
  insert(testing::sample_child("A201234567"));
  auto duplicate = store_->transact(actor_, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_CHECK(unit.insert(testing::sample_child("A-201-234-567")));
    return {};
  });
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::conflict);

  auto orphan = store_->transact(actor_, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_CHECK(unit.insert(testing::sample_address(987654)));
    return {};
  });
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().code, ErrorCode::conflict);
}

// Bulk inserts (audit_inserts_in_batches) are pipelined on PostgreSQL with ids taken from the
// sequence: the ids must still be the rows' real ids, and an INSERT that fails after it was
// queued must still fail the unit of work and leave nothing behind.
TEST_P(StoreContract, BulkInsertsKeepTheirIdsAndAFailingOneFailsTheWholeUnit) {
  std::vector<Id> ids;
  write([&](UnitOfWork& unit) -> Status {
    unit.audit_inserts_in_batches();
    for (int i = 0; i < 3000; ++i) {  // past a pipeline depth and an id block
      ACCOMPANY_TRY(child, unit.insert(testing::sample_child(fmt::format("A2{:08}", i).c_str())));
      ACCOMPANY_TRY(address, unit.insert(testing::sample_address(child)));
      ids.push_back(child);
      ids.push_back(address);
    }
    return {};
  });
  for (size_t i = 0; i < ids.size(); i += 2) {
    auto child = find<Child>(ids[i]);
    ASSERT_TRUE(child.has_value()) << "child " << ids[i];
    EXPECT_EQ(child->a_number->digits(), fmt::format("2{:08}", i / 2));
    auto address = find<Address>(ids[i + 1]);
    ASSERT_TRUE(address.has_value()) << "address " << ids[i + 1];
    EXPECT_EQ(address->child_id, ids[i]);
  }
  auto report = store_->verify_audit();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok());

  const auto before = audit_entries();
  Id first = 0;
  auto failed = store_->transact(actor_, [&](UnitOfWork& unit) -> Status {
    unit.audit_inserts_in_batches();
    ACCOMPANY_TRY(child, unit.insert(testing::sample_child("A309999999")));
    first = child;
    ACCOMPANY_CHECK(unit.insert(testing::sample_address(987654)));  // no such child
    for (int i = 0; i < 10; ++i) ACCOMPANY_CHECK(unit.insert(testing::sample_address(child)));
    return {};
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::conflict) << failed.error().describe();
  EXPECT_FALSE(find<Child>(first).has_value());
  EXPECT_EQ(audit_entries(), before);
  report = store_->verify_audit();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok());
}

TEST_P(StoreContract, ReadsAndEventsJoinTheSameChain) {
  Child child = testing::sample_child();
  child.id = insert(child);
  write([&](UnitOfWork& unit) -> Status {
    ACCOMPANY_CHECK(unit.record_read("children", child.id, "name,birth_date,addresses"));
    return unit.record_event("import", "import_files", 1, "orr_release.csv: 10 rows");
  });
  auto refused =
      store_->transact(actor_, [&](UnitOfWork& unit) { return unit.record_event("update", "children", 1, ""); });
  EXPECT_FALSE(refused);
  std::vector<std::string> actions;
  ASSERT_TRUE(store_->read([&](SqlConnection& sql) -> Status {
    ACCOMPANY_TRY(rows, sql.query("SELECT action, actor, purpose, fields, at FROM audit_log ORDER BY seq"));
    for (const auto& row : rows) actions.push_back(row.text(0));
    EXPECT_EQ(rows.back().text(1), "caseworker:ana");
    EXPECT_EQ(rows.back().text(2), "contract test");
    EXPECT_EQ(rows[1].text(3), "name,birth_date,addresses");
    EXPECT_EQ(rows[1].text(4), "2024-06-01T12:00:00Z");
    return {};
  }));
  EXPECT_EQ(actions, (std::vector<std::string>{"insert", "read", "import"}));
  auto report = store_->verify_audit();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok()) << report->problems.front();
  EXPECT_EQ(report->entries_checked, 3);
  EXPECT_EQ(report->rows_checked, 1);
}

TEST_P(StoreContract, ConcurrentWritersKeepOneUnbrokenChain) {
  constexpr int kThreads = 4;
  constexpr int kWritesEach = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesEach; ++i) {
        Child child = testing::sample_child(nullptr);
        child.name.given_names = "Writer " + std::to_string(t) + " child " + std::to_string(i);
        auto done = store_->transact({"writer:" + std::to_string(t), "load"}, [&](UnitOfWork& unit) -> Status {
          ACCOMPANY_CHECK(unit.insert(child));
          return {};
        });
        if (!done) {
          ++failures;
          ADD_FAILURE() << done.error().describe();
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(audit_entries(), kThreads * kWritesEach);
  auto report = store_->verify_audit();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems.front());
  EXPECT_EQ(report->rows_checked, kThreads * kWritesEach);
}

TEST_P(StoreContract, GroupCommittedReadsJoinTheChainWithConcurrentWrites) {
  Child child = testing::sample_child();
  child.id = insert(child);
  constexpr int kReaders = 6;
  constexpr int kReadsEach = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kReaders; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kReadsEach; ++i) {
        auto done = store_->read_audited({"reader:" + std::to_string(t), "follow-up"}, [&](UnitOfWork& unit) -> Status {
          ACCOMPANY_TRY(found, unit.find<Child>(child.id));
          if (!found) return make_error(ErrorCode::internal, "child vanished");
          return unit.record_read("children", child.id, "name");
        });
        if (!done) {
          ++failures;
          ADD_FAILURE() << done.error().describe();
        }
      }
    });
  }
  // A writer interleaves row writes with the batches of reads.
  threads.emplace_back([&] {
    for (int i = 0; i < 20; ++i) {
      Child other = testing::sample_child(nullptr);
      other.name.given_names = "Interleaved " + std::to_string(i);
      auto done = store_->transact({"writer", "load"}, [&](UnitOfWork& unit) -> Status {
        ACCOMPANY_CHECK(unit.insert(other));
        return {};
      });
      if (!done) ++failures;
    }
  });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(audit_entries(), 1 + kReaders * kReadsEach + 20);
  EXPECT_EQ(store_->group_commit_entries(), kReaders * kReadsEach);
  EXPECT_LE(store_->group_commit_transactions(), kReaders * kReadsEach);
  std::int64_t reader_entries = 0;
  ASSERT_TRUE(store_->read([&](SqlConnection& sql) -> Status {
    ACCOMPANY_TRY(rows, sql.query("SELECT count(*) FROM audit_log WHERE action = 'read' AND actor LIKE 'reader:%' "
                                  "AND purpose = 'follow-up' AND fields = 'name' AND at = '2024-06-01T12:00:00Z'"));
    reader_entries = rows.at(0).integer(0);
    return {};
  }));
  EXPECT_EQ(reader_entries, kReaders * kReadsEach);
  auto report = store_->verify_audit();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems.front());
}

TEST_P(StoreContract, AnAuditedReadCannotWriteAndAFailedReadLogsNothing) {
  Child child = testing::sample_child();
  child.id = insert(child);
  auto write_attempt = store_->read_audited(actor_, [&](UnitOfWork& unit) -> Status {
    Child changed = child;
    changed.name.given_names = "Changed";
    return unit.update(changed);
  });
  ASSERT_FALSE(write_attempt);
  EXPECT_NE(write_attempt.error().describe().find("read-only"), std::string::npos) << write_attempt.error().describe();
  auto failed = store_->read_audited(actor_, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_CHECK(unit.record_read("children", child.id, "name"));
    return make_error(ErrorCode::not_found, "nothing to show");
  });
  EXPECT_FALSE(failed);
  EXPECT_EQ(audit_entries(), 1);
  EXPECT_EQ(find<Child>(child.id)->name.given_names, child.name.given_names);
}

// Callers that queue while a transaction commits share the next one, and all of them get its outcome.
TEST(AuditGroupCommit, CallersWaitingDuringACommitShareTheNextTransaction) {
  std::mutex gate;
  std::unique_lock first_held(gate);
  std::atomic<int> calls{0};
  std::vector<size_t> sizes;
  AuditGroupCommit group([&](std::vector<AuditEntry>& entries) -> Status {
    sizes.push_back(entries.size());
    if (calls++ == 0) std::lock_guard wait_for_release(gate);  // hold the first commit open
    if (entries.size() > 1) return make_error(ErrorCode::unavailable, "disk full");
    return {};
  });
  auto entry = [] { return std::vector<AuditEntry>{AuditEntry{}}; };
  std::thread first([&] { EXPECT_TRUE(group.submit(entry())); });
  while (calls == 0) std::this_thread::yield();
  std::vector<std::thread> later;
  std::atomic<int> refused{0};
  for (int i = 0; i < 3; ++i)
    later.emplace_back([&] {
      auto done = group.submit(entry());
      if (!done && done.error().describe().find("disk full") != std::string::npos) ++refused;
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let all three queue
  first_held.unlock();
  first.join();
  for (auto& thread : later) thread.join();
  EXPECT_EQ(refused, 3);  // the three shared one failed transaction
  ASSERT_EQ(sizes.size(), 2u);
  EXPECT_EQ(sizes[0], 1u);
  EXPECT_EQ(sizes[1], 3u);
  EXPECT_EQ(group.transactions(), 1);
  EXPECT_EQ(group.entries(), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract, ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace accompany
