#include "triage/evaluator.h"

#include <algorithm>

namespace accompany {

std::vector<Finding> evaluate_case(const RuleSet& rules, const CaseFile& file, const CaseIndex& index, Timestamp now) {
  std::optional<AddressAssessment> assessed;
  if (const Address* address = file.current_address()) assessed = assess_address(*address);
  const CaseContext context{file, index, assessed ? &*assessed : nullptr, now};
  std::vector<Finding> findings;
  for (const auto& rule : rules.rules) {
    std::optional<Facts> facts = rule.condition(context);
    if (!facts) continue;
    Finding finding;
    finding.rule = &rule;
    finding.reason_en = render_reason(rule.reason_en, *facts);
    finding.reason_es = render_reason(rule.reason_es, *facts);
    // Due after the rule's delay, but no later than a deadline the facts carry (a hearing).
    finding.due_at = now + rule.due_within;
    if (facts->due_by) finding.due_at = std::max(now, std::min(finding.due_at, *facts->due_by));
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace accompany
