// Runs every rule fixture in testdata/rules/ (one file per rule): each case says whether the
// rule holds for a small case file, and what its reason must say in English and Spanish.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "triage/evaluator.h"

namespace accompany {
namespace {

namespace json = boost::json;

std::string text_or(const json::object& o, std::string_view key, std::string_view fallback) {
  const json::value* v = o.if_contains(key);
  return v ? std::string(v->as_string()) : std::string(fallback);
}

Timestamp at(const json::object& o, std::string_view key) {
  return parse_timestamp(key, text_or(o, key, "")).value();
}

// Builds one child's case file from a fixture object; ids are made up but consistent.
CaseFile case_from(const json::object& o, Id child_id) {
  CaseFile file;
  file.child.id = child_id;
  file.child.name.given_names = "Niño";
  file.child.name.paternal_surname = fmt::format("Apellido{}", child_id);
  if (const auto* surnames = o.if_contains("surnames")) {
    file.child.name.paternal_surname = std::string(surnames->as_array().at(0).as_string());
    file.child.name.maternal_surname = std::string(surnames->as_array().at(1).as_string());
  }
  std::optional<Id> sponsor_id;
  if (const auto* s = o.if_contains("sponsor")) {
    Sponsor sponsor;
    sponsor.id = s->as_object().if_contains("id") ? s->as_object().at("id").as_int64() : 900 + child_id;
    sponsor.category = parse_enum(kSponsorCategoryNames, "category", text_or(s->as_object(), "category", "1")).value();
    sponsor_id = sponsor.id;
    file.sponsor = sponsor;
  }
  Id next = child_id * 100;
  if (const auto* list = o.if_contains("custody_events"))
    for (const auto& item : list->as_array()) {
      CustodyEvent e;
      e.id = ++next;
      e.child_id = child_id;
      e.kind = parse_enum(kCustodyEventKindNames, "kind", text_or(item.as_object(), "kind", "")).value();
      e.occurred_at = at(item.as_object(), "at");
      if (e.kind == CustodyEventKind::released_to_sponsor) e.sponsor_id = sponsor_id.value_or(900 + child_id);
      file.custody_events.push_back(e);
    }
  if (const auto* list = o.if_contains("addresses"))
    for (const auto& item : list->as_array()) {
      const auto& a = item.as_object();
      Address address;
      address.id = ++next;
      address.child_id = child_id;
      address.sponsor_id = sponsor_id;
      address.line = text_or(a, "line", "1200 W Main St");
      address.unit = text_or(a, "unit", "Apt 4B");
      address.city = "Houston";
      address.state = text_or(a, "state", "TX");
      address.zip = text_or(a, "zip", "77002");
      address.status = parse_enum(kAddressStatusNames, "status", text_or(a, "status", "verified")).value();
      address.source = "fixture";
      file.addresses.push_back(address);
    }
  if (const auto* list = o.if_contains("notices"))
    for (const auto& item : list->as_array()) {
      const auto& n = item.as_object();
      NoticeToAppear notice;
      notice.id = ++next;
      notice.child_id = child_id;
      notice.issued_on = parse_date("issued_on", text_or(n, "issued_on", "")).value();
      if (n.if_contains("served_on")) {
        notice.served_on = parse_date("served_on", text_or(n, "served_on", "")).value();
        notice.service_method = ServiceMethod::regular_mail;
      }
      if (const auto* to = n.if_contains("served_to_address"))
        notice.served_to_address_id = file.addresses.at(static_cast<size_t>(to->as_int64())).id;
      file.notices.push_back(notice);
    }
  if (const auto* list = o.if_contains("hearings"))
    for (const auto& item : list->as_array()) {
      const auto& h = item.as_object();
      Hearing hearing;
      hearing.id = ++next;
      hearing.child_id = child_id;
      hearing.court = text_or(h, "court", "San Antonio Immigration Court");
      hearing.scheduled_at = at(h, "at");
      hearing.outcome = parse_enum(kHearingOutcomeNames, "outcome", text_or(h, "outcome", "scheduled")).value();
      hearing.counsel_of_record = text_or(h, "counsel", "");
      file.hearings.push_back(hearing);
    }
  if (const auto* list = o.if_contains("welfare_checks"))
    for (const auto& item : list->as_array()) {
      const auto& w = item.as_object();
      WelfareCheck check;
      check.id = ++next;
      check.child_id = child_id;
      check.due_on = parse_date("due_on", text_or(w, "due_on", "")).value();
      if (w.if_contains("done_at")) {
        check.done_at = at(w, "done_at");
        check.method = WelfareMethod::phone;
        check.outcome = parse_enum(kWelfareOutcomeNames, "outcome", text_or(w, "outcome", "")).value();
      }
      file.welfare_checks.push_back(check);
    }
  if (const auto* list = o.if_contains("contacts"))
    for (const auto& item : list->as_array()) {
      Contact contact;
      contact.id = ++next;
      contact.occurred_at = at(item.as_object(), "at");
      contact.category =
          parse_enum(kContactCategoryNames, "category", text_or(item.as_object(), "category", "")).value();
      contact.child_ids = {child_id};
      file.contacts.push_back(contact);
    }
  file.sort();
  return file;
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(RuleFixtures, EveryRuleHoldsAndDoesNotHoldExactlyAsItsFixturesSay) {
  auto rules = builtin_rule_set();
  ASSERT_TRUE(rules) << rules.error().describe();
  std::set<std::string> covered;
  for (const auto& entry : std::filesystem::directory_iterator(ACCOMPANY_TRIAGE_TESTDATA "/rules")) {
    if (entry.path().extension() != ".json") continue;
    const json::object fixture = json::parse(slurp(entry.path())).as_object();
    const std::string rule_name(fixture.at("rule").as_string());
    const Rule* rule = rules->find(rule_name);
    ASSERT_NE(rule, nullptr) << entry.path() << " names a rule not in the rule set: " << rule_name;
    bool saw_holds = false, saw_not = false;
    for (const auto& item : fixture.at("cases").as_array()) {
      const auto& c = item.as_object();
      const std::string name = rule_name + ": " + std::string(c.at("name").as_string());
      SCOPED_TRACE(name);
      const Timestamp now = at(c, "now");
      CaseIndex index;
      const CaseFile file = case_from(c, 1);
      index.update(file);
      if (const auto* others = c.if_contains("others")) {
        Id id = 2;
        for (const auto& other : others->as_array()) index.update(case_from(other.as_object(), id++));
      }
      const auto findings = evaluate_case(*rules, file, index, now);
      const auto found =
          std::find_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.rule->name == rule_name; });
      const bool expected = c.at("holds").as_bool();
      (expected ? saw_holds : saw_not) = true;
      ASSERT_EQ(found != findings.end(), expected);
      if (!expected) continue;
      EXPECT_GE(found->due_at, now);
      EXPECT_EQ(found->reason_en.find('{'), std::string::npos) << found->reason_en;
      if (const auto* want = c.if_contains("reason_en_contains")) {
        EXPECT_NE(found->reason_en.find(std::string(want->as_string())), std::string::npos) << found->reason_en;
      }
      if (const auto* want = c.if_contains("reason_es_contains")) {
        EXPECT_NE(found->reason_es.find(std::string(want->as_string())), std::string::npos) << found->reason_es;
      }
    }
    EXPECT_TRUE(saw_holds && saw_not) << entry.path() << " needs a case that holds and one that does not";
    covered.insert(rule_name);
  }
  for (const auto& rule : rules->rules)
    EXPECT_TRUE(covered.contains(rule.name)) << "rule " << rule.name << " has no fixture in testdata/rules/";
}

}  // namespace
}  // namespace accompany
