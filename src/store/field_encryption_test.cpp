// Sensitive fields encrypted at rest, on both backends: the table holds ciphertext, the store
// hands back plain text, `accompany keys rotate` re-encrypts under a new key in one audited
// transaction (rerun safe), the old key then fails with a message naming table, row, field and
// key id, and `audit verify` passes throughout (digests cover the stored ciphertext).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "security/digest.h"
#include "security/field_cipher.h"
#include "store/store.h"
#include "store/testing/sample_records.h"
#include "store/testing/temporary_postgres.h"
#include "store/unit_of_work.h"

namespace accompany {
namespace {

using testing::instant;

constexpr const char* kNarrative = "Says the sponsor takes her wages and keeps her from school";
constexpr const char* kQuarantinedRaw = "ORR-7,A201234561,Ana Lucia,Perez,2010-02-30,1200 W Main St";
constexpr const char* kUnlinkedRaw = "CBP-9,,Ana Lucia,Perez,2010-02-03,Hidalgo";
constexpr const char* kReminderBody = "Usted tiene una audiencia en San Antonio Immigration Court el 2024-06-08";

struct Run {
  int exit_code;
  std::string output;
};

Run run_accompany(const std::string& args) {
  const auto out = std::filesystem::temp_directory_path() / fmt::format("field-enc-out-{}", getpid());
  const int status =
      std::system(fmt::format("'{}' {} >'{}' 2>&1 </dev/null", ACCOMPANY_BINARY_PATH, args, out.string()).c_str());
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  std::filesystem::remove(out);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

std::string key_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / fmt::format("field-enc-{}-{}.key", getpid(), name)).string();
}

class FieldEncryption : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    initialize_crypto();
    old_path_ = key_path(fmt::format("old{}", counter_));
    new_path_ = key_path(fmt::format("new{}", counter_++));
    std::filesystem::remove(old_path_);
    std::filesystem::remove(new_path_);
    auto old_key = create_key_file(old_path_);
    ASSERT_TRUE(old_key) << old_key.error().describe();
    old_key_ = *old_key;
    install_field_keys(old_key_);
    location_ = *testing::fresh_database_location(GetParam(), "field_encryption");
    ASSERT_TRUE(Store::initialize(location_));
    auto store = Store::open(location_, clock_);
    ASSERT_TRUE(store) << store.error().describe();
    store_ = std::move(*store);
    ASSERT_TRUE(store_->transact({"agent:ana", "seed"}, [&](UnitOfWork& unit) -> Status {
      ACCOMPANY_TRY(child, unit.insert(testing::sample_child("A201234561")));
      ACCOMPANY_TRY(sponsor, unit.insert(testing::sample_sponsor()));
      sponsor_ = sponsor;
      Contact contact;
      contact.occurred_at = instant("2024-05-01T22:00:00Z");
      contact.language = "spa";
      contact.category = ContactCategory::exploitation_report;
      contact.narrative = kNarrative;
      contact.outcome = "referred to safety team";
      contact.child_ids = {child};
      ACCOMPANY_TRY(id, unit.insert(contact));
      contact_ = id;
      // Feed rows kept whole (quarantine, unlinked pool) and a hearing reminder.
      QuarantinedRow held;
      held.kind = "orr_release";
      held.file_name = "orr_release.csv";
      held.line = 3;
      held.row_key = "ORR-7";
      held.field = "birth_date";
      held.value = "2010-02-30";
      held.reason = "not a calendar date";
      held.raw = kQuarantinedRaw;
      held.received_at = instant("2024-05-01T08:00:00Z");
      ACCOMPANY_TRY(quarantined, unit.insert(held));
      quarantined_ = quarantined;
      UnlinkedRow pooled;
      pooled.kind = "cbp_apprehension";
      pooled.file_name = "cbp.csv";
      pooled.line = 9;
      pooled.row_key = "CBP-9";
      pooled.given_names = "ana lucia";
      pooled.raw = kUnlinkedRaw;
      ACCOMPANY_TRY(unlinked, unit.insert(pooled));
      unlinked_ = unlinked;
      OutboxMessage reminder;
      reminder.child_id = child;
      reminder.kind = "hearing_reminder";
      reminder.language = "spa";
      reminder.recipient = "sms:+17135550199";
      reminder.subject = "Su audiencia es en 7 dias";
      reminder.body = kReminderBody;
      reminder.created_at = instant("2024-05-01T08:00:00Z");
      ACCOMPANY_TRY(message, unit.insert(reminder));
      message_ = message;
      return {};
    }));
  }
  void TearDown() override {
    install_field_keys(std::nullopt);
    std::filesystem::remove(old_path_);
    std::filesystem::remove(new_path_);
  }

  std::string raw(const std::string& sql) {
    std::string value;
    EXPECT_TRUE(store_->read([&](SqlConnection& connection) -> Status {
      ACCOMPANY_TRY(rows, connection.query(sql));
      value = rows.at(0).text(0);
      return {};
    }));
    return value;
  }
  Result<Contact> read_contact() {
    std::optional<Contact> found;
    ACCOMPANY_CHECK(store_->transact({"agent:ana", "test"}, [&](UnitOfWork& unit) -> Status {
      ACCOMPANY_TRY(contact, unit.find<Contact>(contact_));
      found = contact;
      return {};
    }));
    return *found;
  }
  std::string db_flag() const { return fmt::format("--db '{}'", location_); }
  void expect_verified() {
    auto verified = store_->verify_audit();
    ASSERT_TRUE(verified) << verified.error().describe();
    EXPECT_TRUE(verified->ok()) << (verified->problems.empty() ? "" : verified->problems.front());
    auto cli = run_accompany(fmt::format("audit verify {}", db_flag()));
    EXPECT_EQ(cli.exit_code, 0) << cli.output;
  }

  static inline int counter_ = 0;
  FixedClock clock_{instant("2024-06-01T12:00:00Z")};
  std::string location_, old_path_, new_path_;
  FieldKey old_key_;
  std::unique_ptr<Store> store_;
  Id sponsor_ = 0, contact_ = 0, quarantined_ = 0, unlinked_ = 0, message_ = 0;
};

TEST_P(FieldEncryption, TablesHoldCiphertextAndTheStoreGivesPlainText) {
  const std::string narrative = raw(fmt::format("SELECT narrative FROM contacts WHERE id = {}", contact_));
  EXPECT_TRUE(narrative.starts_with(fmt::format("enc:v1:{}:", old_key_.id))) << narrative;
  EXPECT_EQ(narrative.find("wages"), std::string::npos);
  EXPECT_TRUE(raw(fmt::format("SELECT outcome FROM contacts WHERE id = {}", contact_)).starts_with("enc:v1:"));
  const std::string phone = raw(fmt::format("SELECT phone FROM sponsors WHERE id = {}", sponsor_));
  EXPECT_TRUE(phone.starts_with("enc:v1:")) << phone;
  EXPECT_EQ(phone.find("7135550199"), std::string::npos);
  // Two encryptions of the same text differ (a fresh nonce each), so equal values are not revealed.
  EXPECT_NE(encrypt_field(kNarrative), encrypt_field(kNarrative));

  auto contact = read_contact();
  ASSERT_TRUE(contact) << contact.error().describe();
  EXPECT_EQ(contact->narrative, kNarrative);
  EXPECT_EQ(contact->outcome, "referred to safety team");
  // Held feed rows and reminder texts: ciphertext in the table, plain text from the store.
  for (const auto& [table, column, id, secret] :
       {std::tuple{"quarantine", "raw", quarantined_, "Ana Lucia"}, std::tuple{"unlinked_rows", "raw", unlinked_, "Ana Lucia"},
        std::tuple{"outbox_messages", "body", message_, "San Antonio"}}) {
    const std::string stored = raw(fmt::format("SELECT {} FROM {} WHERE id = {}", column, table, id));
    EXPECT_TRUE(stored.starts_with(fmt::format("enc:v1:{}:", old_key_.id))) << table << ": " << stored;
    EXPECT_EQ(stored.find(secret), std::string::npos) << table;
  }
  ASSERT_TRUE(store_->transact({"agent:ana", "test"}, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(held, unit.find<QuarantinedRow>(quarantined_));
    ACCOMPANY_TRY(pooled, unit.find<UnlinkedRow>(unlinked_));
    ACCOMPANY_TRY(message, unit.find<OutboxMessage>(message_));
    EXPECT_EQ(held.value().raw, kQuarantinedRaw);
    EXPECT_EQ(pooled.value().raw, kUnlinkedRaw);
    EXPECT_EQ(message.value().body, kReminderBody);
    return {};
  }));
  ASSERT_TRUE(store_->transact({"agent:ana", "test"}, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(sponsor, unit.find<Sponsor>(sponsor_));
    if (!sponsor) return make_error(ErrorCode::not_found, "the sponsor vanished");
    EXPECT_EQ(sponsor->phone.value_or(""), "+17135550199");
    return {};
  }));
  expect_verified();
}

TEST_P(FieldEncryption, AWrongKeyIsRefusedNamingTableRowFieldAndKeyId) {
  FieldKey other;
  other.bytes.fill(7);
  other.id = key_id_of(other.bytes);
  install_field_keys(other);
  auto contact = read_contact();
  ASSERT_FALSE(contact);
  const std::string message = contact.error().describe();
  EXPECT_NE(message.find(fmt::format("contacts row {} field narrative cannot be decrypted with key id {}", contact_,
                                     old_key_.id)),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("is --key-file the right key?"), std::string::npos) << message;
  EXPECT_EQ(message.find("wages"), std::string::npos);
  // Damaged values are refused with a message, never a crash.
  install_field_keys(old_key_);
  for (const std::string& damaged :
       {"enc:v1:" + old_key_.id, "enc:v1:" + old_key_.id + ":", "enc:v1:" + old_key_.id + ":@@"})
    EXPECT_FALSE(decrypt_field(damaged, "contacts row 1 field narrative")) << damaged;
  install_field_keys(other);
  // The command line says the same and exits non-zero.
  std::ofstream(new_path_) << "0707070707070707070707070707070707070707070707070707070707070707\n";
  auto cli = run_accompany(fmt::format("triage --key-file '{}' {}", new_path_, db_flag()));
  EXPECT_NE(cli.exit_code, 0) << cli.output;
  EXPECT_NE(cli.output.find("cannot be decrypted with key id " + old_key_.id), std::string::npos) << cli.output;
}

TEST_P(FieldEncryption, RotateReencryptsOnceAndTheOldKeyNoLongerReads) {
  auto generated = run_accompany(fmt::format("keys generate --out '{}'", new_path_));
  ASSERT_EQ(generated.exit_code, 0) << generated.output;
  struct stat info {};
  ASSERT_EQ(::stat(new_path_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  auto again = run_accompany(fmt::format("keys generate --out '{}'", new_path_));
  EXPECT_NE(again.exit_code, 0) << "a key file must never be overwritten";
  auto new_key = read_key_file(new_path_);
  ASSERT_TRUE(new_key);

  auto rotated =
      run_accompany(fmt::format("keys rotate --key-file '{}' --new '{}' {}", old_path_, new_path_, db_flag()));
  ASSERT_EQ(rotated.exit_code, 0) << rotated.output;
  // Contact narrative, outcome, details and sponsor phone; quarantine and unlinked raw; reminder body.
  EXPECT_NE(rotated.output.find("Re-encrypted 7 values in 5 rows"), std::string::npos) << rotated.output;
  EXPECT_NE(rotated.output.find("contacts"), std::string::npos) << rotated.output;  // the progress line
  EXPECT_TRUE(raw(fmt::format("SELECT narrative FROM contacts WHERE id = {}", contact_))
                  .starts_with(fmt::format("enc:v1:{}:", new_key->id)));
  for (const auto& [table, column, id] : {std::tuple{"quarantine", "raw", quarantined_},
                                          std::tuple{"unlinked_rows", "raw", unlinked_},
                                          std::tuple{"outbox_messages", "body", message_}})
    EXPECT_TRUE(raw(fmt::format("SELECT {} FROM {} WHERE id = {}", column, table, id))
                    .starts_with(fmt::format("enc:v1:{}:", new_key->id)))
        << table;
  // A rerun (say after an interruption) finds everything under the new key and rewrites nothing.
  auto rerun = run_accompany(fmt::format("keys rotate --key-file '{}' --new '{}' {}", old_path_, new_path_, db_flag()));
  ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
  EXPECT_NE(rerun.output.find("Re-encrypted 0 values in 0 rows"), std::string::npos) << rerun.output;
  expect_verified();

  install_field_keys(*new_key);
  auto contact = read_contact();
  ASSERT_TRUE(contact) << contact.error().describe();
  EXPECT_EQ(contact->narrative, kNarrative);
  ASSERT_TRUE(store_->transact({"agent:ana", "test"}, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(held, unit.find<QuarantinedRow>(quarantined_));
    ACCOMPANY_TRY(message, unit.find<OutboxMessage>(message_));
    EXPECT_EQ(held.value().raw, kQuarantinedRaw);
    EXPECT_EQ(message.value().body, kReminderBody);
    return {};
  }));

  install_field_keys(old_key_);
  auto refused = read_contact();
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().describe().find("cannot be decrypted with key id " + new_key->id), std::string::npos)
      << refused.error().describe();
  // During a rotation both keys read.
  install_field_keys(old_key_, {*new_key});
  EXPECT_TRUE(read_contact());
}

INSTANTIATE_TEST_SUITE_P(Backends, FieldEncryption, ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace accompany
