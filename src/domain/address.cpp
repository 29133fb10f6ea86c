#include "domain/address.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "domain/identity.h"

namespace accompany {

bool is_usps_state(std::string_view code) {
  static constexpr std::array<std::string_view, 56> kCodes{
      "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME",
      "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA",
      "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "PR", "GU", "VI", "AS", "MP"};
  return std::find(kCodes.begin(), kCodes.end(), code) != kCodes.end();
}

namespace {

bool is_zip(std::string_view zip) {
  auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
  };
  if (zip.size() == 5) return digits(zip);
  return zip.size() == 10 && zip[5] == '-' && digits(zip.substr(0, 5)) && digits(zip.substr(6));
}

}  // namespace

Status Address::validate(const Address& address) {
  if (address.child_id <= 0)
    return invalid("child_id", std::to_string(address.child_id), "an address belongs to a child");
  ACCOMPANY_CHECK(check_text("line", address.line, 200, true));
  ACCOMPANY_CHECK(check_text("unit", address.unit, 50, false));
  ACCOMPANY_CHECK(check_text("city", address.city, 100, true));
  if (!is_usps_state(address.state))
    return invalid("state", address.state, "not a USPS state code (for example TX, CA, NY)");
  if (!is_zip(address.zip)) return invalid("zip", address.zip, "a ZIP code is 5 digits or ZIP+4 (12345-6789)");
  ACCOMPANY_CHECK(check_text("source", address.source, 100, true));
  if (address.first_confirmed && address.last_confirmed && *address.last_confirmed < *address.first_confirmed)
    return invalid("last_confirmed", format_date(*address.last_confirmed), "is before first_confirmed");
  return {};
}

Result<Address> Address::create(Address draft) {
  for (auto* field : {&draft.line, &draft.unit, &draft.city, &draft.source}) {
    ACCOMPANY_TRY(clean, clean_text("address", *field, 200, false));
    *field = std::move(clean);
  }
  std::transform(draft.state.begin(), draft.state.end(), draft.state.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  ACCOMPANY_CHECK(validate(draft));
  return draft;
}

}  // namespace accompany
