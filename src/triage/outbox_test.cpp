// Hearing reminders in the child's language, the file and SMTP adapters (against a fake SMTP
// server on a local port), and the audited outbox on SQLite and PostgreSQL.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "store/testing/sample_records.h"
#include "store/testing/temporary_postgres.h"
#include "triage/outbox_store.h"
#include "triage/reminders.h"

namespace accompany {
namespace {

using testing::instant;

CaseFile case_with_hearing(std::vector<std::string> languages, const char* hearing_at) {
  CaseFile file;
  file.child.id = 3;
  file.child.languages = std::move(languages);
  Sponsor sponsor = testing::sample_sponsor();
  sponsor.id = 9;
  file.sponsor = sponsor;
  file.hearings.push_back({21, 3, "Houston Immigration Court", instant(hearing_at), HearingType::master_calendar,
                           HearingOutcome::scheduled, ""});
  return file;
}

TEST(Reminders, ThirtySevenAndOneDayBeforeInTheChildsLanguage) {
  const Timestamp now = instant("2024-06-01T12:00:00Z");
  auto spanish = hearing_reminders_due(case_with_hearing({"mam", "spa"}, "2024-06-26T15:30:00Z"), now, {});
  ASSERT_EQ(spanish.size(), 1u);
  EXPECT_EQ(spanish[0].kind, "hearing_reminder_30");
  EXPECT_EQ(spanish[0].language, "spa");
  EXPECT_EQ(spanish[0].recipient, "sms:+17135550199");
  EXPECT_EQ(spanish[0].subject, "Su audiencia en la corte de inmigración es en 25 días");
  EXPECT_NE(spanish[0].body.find("Houston Immigration Court el 2024-06-26 a las 15:30"), std::string::npos);
  EXPECT_TRUE(OutboxMessage::validate(spanish[0]));

  auto english = hearing_reminders_due(case_with_hearing({"eng"}, "2024-06-07T15:30:00Z"), now, {});
  ASSERT_EQ(english.size(), 1u);
  EXPECT_EQ(english[0].kind, "hearing_reminder_7");
  EXPECT_EQ(english[0].subject, "Your immigration court hearing is in 6 days");

  auto tomorrow = hearing_reminders_due(case_with_hearing({"spa"}, "2024-06-02T09:00:00Z"), now, {});
  ASSERT_EQ(tomorrow.size(), 1u);
  EXPECT_EQ(tomorrow[0].kind, "hearing_reminder_1");
  EXPECT_TRUE(hearing_reminders_due(case_with_hearing({"spa"}, "2024-06-02T09:00:00Z"), now, tomorrow).empty());
  EXPECT_TRUE(hearing_reminders_due(case_with_hearing({"spa"}, "2024-08-02T09:00:00Z"), now, {}).empty());
  EXPECT_TRUE(hearing_reminders_due(case_with_hearing({"spa"}, "2024-05-02T09:00:00Z"), now, {}).empty());
}

OutboxMessage sample_message() {
  auto due =
      hearing_reminders_due(case_with_hearing({"spa"}, "2024-06-26T15:30:00Z"), instant("2024-06-01T12:00:00Z"), {});
  OutboxMessage message = due.at(0);
  message.id = 17;
  return message;
}

TEST(Outbox, FileAdapterWritesOneFilePerMessage) {
  const auto dir = std::filesystem::temp_directory_path() / ("outbox-" + std::to_string(getpid()));
  auto outbox = make_outbox("file:" + dir.string(), "", "");
  ASSERT_TRUE(outbox);
  ASSERT_TRUE((*outbox)->deliver(sample_message()));
  std::ifstream in(dir / "17-hearing_reminder_30.txt");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("Subject: Su audiencia en la corte de inmigración es en 25 días\r\n"), std::string::npos);
  EXPECT_NE(text.str().find("Content-Language: spa"), std::string::npos);
  std::filesystem::remove_all(dir);
  EXPECT_FALSE(make_outbox("smtp://127.0.0.1:25", "", ""));
}

// A minimal SMTP server on a free local port that accepts one message and keeps what it got.
class FakeSmtp {
 public:
  FakeSmtp() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    ::listen(listener_, 1);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeSmtp() {
    if (thread_.joinable()) finish_without_client();
    if (listener_ >= 0) ::close(listener_);
  }
  int port() const { return port_; }
  // Waits for the one exchange to end; returns every line the client sent.
  std::string finish() {
    thread_.join();
    return transcript_;
  }
  // Stops listening without a client (the accept is woken by shutting the socket down).
  void finish_without_client() {
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    listener_ = -1;
    thread_.join();
  }

 private:
  void serve() {
    const int client = ::accept(listener_, nullptr, nullptr);
    if (client < 0) return;
    auto say = [&](const char* line) { (void)!::write(client, line, std::strlen(line)); };
    say("220 fake ESMTP\r\n");
    std::string buffer;
    bool in_data = false;
    char chunk[4096];
    for (ssize_t n; (n = ::read(client, chunk, sizeof chunk)) > 0;) {
      buffer.append(chunk, static_cast<size_t>(n));
      for (size_t end; (end = buffer.find("\r\n")) != std::string::npos;) {
        const std::string line = buffer.substr(0, end);
        buffer.erase(0, end + 2);
        transcript_ += line + "\n";
        if (in_data) {
          if (line == ".") {
            in_data = false;
            say("250 queued\r\n");
          }
        } else if (line.starts_with("EHLO") || line.starts_with("HELO")) {
          say("250 fake\r\n");
        } else if (line.starts_with("DATA")) {
          in_data = true;
          say("354 go ahead\r\n");
        } else if (line.starts_with("QUIT")) {
          say("221 bye\r\n");
          ::close(client);
          return;
        } else {
          say("250 ok\r\n");
        }
      }
    }
    ::close(client);
  }
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::string transcript_;
};

TEST(Outbox, SmtpAdapterMailsTheGatewayWithTheRecipientInAHeader) {
  FakeSmtp server;
  auto outbox = make_outbox(fmt::format("smtp://127.0.0.1:{}", server.port()), "reminders@accompany.example",
                            "sms-gateway@accompany.example");
  ASSERT_TRUE(outbox);
  auto sent = (*outbox)->deliver(sample_message());
  ASSERT_TRUE(sent) << sent.error().describe();
  const std::string transcript = server.finish();
  EXPECT_NE(transcript.find("MAIL FROM:<reminders@accompany.example>"), std::string::npos) << transcript;
  EXPECT_NE(transcript.find("RCPT TO:<sms-gateway@accompany.example>"), std::string::npos) << transcript;
  EXPECT_NE(transcript.find("X-Accompany-Recipient: sms:+17135550199"), std::string::npos) << transcript;
  EXPECT_NE(transcript.find("Subject: Su audiencia"), std::string::npos) << transcript;
}

TEST(Outbox, SmtpAdapterReportsAServerThatIsNotThere) {
  FakeSmtp server;  // takes a free port, then we close it to get a refused connection
  const int port = server.port();
  server.finish_without_client();
  auto outbox = make_smtp_outbox(fmt::format("smtp://127.0.0.1:{}", port), "a@b.example", "c@d.example");
  auto sent = outbox->deliver(sample_message());
  ASSERT_FALSE(sent);
  EXPECT_NE(sent.error().describe().find("SMTP to smtp://127.0.0.1:"), std::string::npos);
}

class OutboxStore : public ::testing::TestWithParam<Dialect> {};

TEST_P(OutboxStore, RemindersAreRecordedOnceDeliveredAndAudited) {
  auto location = testing::fresh_database_location(GetParam(), "outbox");
  ASSERT_TRUE(location);
  ASSERT_TRUE(Store::initialize(*location));
  FixedClock clock(instant("2024-06-01T12:00:00Z"));
  auto store = Store::open(*location, clock);
  ASSERT_TRUE(store);
  AuditContext context{"system:triage", "hearing reminders"};
  ASSERT_TRUE((*store)->transact(context, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(child, unit.insert(testing::sample_child()));
    ACCOMPANY_TRY(sponsor, unit.insert(testing::sample_sponsor()));
    ACCOMPANY_CHECK(unit.insert(CustodyEvent{0, child, CustodyEventKind::released_to_sponsor,
                                             instant("2024-01-10T10:00:00Z"), "shelter", sponsor}));
    ACCOMPANY_CHECK(unit.insert(Hearing{0, child, "Houston Immigration Court", instant("2024-06-08T15:00:00Z"),
                                        HearingType::master_calendar, HearingOutcome::scheduled, ""}));
    return {};
  }));
  const auto dir =
      std::filesystem::temp_directory_path() / fmt::format("outbox-store-{}-{}", getpid(), to_string(GetParam()));
  auto outbox = make_file_outbox(dir.string());
  auto first = send_hearing_reminders(**store, *outbox, context);
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->created, 1);
  EXPECT_EQ(first->delivered, 1);
  auto again = send_hearing_reminders(**store, *outbox, context);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->delivered, 0);
  ASSERT_TRUE((*store)->read([&](SqlConnection& sql) -> Status {
    ACCOMPANY_TRY(rows, sql.query("SELECT kind, language, delivered_via FROM outbox_messages"));
    EXPECT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows.at(0).text(0), "hearing_reminder_7");
    EXPECT_EQ(rows.at(0).text(1), "spa");  // the sample child speaks Mam, then Spanish
    EXPECT_EQ(rows.at(0).text(2), "file");
    ACCOMPANY_TRY(audit, sql.query("SELECT count(*) FROM audit_log WHERE entity = 'outbox_messages'"));
    EXPECT_EQ(audit.at(0).integer(0), 2);  // recorded, then marked delivered
    return {};
  }));
  auto verified = (*store)->verify_audit();
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->ok());
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxStore, ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace accompany
