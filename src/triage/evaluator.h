// Evaluates a rule set over one case: which rules hold now, with their reasons in English and
// Spanish and when the work is due. Pure and thread-safe (reads only its arguments).
#pragma once

#include <string>
#include <vector>

#include "triage/case_file.h"
#include "triage/rule_set.h"

namespace accompany {

struct Finding {
  const Rule* rule = nullptr;
  std::string reason_en;
  std::string reason_es;
  Timestamp due_at{};
};

std::vector<Finding> evaluate_case(const RuleSet& rules, const CaseFile& file, const CaseIndex& index, Timestamp now);

}  // namespace accompany
