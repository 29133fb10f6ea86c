// libFuzzer target for the address normalizer: the input's lines are an address's line, unit,
// city, state and ZIP; it goes through the domain's create/validate and USPS Publication 28
// assessment (normalized line and unit, ZIP-state check, household keys).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "domain/address.h"
#include "triage/address_quality.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace accompany;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string fields[5];
  for (auto& field : fields) {
    const auto end = input.find('\n');
    field = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
  }
  Address address;
  address.child_id = 1;
  address.line = fields[0];
  address.unit = fields[1];
  address.city = fields[2];
  address.state = fields[3];
  address.zip = fields[4];
  address.source = "fuzz";
  (void)assess_address(address);
  if (auto created = Address::create(address)) (void)assess_address(*created);
  (void)states_for_zip(fields[4]);
  (void)standard_street_suffix(fields[0]);
  return 0;
}
