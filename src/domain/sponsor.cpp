#include "domain/sponsor.h"

namespace accompany {

Status Sponsor::validate(const Sponsor& sponsor) {
  ACCOMPANY_CHECK(PersonName::check_created(sponsor.name, "Sponsor::create"));
  ACCOMPANY_CHECK(check_text("relationship", sponsor.relationship, 100, false));
  if (sponsor.phone) {
    ACCOMPANY_TRY(phone, parse_phone("phone", *sponsor.phone));
    if (phone != *sponsor.phone) return invalid("phone", *sponsor.phone, "must be in E.164 form, e.g. +15551234567");
  }
  return {};
}

Result<Sponsor> Sponsor::create(Sponsor draft) {
  ACCOMPANY_TRY(name,
                PersonName::create(draft.name.given_names, draft.name.paternal_surname, draft.name.maternal_surname));
  draft.name = std::move(name);
  ACCOMPANY_TRY(relationship, clean_text("relationship", draft.relationship, 100, false));
  draft.relationship = std::move(relationship);
  if (draft.phone) {
    ACCOMPANY_TRY(phone, parse_phone("phone", *draft.phone));
    draft.phone = std::move(phone);
  }
  ACCOMPANY_CHECK(validate(draft));
  return draft;
}

bool Sponsor::is_relative() const {
  return category != SponsorCategory::non_relative && category != SponsorCategory::none_identified;
}

}  // namespace accompany
