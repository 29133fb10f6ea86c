#include "domain/child.h"

#include <algorithm>

namespace accompany {

Status Child::validate(const Child& child, Date today) {
  ACCOMPANY_CHECK(PersonName::check_created(child.name, "Child::create"));
  if (child.birth_date.date > today)
    return invalid("birth_date", format_date(child.birth_date.date), "is in the future");
  if (child.birth_date.precision == BirthDatePrecision::estimated_age && !child.birth_date.estimated_on)
    return invalid("estimated_on", "", "an estimated age needs the date it was estimated");
  ACCOMPANY_TRY(country, parse_country("country_of_birth", child.country_of_birth));
  if (country != child.country_of_birth)
    return invalid("country_of_birth", child.country_of_birth, "must be upper case");
  if (child.languages.empty()) return invalid("languages", "", "at least one language is required (spa, quc, mam ...)");
  for (size_t i = 0; i < child.languages.size(); ++i) {
    ACCOMPANY_CHECK(find_language("languages", child.languages[i]));
    if (std::find(child.languages.begin(), child.languages.begin() + static_cast<long>(i), child.languages[i]) !=
        child.languages.begin() + static_cast<long>(i))
      return invalid("languages", child.languages[i], "is listed twice");
  }
  return {};
}

Result<Child> Child::create(Child draft, Date today) {
  ACCOMPANY_TRY(name,
                PersonName::create(draft.name.given_names, draft.name.paternal_surname, draft.name.maternal_surname));
  draft.name = std::move(name);
  ACCOMPANY_TRY(country, parse_country("country_of_birth", draft.country_of_birth));
  draft.country_of_birth = std::move(country);
  ACCOMPANY_CHECK(validate(draft, today));
  return draft;
}

bool Child::speaks_indigenous_language() const {
  return std::any_of(languages.begin(), languages.end(), [](const std::string& code) {
    auto language = find_language("languages", code);
    return language && (*language)->indigenous;
  });
}

}  // namespace accompany
