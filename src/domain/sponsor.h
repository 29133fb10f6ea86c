// The adult a child is released to, with ORR's relationship category.
#pragma once

#include <optional>
#include <string>

#include "common/ids.h"
#include "domain/identity.h"

namespace accompany {

// ORR sponsor categories: 1 parent or legal guardian; 2A immediate relative (sibling,
// grandparent) with proof; 2B other relative; 3 distant relative or unrelated adult;
// 4 no sponsor identified.
enum class SponsorCategory { parent_or_guardian, immediate_relative, other_relative, non_relative, none_identified };
inline constexpr EnumTable<SponsorCategory, 5> kSponsorCategoryNames{{
    {SponsorCategory::parent_or_guardian, "1"},
    {SponsorCategory::immediate_relative, "2A"},
    {SponsorCategory::other_relative, "2B"},
    {SponsorCategory::non_relative, "3"},
    {SponsorCategory::none_identified, "4"},
}};

struct Sponsor {
  Id id = 0;
  PersonName name;
  SponsorCategory category = SponsorCategory::parent_or_guardian;
  std::string relationship;          // as stated, "aunt", "family friend"; may be empty
  std::optional<std::string> phone;  // E.164

  static Status validate(const Sponsor& sponsor);
  static Result<Sponsor> create(Sponsor draft);
  // Category 3 sponsors are not relatives; DESIGN.md's triage treats them as a safety signal.
  bool is_relative() const;
  bool operator==(const Sponsor&) const = default;
};

}  // namespace accompany
