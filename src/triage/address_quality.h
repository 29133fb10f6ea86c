// Address quality, pure: structural checks against USPS Publication 28 (street suffixes,
// secondary unit designators), ZIP-prefix-to-state consistency, and the keys that let the
// case index see one street address holding several households or several unrelated children.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/address.h"

namespace accompany {

enum class AddressDefectKind {
  no_house_number,              // the line does not start with a number ("Main St")
  po_box,                       // a post-office box is not where a child lives
  unit_not_recognized,          // the unit is not a USPS designator ("Apt", "Ste", "#") or lacks its number
  unit_in_line_without_number,  // "123 Main St Apt" — a designator with nothing after it
  zip_state_mismatch,           // the ZIP code's first three digits belong to another state
  zip_unknown_prefix,           // no state uses this ZIP prefix
};
std::string_view to_string(AddressDefectKind kind);

struct AddressDefect {
  AddressDefectKind kind;
  std::string detail;     // for a caseworker: "ZIP 10001 is in NY, not TX"
  std::string detail_es;  // the same in Spanish: "el código postal 10001 es de NY, no de TX"
};

struct AddressAssessment {
  std::vector<AddressDefect> defects;
  std::string line;        // normalized: upper case, single spaces, USPS suffix ("1200 W MAIN ST")
  std::string unit;        // normalized: "APT 4B", or empty; a unit written in the line is moved here
  std::string zip5;        // the first five digits
  std::string street_key;  // line + ZIP5: the building, whatever the unit
  std::string unit_key;    // street_key + unit: one household

  bool ok() const { return defects.empty(); }
  bool has(AddressDefectKind kind) const;
};

// Checks and normalizes one address. Never fails: what is wrong is in `defects`.
AddressAssessment assess_address(const Address& address);

// The USPS state codes a ZIP code's three-digit prefix belongs to ("" when unknown).
std::vector<std::string_view> states_for_zip(std::string_view zip);
// The USPS standard abbreviation for a street suffix as written ("Avenue" -> "AVE"), or "".
std::string_view standard_street_suffix(std::string_view written);

}  // namespace accompany
