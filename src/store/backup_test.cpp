// Backup then restore gives back exactly the records and an audit chain that verifies, on
// both backends; a restore never overwrites data unless asked, and a tampered backup is caught.
#include "store/backup.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "store/store.h"
#include "store/testing/sample_records.h"
#include "store/testing/temporary_postgres.h"

namespace accompany {
namespace {

class Backup : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    source_ = *testing::fresh_database_location(GetParam(), "backup_source");
    target_ = *testing::fresh_database_location(GetParam(), "backup_target");
    file_ =
        (std::filesystem::temp_directory_path() / fmt::format("accompany-backup-{}-{}", getpid(), counter_++)).string();
    ASSERT_TRUE(Store::initialize(source_));
    auto store = Store::open(source_, clock_);
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->transact({"steward:li", "seed"}, [&](UnitOfWork& unit) -> Status {
      ACCOMPANY_TRY(child, unit.insert(testing::sample_child()));
      child_id_ = child;
      ACCOMPANY_CHECK(unit.insert(testing::sample_address(child)));
      return unit.record_read("children", child, "name");
    }));
  }
  void TearDown() override { std::filesystem::remove(file_); }

  static inline int counter_ = 0;
  FixedClock clock_{testing::instant("2024-06-01T12:00:00Z")};
  std::string source_, target_, file_;
  Id child_id_ = 0;
};

TEST_P(Backup, RestoreGivesBackTheRecordsAndAVerifiedChain) {
  auto backup = backup_database(source_, file_);
  ASSERT_TRUE(backup) << backup.error().describe();
  EXPECT_EQ(backup->audit_entries, 3);
  EXPECT_EQ(backup->audit_head_hash.size(), 64u);

  auto restored = restore_database(file_, target_, /*replace=*/false);
  ASSERT_TRUE(restored) << restored.error().describe();
  EXPECT_TRUE(restored->verification.ok());
  EXPECT_EQ(restored->verification.entries_checked, 3);
  EXPECT_EQ(restored->verification.head_hash, backup->audit_head_hash);

  auto store = Store::open(target_, clock_);
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->transact({"steward:li", "check"}, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(child, unit.find<Child>(child_id_));
    EXPECT_TRUE(child.has_value());
    if (child) {
      EXPECT_EQ(child->name.given_names, "María José");
    }
    return {};
  }));
}

TEST_P(Backup, NeverOverwritesWithoutReplace) {
  ASSERT_TRUE(backup_database(source_, file_));
  auto again = backup_database(source_, file_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  auto over_source = restore_database(file_, source_, /*replace=*/false);
  ASSERT_FALSE(over_source);
  EXPECT_EQ(over_source.error().code, ErrorCode::conflict);
  EXPECT_NE(over_source.error().message.find("--replace"), std::string::npos);
  auto replaced = restore_database(file_, source_, /*replace=*/true);
  ASSERT_TRUE(replaced) << replaced.error().describe();
  EXPECT_TRUE(replaced->verification.ok());
}

TEST_P(Backup, ATamperedRecordInTheBackupIsReported) {
  ASSERT_TRUE(backup_database(source_, file_));
  auto restored = restore_database(file_, target_, false);
  ASSERT_TRUE(restored);
  // Tamper with the restored copy and verify again through a fresh restore of it.
  auto sql = open_sql_connection(target_, false);
  ASSERT_TRUE(sql);
  ASSERT_TRUE((*sql)->execute_script("UPDATE children SET given_names = 'X'"));
  const std::string second = file_ + ".2";
  ASSERT_TRUE(backup_database(target_, second));
  const std::string third = *testing::fresh_database_location(GetParam(), "backup_third");
  auto checked = restore_database(second, third, false);
  std::filesystem::remove(second);
  ASSERT_TRUE(checked) << checked.error().describe();
  ASSERT_FALSE(checked->verification.ok());
  EXPECT_NE(checked->verification.problems[0].find("changed outside Accompany"), std::string::npos);
}

TEST(BackupErrors, AMissingBackupFileIsNamed) {
  auto restored = restore_database("/nonexistent/backup.db", "/tmp/never-created.db", false);
  ASSERT_FALSE(restored);
  EXPECT_EQ(restored.error().describe(), "no backup file at /nonexistent/backup.db");
}

INSTANTIATE_TEST_SUITE_P(Backends, Backup, ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace accompany
