// A contact with the contact center or a caseworker: who called, about what, and what came of it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/ids.h"
#include "common/time.h"
#include "domain/enum_names.h"

namespace accompany {

enum class ContactChannel { phone, sms, web_form, walk_in };
inline constexpr EnumTable<ContactChannel, 4> kContactChannelNames{{
    {ContactChannel::phone, "phone"},
    {ContactChannel::sms, "sms"},
    {ContactChannel::web_form, "web_form"},
    {ContactChannel::walk_in, "walk_in"},
}};

enum class CallerType { child, sponsor, legal_provider, school, social_worker, police, public_caller };
inline constexpr EnumTable<CallerType, 7> kCallerTypeNames{{
    {CallerType::child, "child"},
    {CallerType::sponsor, "sponsor"},
    {CallerType::legal_provider, "legal_provider"},
    {CallerType::school, "school"},
    {CallerType::social_worker, "social_worker"},
    {CallerType::police, "police"},
    {CallerType::public_caller, "public"},
}};

enum class ContactCategory {
  welfare_concern,
  exploitation_report,
  runaway,
  address_update,
  hearing_question,
  legal_help_request,
  other
};
inline constexpr EnumTable<ContactCategory, 7> kContactCategoryNames{{
    {ContactCategory::welfare_concern, "welfare_concern"},
    {ContactCategory::exploitation_report, "exploitation_report"},
    {ContactCategory::runaway, "runaway"},
    {ContactCategory::address_update, "address_update"},
    {ContactCategory::hearing_question, "hearing_question"},
    {ContactCategory::legal_help_request, "legal_help_request"},
    {ContactCategory::other, "other"},
}};

// Each category's sub-categories; every list ends in "other" (Aselo's two-level categories).
struct ContactSubCategories {
  ContactCategory category;
  std::vector<std::string_view> names;
};
const std::vector<ContactSubCategories>& contact_sub_categories();
bool is_sub_category_of(ContactCategory category, std::string_view name);

struct Contact {
  Id id = 0;
  Timestamp occurred_at{};
  ContactChannel channel = ContactChannel::phone;
  CallerType caller_type = CallerType::public_caller;
  std::string language;  // ISO 639-3
  ContactCategory category = ContactCategory::other;
  std::string narrative;  // sensitive: an exploitation narrative is visible to the safety team only
  std::string outcome;
  std::vector<Id> child_ids;  // zero or more linked children
  // Schema 7 (contact center): the second level of the category, from kContactSubCategories
  // (empty: unspecified); the caller's number in E.164 (empty: anonymous or not a call); the
  // PBX call it was recorded on; the agent who recorded it; and the category's own fields as a
  // JSON object of strings (a runaway's last-seen place, an address update's new address).
  std::string sub_category;
  std::string caller_number;
  std::string call_id;
  std::string recorded_by;
  std::string details = "{}";

  static Status validate(const Contact& contact);
  bool operator==(const Contact&) const = default;
};

}  // namespace accompany
