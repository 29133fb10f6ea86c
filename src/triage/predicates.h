// The conditions a rule may name. The rules file chooses a predicate by name and gives its
// parameters; the code here implements each one. Adding a predicate is the one change to a
// rule that needs code (docs/triage.md says how).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/time.h"
#include "triage/address_quality.h"
#include "triage/case_file.h"

namespace accompany {

// What a predicate sees: one case, the cross-case index, the case's current address already
// assessed, and the time of evaluation.
struct CaseContext {
  const CaseFile& file;
  const CaseIndex& index;
  const AddressAssessment* address;  // null when the child has no address
  Timestamp now;
};

// Why a condition holds, as values for the reason's placeholders ({days_since_release}), and
// a deadline when the facts carry one (a hearing date).
struct Facts {
  std::vector<std::pair<std::string_view, std::string>> values;
  std::optional<Timestamp> due_by;
};

using Condition = std::function<std::optional<Facts>(const CaseContext&)>;

// A parameter as the rules file writes it: an integer in a range, or a list of names.
struct ParamSpec {
  enum class Kind { integer, names };
  std::string_view name;
  Kind kind = Kind::integer;
  std::int64_t min = 0;
  std::int64_t max = 0;
  std::int64_t default_integer = 0;
  std::vector<std::string_view> allowed;  // for names
  std::vector<std::string_view> default_names;
  std::string_view meaning;
};

struct Params {
  std::map<std::string, std::int64_t, std::less<>> integers;
  std::map<std::string, std::vector<std::string>, std::less<>> names;
  std::int64_t integer(std::string_view name) const { return integers.find(name)->second; }
  const std::vector<std::string>& list(std::string_view name) const { return names.find(name)->second; }
};

struct PredicateSpec {
  std::string_view name;
  std::string_view meaning;
  std::vector<ParamSpec> params;
  std::vector<std::string_view> placeholders;  // what the reason may mention
  std::function<Condition(const Params&)> make;
};

// Every predicate, by name.
const std::vector<PredicateSpec>& predicates();
const PredicateSpec* find_predicate(std::string_view name);

}  // namespace accompany
