// The contact center's pure parts: Erlang C against the textbook example, CTI events moving a
// call, and the follow-up rules file.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "contact/call_simulation.h"
#include "contact/contact_rules.h"
#include "contact/cti_event.h"
#include "contact/erlang_c.h"
#include "store/testing/sample_records.h"

namespace accompany {
namespace {

using testing::instant;

// The textbook example (100 calls in 30 minutes, 3-minute handle time: 10 Erlangs), as worked
// in call-centre training material; the values follow from CONTACT-CENTER.md's formulas.
TEST(ErlangC, MatchesTheTextbookExample) {
  const double load = 100.0 * 180 / 1800;
  EXPECT_DOUBLE_EQ(load, 10.0);
  EXPECT_NEAR(erlang_c_wait_probability(11, load), 0.6821, 0.0001);
  EXPECT_NEAR(erlang_c_service_level(11, load, 180, 20), 0.3896, 0.0001);
  EXPECT_NEAR(erlang_c_average_speed_of_answer(11, load, 180), 122.8, 0.05);
  EXPECT_NEAR(erlang_c_wait_probability(13, load), 0.2853, 0.0001);
  EXPECT_NEAR(erlang_c_service_level(13, load, 180, 20), 0.7956, 0.0001);
  EXPECT_NEAR(erlang_c_wait_probability(14, load), 0.1741, 0.0001);
  EXPECT_NEAR(erlang_c_service_level(14, load, 180, 20), 0.8884, 0.0001);
  EXPECT_NEAR(erlang_c_average_speed_of_answer(14, load, 180), 7.84, 0.01);
}

TEST(ErlangC, StaffsTheTextbookExampleAt14For80In20) {
  StaffingInput input{100, 1800, 180, 0.8, 20, 0.3, 1.0};
  auto result = required_agents(input);
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->agents, 14);
  EXPECT_EQ(result->scheduled, 20);  // 14 / (1 - 0.3)
  EXPECT_NEAR(result->occupancy, 10.0 / 14, 1e-9);
}

TEST(ErlangC, ANationalLineAtPeakNeedsMoreThanItsLoad) {
  // CONTACT-CENTER.md: 6,500 calls a day is about 271 an hour; at 8 minutes, about 36 Erlangs.
  StaffingInput input{271, 3600, 480, 0.8, 20, 0.3, 0.85};
  auto result = required_agents(input);
  ASSERT_TRUE(result);
  EXPECT_NEAR(result->load, 36.13, 0.01);
  EXPECT_EQ(result->agents, 43);
  EXPECT_NEAR(result->service_level, 0.8543, 0.0001);
  // 42 agents fall just short of 80/20 (79.999%), so the answer stays 43 without the cap.
  EXPECT_LT(erlang_c_service_level(42, result->load, 480, 20), 0.8);
  input.max_occupancy = 1;
  EXPECT_EQ(required_agents(input)->agents, 43);
  input.calls = 250;  // 33.3 Erlangs: the 0.85 occupancy cap (40) binds before the 80/20 target
  input.max_occupancy = 0.85;
  const auto capped = required_agents(input);
  input.max_occupancy = 1;
  const auto uncapped = required_agents(input);
  EXPECT_GE(capped->agents, uncapped->agents);
  EXPECT_LE(capped->occupancy, 0.85);
}

TEST(ErlangC, LargeCentersDoNotOverflow) {
  const double p = erlang_c_wait_probability(1200, 1150);
  EXPECT_GT(p, 0);
  EXPECT_LT(p, 1);
  EXPECT_EQ(erlang_c_wait_probability(10, 10), 1);  // no stable queue at 100% load
}

TEST(ErlangC, RefusesInputsThatMeanNothing) {
  EXPECT_FALSE(required_agents(StaffingInput{100, 3600, 0, 0.8, 20, 0.3, 0.85}));
  EXPECT_FALSE(required_agents(StaffingInput{100, 3600, 180, 1.2, 20, 0.3, 0.85}));
  EXPECT_FALSE(required_agents(StaffingInput{100, 3600, 180, 0.8, 20, 1.0, 0.85}));
  EXPECT_EQ(required_agents(StaffingInput{0, 3600, 180, 0.8, 20, 0.3, 0.85})->agents, 0);
}

CtiEvent event(const std::string& text) {
  auto parsed = cti_event_from_json(boost::json::parse(text));
  EXPECT_TRUE(parsed) << text << ": " << (parsed ? "" : parsed.error().describe());
  return parsed ? *parsed : CtiEvent{};
}

TEST(CtiEvent, NormalizesTheCallerAndKeepsMilliseconds) {
  auto e = event(
      R"({"event":"ringing","call_id":"c1","timestamp":"2024-06-01T12:00:00.250Z","caller_number":"(202) 555-0143","queue":"safety","agent":"ana"})");
  EXPECT_EQ(e.caller_number, "+12025550143");
  EXPECT_EQ(e.timestamp_text, "2024-06-01T12:00:00.250Z");
  EXPECT_EQ(e.at, instant("2024-06-01T12:00:00Z"));
  EXPECT_EQ(e.key(), "ringing");
  EXPECT_EQ(event(R"({"event":"ended","call_id":"c1","timestamp":"2024-06-01T12:00:00Z","caller_number":"anonymous"})")
                .caller_number,
            "");
}

TEST(CtiEvent, RefusesWhatAPbxMustNotSend) {
  for (const char* bad : {
           R"({"event":"ringing","call_id":"c1","timestamp":"2024-06-01T12:00:00Z"})",               // no agent
           R"({"event":"hold","call_id":"c1","timestamp":"2024-06-01T12:00:00Z"})",                  // unknown event
           R"({"event":"ended","timestamp":"2024-06-01T12:00:00Z"})",                                // no call id
           R"({"event":"ended","call_id":"c1","timestamp":"yesterday"})",                            // bad time
           R"({"event":"ended","call_id":"c1","timestamp":"2024-06-01T12:00:00Z","callerid":"1"})",  // unknown field
           R"({"event":"ended","call_id":"c1","timestamp":"2024-06-01T12:00:00Z","caller_number":"12"})",
       }) {
    EXPECT_FALSE(cti_event_from_json(boost::json::parse(bad))) << bad;
  }
}

TEST(CtiEvent, MovesACallForwardOnly) {
  auto queued = apply_cti_event(
      std::nullopt, event(R"({"event":"queued","call_id":"c1","timestamp":"2024-06-01T12:00:00Z","queue":"safety"})"), 0);
  ASSERT_TRUE(queued);
  EXPECT_EQ(queued->state, CallState::queued);
  auto answered = apply_cti_event(
      *queued, event(R"({"event":"answered","call_id":"c1","timestamp":"2024-06-01T12:00:15Z","agent":"ana"})"), 0);
  ASSERT_TRUE(answered);
  EXPECT_EQ(answered->wait_seconds(), 15);
  // A late "ringing" does not move an answered call back.
  auto late = apply_cti_event(
      *answered, event(R"({"event":"ringing","call_id":"c1","timestamp":"2024-06-01T12:00:10Z","agent":"ana"})"), 0);
  ASSERT_TRUE(late);
  EXPECT_EQ(late->state, CallState::answered);
  auto ended =
      apply_cti_event(*late, event(R"({"event":"ended","call_id":"c1","timestamp":"2024-06-01T12:08:00Z"})"), 0);
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->state, CallState::ended);
  // An answered call cannot be abandoned afterwards; an unanswered one that ends was abandoned.
  EXPECT_FALSE(
      apply_cti_event(*ended, event(R"({"event":"abandoned","call_id":"c1","timestamp":"2024-06-01T12:08:00Z"})"), 0));
  auto hung_up = apply_cti_event(
      *queued, event(R"({"event":"ended","call_id":"c1","timestamp":"2024-06-01T12:00:40Z"})"), 0);
  ASSERT_TRUE(hung_up);
  EXPECT_EQ(hung_up->state, CallState::abandoned);
}

TEST(ContactRules, TheBuiltInRulesPutSafetyFirst) {
  const auto& rules = contact_center_rules();
  EXPECT_EQ(rules.queue_priority("safety"), 0);
  EXPECT_GT(rules.queue_priority("general"), rules.queue_priority("safety"));
  EXPECT_EQ(rules.queue_priority("unheard-of"), rules.queue_priority("general"));
  Contact contact;
  contact.id = 7;
  contact.occurred_at = instant("2024-06-01T12:00:00Z");
  contact.caller_type = CallerType::school;
  contact.category = ContactCategory::exploitation_report;
  contact.sub_category = "labor";
  contact.child_ids = {3, 4};
  auto tasks = plan_follow_ups(rules, contact);
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[0].queue, "safety");
  EXPECT_EQ(tasks[0].priority, TaskPriority::urgent);
  EXPECT_EQ(tasks[0].rule, "contact:exploitation_report");
  EXPECT_EQ(tasks[0].due_at, instant("2024-06-01T16:00:00Z"));
  EXPECT_NE(tasks[0].reason.find("(labor) in contact 7"), std::string::npos) << tasks[0].reason;
  EXPECT_NE(tasks[0].reason_es.find("contacto 7"), std::string::npos);
  EXPECT_EQ(tasks[1].child_id, 4);
  // The sub-category chooses: abuse goes to safety, housing to welfare.
  contact.category = ContactCategory::welfare_concern;
  contact.sub_category = "abuse";
  EXPECT_EQ(plan_follow_ups(rules, contact).at(0).queue, "safety");
  contact.sub_category = "housing";
  EXPECT_EQ(plan_follow_ups(rules, contact).at(0).queue, "welfare");
  contact.category = ContactCategory::other;
  contact.sub_category = "thanks";
  EXPECT_TRUE(plan_follow_ups(rules, contact).empty());
  // No child linked: one follow-up without a child.
  contact.category = ContactCategory::legal_help_request;
  contact.sub_category = "";
  contact.child_ids.clear();
  auto unlinked = plan_follow_ups(rules, contact);
  ASSERT_EQ(unlinked.size(), 1u);
  EXPECT_FALSE(unlinked[0].child_id);
  EXPECT_EQ(unlinked[0].queue, "legal_referral");
}

TEST(ContactRules, ARulesFileNamingAnUnknownSubCategoryIsRefused) {
  auto parsed = parse_contact_center_rules(
      R"({"queues":[{"name":"safety","priority":0}],"follow_ups":[{"category":"runaway","sub_categories":["stolen_car"],"queue":"safety","priority":"urgent","due_hours":4,"reason":{"en":"x","es":"y"}}]})");
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().describe().find("sub_categories"), std::string::npos);
}

TEST(ContactSubCategories, EveryListEndsInOtherAndContactsAreChecked) {
  for (const auto& entry : contact_sub_categories()) EXPECT_EQ(entry.names.back(), "other");
  Contact contact;
  contact.language = "spa";
  contact.category = ContactCategory::runaway;
  contact.sub_category = "labor";
  EXPECT_FALSE(Contact::validate(contact));
  contact.sub_category = "left_sponsor";
  EXPECT_TRUE(Contact::validate(contact));
  contact.caller_number = "2025550143";
  EXPECT_FALSE(Contact::validate(contact));
}

TEST(CallSimulation, PlansADayOfCallsOnTheCurveInTimeOrder) {
  SimulationOptions options;
  options.calls_per_day = 7000;
  options.seconds = 86400;
  const auto events = plan_calls(options);
  std::int64_t calls = 0, abandoned = 0, safety = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    if (i > 0) {
      ASSERT_LE(events[i - 1].at, events[i].at);
    }
    if (events[i].kind == "queued") {
      ++calls;
      safety += events[i].queue == "safety" ? 1 : 0;
    }
    abandoned += events[i].kind == "abandoned" ? 1 : 0;
    // Every event is one the webhook accepts.
    auto parsed = cti_event_from_json(cti_body(events[i], "2024-06-01T12:00:00.000Z"));
    ASSERT_TRUE(parsed) << parsed.error().describe();
  }
  EXPECT_NEAR(static_cast<double>(calls), 7000, 300);  // Poisson: within about 3.5 sigma
  EXPECT_NEAR(static_cast<double>(safety) / static_cast<double>(calls), 0.10, 0.02);
  EXPECT_GT(abandoned, calls / 50);
  EXPECT_LT(abandoned, calls / 5);
  // The same seed plans the same calls.
  EXPECT_EQ(plan_calls(options).size(), events.size());
  EXPECT_NEAR(peak_hour_calls(7000), 7000 * 7.6 / 95, 1);  // 560 calls in the 16:00 hour
}

}  // namespace
}  // namespace accompany
