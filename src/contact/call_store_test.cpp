// The contact center against a real store, on SQLite and PostgreSQL: a retried CTI event is
// accepted once, agents' states follow their calls, a contact opens its follow-ups once per
// child, the caller's history is found by number and its reads audited, and the wallboard and
// reports count what happened.
#include "contact/call_store.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "store/store.h"
#include "store/testing/sample_records.h"
#include "store/testing/temporary_postgres.h"

namespace accompany {
namespace {

using testing::instant;

class CallStore : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    auto location = testing::fresh_database_location(GetParam(), "calls");
    ASSERT_TRUE(location) << location.error().describe();
    ASSERT_TRUE(Store::initialize(*location));
    auto store = Store::open(*location, clock_);
    ASSERT_TRUE(store) << store.error().describe();
    store_ = std::move(*store);
  }

  void write(const std::function<Status(UnitOfWork&)>& work) {
    auto done = store_->transact({"pbx", "call store test"}, work);
    ASSERT_TRUE(done) << done.error().describe();
  }

  CtiOutcome post(const std::string& json) {
    auto parsed = cti_event_from_json(boost::json::parse(json));
    EXPECT_TRUE(parsed) << json;
    CtiOutcome outcome;
    write([&](UnitOfWork& unit) -> Status {
      ACCOMPANY_TRY(done, record_cti_event(unit, *parsed, contact_center_rules()));
      outcome = done;
      return {};
    });
    return outcome;
  }

  std::int64_t count(const std::string& sql) {
    std::int64_t n = -1;
    EXPECT_TRUE(store_->read([&](SqlConnection& connection) -> Status {
      ACCOMPANY_TRY(rows, connection.query(sql));
      n = rows.at(0).integer(0);
      return {};
    }));
    return n;
  }

  FixedClock clock_{instant("2024-06-01T12:10:00Z")};
  std::unique_ptr<Store> store_;
};

TEST_P(CallStore, ARetriedEventIsAcceptedOnce) {
  const std::string ringing =
      R"({"event":"ringing","call_id":"c1","timestamp":"2024-06-01T12:00:00Z","caller_number":"+12025550143","queue":"safety","agent":"ana"})";
  EXPECT_FALSE(post(ringing).duplicate);
  EXPECT_TRUE(post(ringing).duplicate);
  EXPECT_FALSE(
      post(R"({"event":"answered","call_id":"c1","timestamp":"2024-06-01T12:00:12Z","agent":"ana"})").duplicate);
  EXPECT_TRUE(post(R"({"event":"answered","call_id":"c1","timestamp":"2024-06-01T12:00:12Z","agent":"ana"})").duplicate);
  EXPECT_EQ(count("SELECT count(*) FROM calls"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM cti_events"), 2);
  // Each accepted change is audited; the retries wrote nothing.
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE entity = 'calls'"), 2);
  auto call = post(R"({"event":"ended","call_id":"c1","timestamp":"2024-06-01T12:06:12Z"})").call;
  EXPECT_EQ(call.state, CallState::ended);
  EXPECT_EQ(call.priority, 0);  // the safety queue goes first
}

TEST_P(CallStore, TheAgentsStateFollowsTheCall) {
  post(R"({"event":"answered","call_id":"c2","timestamp":"2024-06-01T12:00:00Z","agent":"ana"})");
  std::optional<AgentStatus> status;
  ASSERT_TRUE(store_->read([&](SqlConnection& sql) -> Status {
    ACCOMPANY_TRY(found, agent_status(sql, "ana"));
    status = found;
    return {};
  }));
  ASSERT_TRUE(status);
  EXPECT_EQ(status->state, AgentState::on_contact);
  EXPECT_EQ(status->call_id, "c2");
  post(R"({"event":"ended","call_id":"c2","timestamp":"2024-06-01T12:05:00Z"})");
  ASSERT_TRUE(store_->read([&](SqlConnection& sql) -> Status {
    ACCOMPANY_TRY(found, agent_status(sql, "ana"));
    status = found;
    return {};
  }));
  EXPECT_EQ(status->state, AgentState::wrap_up);
}

TEST_P(CallStore, AContactOpensItsFollowUpsOncePerChild) {
  Id child = 0;
  write([&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(id, unit.insert(testing::sample_child()));
    child = id;
    return {};
  });
  Contact contact;
  contact.language = "spa";
  contact.category = ContactCategory::exploitation_report;
  contact.sub_category = "labor";
  contact.caller_number = "+12025550143";
  contact.child_ids = {child};
  Intake first, second;
  write([&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(done, record_contact(unit, contact, contact_center_rules()));
    first = done;
    return {};
  });
  write([&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(done, record_contact(unit, contact, contact_center_rules()));
    second = done;
    return {};
  });
  ASSERT_EQ(first.follow_ups.size(), 1u);
  EXPECT_EQ(first.follow_ups[0].queue, "safety");
  ASSERT_EQ(second.follow_ups.size(), 1u);
  EXPECT_EQ(second.follow_ups[0].id, first.follow_ups[0].id);  // the repeat report joins the open task
  EXPECT_EQ(count("SELECT count(*) FROM tasks WHERE rule = 'contact:exploitation_report' AND status = 'open'"), 1);
  // A contact about no child still opens its follow-up; one about a missing child is refused.
  contact.child_ids.clear();
  write([&](UnitOfWork& unit) -> Status {
    ACCOMPANY_CHECK(record_contact(unit, contact, contact_center_rules()));
    return {};
  });
  EXPECT_EQ(count("SELECT count(*) FROM tasks WHERE rule = 'contact:exploitation_report'"), 2);
  contact.child_ids = {child + 100};
  auto refused = store_->transact({"ana", "test"}, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_CHECK(record_contact(unit, contact, contact_center_rules()));
    return {};
  });
  EXPECT_FALSE(refused);

  // The caller's history: both contacts by number, the child once, every read audited.
  CallerHistory history;
  write([&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(found, caller_history(unit, "+12025550143", "screen pop for ana"));
    history = found;
    return {};
  });
  EXPECT_EQ(history.contacts.size(), 3u);
  ASSERT_EQ(history.children.size(), 1u);
  EXPECT_EQ(history.children[0].id, child);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'read' AND entity = 'children' AND purpose = "
                  "'call store test'"),
            1);
}

TEST_P(CallStore, TheWallboardCountsToday) {
  // Answered in 10 s (in target), answered in 40 s (late), abandoned, and one still waiting.
  post(R"({"event":"queued","call_id":"a","timestamp":"2024-06-01T11:00:00Z","queue":"general"})");
  post(R"({"event":"answered","call_id":"a","timestamp":"2024-06-01T11:00:10Z","agent":"ana"})");
  post(R"({"event":"ended","call_id":"a","timestamp":"2024-06-01T11:05:10Z"})");
  post(R"({"event":"queued","call_id":"b","timestamp":"2024-06-01T11:30:00Z","queue":"general"})");
  post(R"({"event":"answered","call_id":"b","timestamp":"2024-06-01T11:30:40Z","agent":"luis"})");
  post(R"({"event":"ended","call_id":"b","timestamp":"2024-06-01T11:33:40Z"})");
  post(R"({"event":"queued","call_id":"c","timestamp":"2024-06-01T12:01:00Z","queue":"general"})");
  post(R"({"event":"abandoned","call_id":"c","timestamp":"2024-06-01T12:02:00Z"})");
  post(R"({"event":"queued","call_id":"d","timestamp":"2024-06-01T12:08:00Z","queue":"general"})");
  post(R"({"event":"queued","call_id":"e","timestamp":"2024-06-01T12:09:00Z","queue":"safety"})");
  Wallboard board;
  ASSERT_TRUE(store_->read([&](SqlConnection& sql) -> Status {
    ACCOMPANY_TRY(found, wallboard(sql, clock_.now(), contact_center_rules()));
    board = found;
    return {};
  }));
  EXPECT_EQ(board.offered, 5);
  EXPECT_EQ(board.answered, 2);
  EXPECT_EQ(board.abandoned, 1);
  EXPECT_EQ(board.answered_in_target, 1);
  EXPECT_NEAR(board.service_level, 1.0 / 3, 1e-9);
  EXPECT_NEAR(board.abandonment_rate, 1.0 / 3, 1e-9);
  EXPECT_NEAR(board.average_handle_seconds, 240, 1e-9);  // (300 + 180) / 2
  ASSERT_EQ(board.waiting.size(), 2u);
  EXPECT_EQ(board.waiting[0].call_id, "e");  // safety first, though it came later
  EXPECT_EQ(board.longest_wait_seconds, 120);
  EXPECT_EQ(board.volume_by_hour[11], 2);
  EXPECT_EQ(board.volume_by_hour[12], 3);
  EXPECT_EQ(board.agents_by_state.at("wrap_up"), 2);

  std::vector<ReportRow> by_hour;
  ASSERT_TRUE(store_->read([&](SqlConnection& sql) -> Status {
    ACCOMPANY_TRY(rows, call_report(sql, "hour", instant("2024-06-01T00:00:00Z"), instant("2024-06-02T00:00:00Z"),
                                    contact_center_rules()));
    by_hour = rows;
    return {};
  }));
  ASSERT_EQ(by_hour.size(), 2u);
  EXPECT_EQ(by_hour[0].key, "2024-06-01T11");
  EXPECT_EQ(by_hour[0].answered, 2);
  EXPECT_EQ(by_hour[1].abandoned, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, CallStore, ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace accompany
