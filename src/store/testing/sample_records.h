// Small, valid records for store tests (bigger populations come from `accompany synth`).
#pragma once

#include "store/entity_tables.h"

namespace accompany::testing {

inline Date day(const char* text) {
  return *parse_date("d", text);
}
inline Timestamp instant(const char* text) {
  return *parse_timestamp("t", text);
}

inline Child sample_child(const char* a_number = "A201234567") {
  Child child;
  if (a_number) child.a_number = *ANumber::parse(a_number);
  child.name = PersonName{"María José", "García", "de la Cruz"};
  child.birth_date = *BirthDate::exact(day("2008-04-02"));
  child.sex = Sex::female;
  child.country_of_birth = "GT";
  child.languages = {"mam", "spa"};
  child.interpreter_needed = true;
  return child;
}

inline Sponsor sample_sponsor() {
  Sponsor sponsor;
  sponsor.name = PersonName{"Rosa", "García", ""};
  sponsor.category = SponsorCategory::immediate_relative;
  sponsor.relationship = "sister";
  sponsor.phone = "+17135550199";
  return sponsor;
}

inline Address sample_address(Id child_id, std::optional<Id> sponsor_id = std::nullopt) {
  Address address;
  address.child_id = child_id;
  address.sponsor_id = sponsor_id;
  address.line = "1200 W Main St";
  address.unit = "Apt 4B";
  address.city = "Houston";
  address.state = "TX";
  address.zip = "77002-1234";
  address.status = AddressStatus::unverified;
  address.source = "orr_release";
  address.first_confirmed = day("2023-01-05");
  return address;
}

}  // namespace accompany::testing
