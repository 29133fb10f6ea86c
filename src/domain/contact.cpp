#include "domain/contact.h"

#include <fmt/format.h>

#include <algorithm>

#include "domain/identity.h"

namespace accompany {

const std::vector<ContactSubCategories>& contact_sub_categories() {
  static const std::vector<ContactSubCategories> table{
      {ContactCategory::welfare_concern, {"housing", "school", "health", "neglect", "abuse", "mental_health", "other"}},
      {ContactCategory::exploitation_report, {"labor", "sex", "debt_bondage", "forced_crime", "other"}},
      {ContactCategory::runaway, {"left_sponsor", "missing", "returned", "other"}},
      {ContactCategory::address_update, {"moved", "unit_missing", "mail_returned", "other"}},
      {ContactCategory::hearing_question, {"date", "location", "change_of_venue", "missed_hearing", "other"}},
      {ContactCategory::legal_help_request, {"no_counsel", "counsel_unreachable", "relief_question", "other"}},
      {ContactCategory::other, {"information", "silent", "hang_up", "abusive", "thanks", "other"}},
  };
  return table;
}

bool is_sub_category_of(ContactCategory category, std::string_view name) {
  for (const auto& entry : contact_sub_categories())
    if (entry.category == category) return std::find(entry.names.begin(), entry.names.end(), name) != entry.names.end();
  return false;
}

Status Contact::validate(const Contact& contact) {
  if (!contact.sub_category.empty() && !is_sub_category_of(contact.category, contact.sub_category))
    return invalid("sub_category", contact.sub_category,
                   fmt::format("is not a sub-category of {}", enum_name(kContactCategoryNames, contact.category)));
  if (!contact.caller_number.empty()) {
    const auto& n = contact.caller_number;
    if (n.size() < 8 || n.size() > 16 || n[0] != '+' ||
        !std::all_of(n.begin() + 1, n.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return invalid("caller_number", n, "must be an E.164 number (+ and 7 to 15 digits) or empty");
  }
  ACCOMPANY_CHECK(check_text("call_id", contact.call_id, 128, false));
  ACCOMPANY_CHECK(check_text("recorded_by", contact.recorded_by, 64, false));
  if (contact.details.size() > 8000 || contact.details.empty() || contact.details.front() != '{')
    return invalid("details", contact.details.substr(0, 40), "must be a JSON object of at most 8000 bytes");
  ACCOMPANY_CHECK(find_language("language", contact.language));
  ACCOMPANY_CHECK(check_text("narrative", contact.narrative, 20000, false, true));
  ACCOMPANY_CHECK(check_text("outcome", contact.outcome, 500, false));
  for (size_t i = 0; i < contact.child_ids.size(); ++i) {
    if (contact.child_ids[i] <= 0) return invalid("child_ids", std::to_string(contact.child_ids[i]), "not a child id");
    if (std::count(contact.child_ids.begin(), contact.child_ids.end(), contact.child_ids[i]) > 1)
      return invalid("child_ids", std::to_string(contact.child_ids[i]), "is linked twice");
  }
  return {};
}

}  // namespace accompany
