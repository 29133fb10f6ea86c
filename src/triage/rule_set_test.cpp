// The rules file: the built-in set loads, and a wrong file is refused with a message naming
// the rule and what is wrong.
#include "triage/rule_set.h"

#include <gtest/gtest.h>

namespace accompany {
namespace {

std::string with_rule(const std::string& rule) {
  return R"({"version": 2, "rules": [)" + rule + "]}";
}

const std::string kGood =
    R"({"name": "late_notice", "when": "released_without_notice_served", "params": {"days": 120},
        "queue": "court", "priority": "high", "due_hours": 48,
        "reason": {"en": "Released {days_since_release} days ago.", "es": "Entregado hace {days_since_release} días."},
        "resolved": {"en": "Served.", "es": "Notificado."}})";

TEST(RuleSet, BuiltInSetLoadsWithEveryRuleFromTheDesign) {
  auto rules = builtin_rule_set();
  ASSERT_TRUE(rules) << rules.error().describe();
  EXPECT_GE(rules->version, 1);
  EXPECT_EQ(rules->digest.size(), 64u);
  for (auto name : {"runaway", "exploitation_report_open", "unreachable_twice", "non_relative_sponsor_no_check",
                    "shared_sponsor_review", "shared_address_review", "no_notice_90_days",
                    "hearing_soon_unverified_address", "hearing_no_counsel", "motion_to_reopen_candidate",
                    "address_missing_or_invalid", "address_missing_unit", "missed_hearing"})
    EXPECT_NE(rules->find(name), nullptr) << name;
}

TEST(RuleSet, ParametersComeFromTheFile) {
  auto rules = parse_rule_set(with_rule(kGood), "test.json");
  ASSERT_TRUE(rules) << rules.error().describe();
  EXPECT_EQ(rules->version, 2);
  EXPECT_EQ(rules->rules.at(0).params.integer("days"), 120);
  EXPECT_EQ(rules->rules.at(0).due_within, std::chrono::hours(48));
}

struct Refusal {
  std::string text;
  std::string message;
};
// What ctest lists beside the test: the message expected.
void PrintTo(const Refusal& refusal, std::ostream* out) { *out << refusal.message; }

class RuleSetRefuses : public ::testing::TestWithParam<Refusal> {};

TEST_P(RuleSetRefuses, WithAMessageNamingTheProblem) {
  auto rules = parse_rule_set(GetParam().text, "bad.json");
  ASSERT_FALSE(rules);
  EXPECT_NE(rules.error().describe().find(GetParam().message), std::string::npos) << rules.error().describe();
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

INSTANTIATE_TEST_SUITE_P(
    BadFiles, RuleSetRefuses,
    ::testing::Values(Refusal{"{not json", "rules file bad.json: not valid JSON"},
                      Refusal{R"({"rules": []})", "'version' must be a whole number"},
                      Refusal{with_rule(replace(kGood, "released_without_notice_served", "guess_who")),
                              "rule 'late_notice': 'when' names 'guess_who', which is not a predicate"},
                      Refusal{with_rule(replace(kGood, R"("days": 120)", R"("dayz": 120)")),
                              "rule 'late_notice': predicate 'released_without_notice_served' has no parameter 'dayz'"},
                      Refusal{with_rule(replace(kGood, R"("days": 120)", R"("days": -5)")),
                              "rule 'late_notice': parameter 'days' is -5, outside 0..3650"},
                      Refusal{with_rule(replace(kGood, R"("days": 120)", R"("days": "ninety")")),
                              "rule 'late_notice': parameter 'days' must be a whole number"},
                      Refusal{with_rule(replace(kGood, "{days_since_release} días", "{hearing_date} días")),
                              "rule 'late_notice': 'reason.es' uses {hearing_date}"},
                      Refusal{with_rule(replace(kGood, R"("priority": "high")", R"("priority": "soon")")),
                              "rule 'late_notice': priority 'soon': not one of"},
                      Refusal{with_rule(replace(kGood, R"(, "es": "Notificado.")", "")),
                              "rule 'late_notice': 'es' is missing"},
                      Refusal{with_rule(kGood + "," + kGood), "rule 'late_notice': two rules have this name"},
                      Refusal{with_rule(replace(kGood, R"("queue")", R"("colour": "red", "queue")")),
                              "rule 'late_notice': unknown field 'colour'"},
                      Refusal{with_rule(R"({"name": "m", "when": "missed_hearing", "params": {"outcomes": ["vanished"]},
                 "queue": "court", "priority": "high", "due_hours": 1, "reason": {"en": "x", "es": "x"},
                 "resolved": {"en": "y", "es": "y"}})"),
                              "rule 'm': parameter 'outcomes' has 'vanished', which is not one of"}),
    // Test names say which refusal: "Refusal3" rather than the bytes of the struct.
    [](const ::testing::TestParamInfo<Refusal>& info) { return "Refusal" + std::to_string(info.index); });

TEST(RuleSet, ReasonsRenderTheirPlaceholders) {
  Facts facts{{{"days_since_release", "95"}}, std::nullopt};
  EXPECT_EQ(render_reason("Released {days_since_release} days ago.", facts), "Released 95 days ago.");
}

}  // namespace
}  // namespace accompany
