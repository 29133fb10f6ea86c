// A child in the case: identity as known across agencies. Household members other than the
// sponsor are never stored (DESIGN.md, "not for").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/ids.h"
#include "domain/identity.h"

namespace accompany {

struct Child {
  Id id = 0;  // assigned by the store
  std::optional<ANumber> a_number;
  PersonName name;
  BirthDate birth_date;
  Sex sex = Sex::unknown;
  std::string country_of_birth;        // ISO 3166-1 alpha-2
  std::vector<std::string> languages;  // ISO 639-3, preferred first
  bool interpreter_needed = false;

  // Checks every field; `today` bounds the birth date (no births in the future).
  static Status validate(const Child& child, Date today);
  // Validates and normalizes a draft (country upper-cased), or says which field is wrong.
  static Result<Child> create(Child draft, Date today);
  bool speaks_indigenous_language() const;
  bool operator==(const Child&) const = default;
};

}  // namespace accompany
