// The triage rule set: a versioned JSON file (docs/triage.md) compiled into the binary and
// replaceable with --rules FILE. Loading checks every rule against the predicates the code
// implements and refuses a wrong file with a message naming the rule and the field.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/task.h"
#include "triage/predicates.h"

namespace accompany {

struct Rule {
  std::string name;       // unique; the task's `rule`
  std::string predicate;  // "when": a name from predicates()
  Params params;
  std::string queue;
  TaskPriority priority = TaskPriority::normal;
  std::chrono::hours due_within{24};
  std::string reason_en;  // with {placeholders} from the predicate
  std::string reason_es;
  std::string resolved_en;  // why the task closed itself when the condition stops holding
  std::string resolved_es;
  Condition condition;
};

struct RuleSet {
  int version = 0;
  std::string description;
  std::string source;  // "built-in" or the file path
  std::string digest;  // BLAKE2b of the file's bytes: a change of rules is a change of digest
  std::vector<Rule> rules;

  const Rule* find(std::string_view name) const;
};

// Parses and checks a rule set; `source` names it in messages.
Result<RuleSet> parse_rule_set(std::string_view json_text, std::string_view source);
// The rule set compiled into this build (src/triage/rules/default.json).
Result<RuleSet> builtin_rule_set();
// Reads FILE, or the built-in set when `path` is empty.
Result<RuleSet> load_rule_set(const std::string& path);

// Replaces each {name} in `text` with its value from `facts`.
std::string render_reason(std::string_view text, const Facts& facts);

}  // namespace accompany
