// Address quality: USPS suffix and unit normalization, ZIP-prefix-to-state, structural defects.
#include "triage/address_quality.h"

#include <gtest/gtest.h>

namespace accompany {
namespace {

Address address(std::string line, std::string unit, std::string state, std::string zip) {
  Address a;
  a.child_id = 1;
  a.line = std::move(line);
  a.unit = std::move(unit);
  a.city = "City";
  a.state = std::move(state);
  a.zip = std::move(zip);
  a.source = "test";
  return a;
}

TEST(AddressQuality, NormalizesSuffixDirectionalAndUnitPerPublication28) {
  auto a = assess_address(address("1200 west Main Street", "apartment 4b", "TX", "77002-1234"));
  EXPECT_TRUE(a.ok());
  EXPECT_EQ(a.line, "1200 W MAIN ST");
  EXPECT_EQ(a.unit, "APT 4B");
  EXPECT_EQ(a.zip5, "77002");
  auto b = assess_address(address("1200 W. Main St.", "Apt. 4B", "TX", "77002"));
  EXPECT_EQ(a.unit_key, b.unit_key);
  EXPECT_EQ(assess_address(address("55 Ocean Boulevard NORTHWEST", "Suite 200", "FL", "33101")).line,
            "55 OCEAN BLVD NW");
  EXPECT_EQ(assess_address(address("8 Elm Ave", "4", "TX", "77002")).unit, "# 4");
  EXPECT_EQ(standard_street_suffix("Parkway"), "PKWY");
  EXPECT_EQ(standard_street_suffix("Nowhere"), "");
}

TEST(AddressQuality, MovesAUnitWrittenInTheLine) {
  auto a = assess_address(address("300 Pine Rd Apt 12", "", "TX", "75201"));
  EXPECT_TRUE(a.ok());
  EXPECT_EQ(a.line, "300 PINE RD");
  EXPECT_EQ(a.unit, "APT 12");
  auto b = assess_address(address("300 Pine Rd #12", "", "TX", "75201"));
  EXPECT_EQ(b.unit, "# 12");
  auto c = assess_address(address("300 Pine Rd Apt", "", "TX", "75201"));
  EXPECT_TRUE(c.has(AddressDefectKind::unit_in_line_without_number));
}

// Found by address_fuzzer (src/fuzz/regressions/address_fuzzer): a unit in the line beside a
// one-word unit field that is no designator used to throw std::out_of_range. The unit field
// wins; a bare word in it is a unit identifier, as Pub 28 writes it after '#'.
TEST(AddressQuality, AUnitInTheLineBesideAOneWordUnitFieldKeepsTheField) {
  auto a = assess_address(address("1200 W Main Street Apt 4", "B", "TX", "77002"));
  EXPECT_EQ(a.line, "1200 W MAIN ST");
  EXPECT_EQ(a.unit, "# B");
  auto b = assess_address(address("300 Pine Rd Apt 12", "Ste 5", "TX", "75201"));
  EXPECT_EQ(b.unit, "STE 5");
}

TEST(AddressQuality, ZipPrefixMustBelongToTheState) {
  EXPECT_TRUE(assess_address(address("1 A St", "", "NY", "10001")).ok());
  auto wrong = assess_address(address("1 A St", "", "TX", "10001"));
  ASSERT_TRUE(wrong.has(AddressDefectKind::zip_state_mismatch));
  EXPECT_EQ(wrong.defects.front().detail, "ZIP 10001 is in NY, not TX");
  EXPECT_TRUE(assess_address(address("1 A St", "", "PR", "00901")).ok());
  EXPECT_TRUE(assess_address(address("1 A St", "", "AS", "96799")).ok());
  EXPECT_TRUE(assess_address(address("1 A St", "", "TX", "00000")).has(AddressDefectKind::zip_unknown_prefix));
  EXPECT_EQ(states_for_zip("733").front(), "TX");  // Austin's IRS prefix sits inside Oklahoma's range
}

TEST(AddressQuality, StructuralDefects) {
  EXPECT_TRUE(assess_address(address("Main Street", "", "TX", "77002")).has(AddressDefectKind::no_house_number));
  EXPECT_TRUE(assess_address(address("PO Box 17", "", "TX", "77002")).has(AddressDefectKind::po_box));
  EXPECT_TRUE(assess_address(address("P.O. Box 17", "", "TX", "77002")).has(AddressDefectKind::po_box));
  EXPECT_TRUE(assess_address(address("5 Oak St", "Suite", "TX", "77002")).has(AddressDefectKind::unit_not_recognized));
  EXPECT_TRUE(
      assess_address(address("5 Oak St", "back room", "TX", "77002")).has(AddressDefectKind::unit_not_recognized));
  EXPECT_TRUE(assess_address(address("5 Oak St", "Rear", "TX", "77002")).ok());  // REAR needs no number
}

TEST(AddressQuality, StreetKeyIgnoresTheUnitSoBuildingsCanBeCounted) {
  auto a = assess_address(address("77 Pine Street", "Apt 1", "TX", "77002"));
  auto b = assess_address(address("77 pine st", "", "TX", "77002-0001"));
  EXPECT_EQ(a.street_key, b.street_key);
  EXPECT_NE(a.unit_key, b.unit_key);
}

}  // namespace
}  // namespace accompany
