// Where a child lives, with how much we trust it. An address is history: a new one does not
// erase the old, and each says where it came from and when it was last confirmed.
#pragma once

#include <optional>
#include <string>

#include "common/ids.h"
#include "common/time.h"
#include "domain/enum_names.h"

namespace accompany {

enum class AddressStatus { unverified, verified, missing_unit, undeliverable, invalid };
inline constexpr EnumTable<AddressStatus, 5> kAddressStatusNames{{
    {AddressStatus::unverified, "unverified"},
    {AddressStatus::verified, "verified"},
    {AddressStatus::missing_unit, "missing_unit"},
    {AddressStatus::undeliverable, "undeliverable"},
    {AddressStatus::invalid, "invalid"},
}};

struct Address {
  Id id = 0;
  Id child_id = 0;
  std::optional<Id> sponsor_id;  // set when this is the sponsor's home the child was released to
  std::string line;              // "1200 W Main St"
  std::string unit;              // "Apt 4B"; empty when none
  std::string city;
  std::string state;  // USPS two-letter code
  std::string zip;    // "12345" or "12345-6789"
  AddressStatus status = AddressStatus::unverified;
  std::string source;  // which feed or person supplied it: "orr_release", "caseworker:jdoe"
  std::optional<Date> first_confirmed;
  std::optional<Date> last_confirmed;

  static Status validate(const Address& address);
  static Result<Address> create(Address draft);
  bool operator==(const Address&) const = default;
};

// True for the 50 states, DC, and the territories with USPS codes (PR, GU, VI, AS, MP).
bool is_usps_state(std::string_view code);

}  // namespace accompany
