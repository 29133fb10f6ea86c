// The oversight report on a small population whose right answers are counted by hand.
#include "report/oversight.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace accompany {
namespace {

Timestamp t(const char* text) {
  return *parse_timestamp("t", text);
}

CaseFile released(Id id, const char* when, AddressStatus status = AddressStatus::verified) {
  CaseFile c;
  c.child.id = id;
  c.custody_events.push_back({id * 10, id, CustodyEventKind::released_to_sponsor, t(when), "shelter", 1});
  Address a;
  a.id = id * 10;
  a.child_id = id;
  a.line = "1200 W Main St";
  a.unit = "Apt 4B";
  a.city = "Houston";
  a.state = "TX";
  a.zip = "77002";
  a.status = status;
  a.source = "orr_release";
  a.sponsor_id = 1;  // the release's sponsor, as the importer records it
  c.addresses.push_back(a);
  return c;
}

Task task(const char* opened, const char* due, const char* closed = nullptr) {
  Task x;
  x.child_id = 1;
  x.rule = "no_notice_90_days";
  x.queue = "court";
  x.reason = "r";
  x.opened_at = t(opened);
  x.due_at = t(due);
  if (closed) {
    x.status = TaskStatus::closed;
    x.closed_at = t(closed);
    x.close_reason = "done";
  }
  return x;
}

TEST(Oversight, FiscalYearsStartInOctober) {
  EXPECT_EQ(fiscal_year_of(*parse_date("d", "2023-09-30")), 2023);
  EXPECT_EQ(fiscal_year_of(*parse_date("d", "2023-10-01")), 2024);
}

TEST(Oversight, CountsAKnownPopulation) {
  std::vector<CaseFile> cases;
  // FY2023: three children.
  cases.push_back(released(1, "2022-11-05T10:00:00Z"));                               // no notice
  cases.push_back(released(2, "2023-02-05T10:00:00Z", AddressStatus::missing_unit));  // address defect, no notice
  cases.push_back(released(3, "2023-09-30T10:00:00Z"));
  cases[2].notices.push_back(
      {1, 3, *parse_date("d", "2023-09-01"), *parse_date("d", "2023-09-15"), ServiceMethod::personal, std::nullopt});
  cases[2].hearings.push_back(
      {1, 3, "Court", t("2024-01-10T09:00:00Z"), HearingType::master_calendar, HearingOutcome::in_absentia_order, ""});
  // FY2024: three children, one unreachable at its latest check, one with no address.
  cases.push_back(released(4, "2023-10-01T10:00:00Z"));
  cases[3].welfare_checks.push_back({1, 4, *parse_date("d", "2023-10-31"), t("2023-10-31T10:00:00Z"),
                                     WelfareMethod::phone, WelfareOutcome::reached_safe});
  cases[3].welfare_checks.push_back({2, 4, *parse_date("d", "2023-11-30"), t("2023-11-30T10:00:00Z"),
                                     WelfareMethod::phone, WelfareOutcome::unreachable});
  cases.push_back(released(5, "2024-03-01T10:00:00Z"));
  cases[4].addresses.clear();
  // Released with no address; ICE later served a notice at a good one: the release address was
  // still blank (the inspector general's measure), so this child counts as a defect too.
  cases.push_back(released(7, "2024-04-01T10:00:00Z"));
  cases.back().addresses.front().sponsor_id.reset();
  cases.back().addresses.front().source = "ice_nta";
  // Never released: not counted.
  CaseFile in_care;
  in_care.child.id = 6;
  cases.push_back(in_care);

  std::vector<Task> tasks{
      task("2023-01-01T00:00:00Z", "2023-01-05T00:00:00Z", "2023-01-03T00:00:00Z"),  // 2 days, FY2023
      task("2023-03-01T00:00:00Z", "2023-03-05T00:00:00Z", "2023-03-05T00:00:00Z"),  // 4 days, FY2023
      task("2023-09-01T00:00:00Z", "2023-09-02T00:00:00Z", "2023-10-11T00:00:00Z"),  // 40 days, closed FY2024
      task("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"),                          // open, overdue
      task("2024-05-30T00:00:00Z", "2024-06-10T00:00:00Z"),                          // open, not yet due
  };
  tasks.push_back(task("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"));
  tasks.back().rule = "manual";  // not a gap the rules found

  const auto rows = oversight_by_fiscal_year(cases, tasks, t("2024-06-01T00:00:00Z"));
  ASSERT_EQ(rows.size(), 2u);
  const OversightRow& fy23 = rows[0];
  EXPECT_EQ(fy23.fiscal_year, 2023);
  EXPECT_EQ(fy23.released, 3);
  EXPECT_EQ(fy23.without_notice_served, 2);
  EXPECT_EQ(fy23.failed_to_appear, 1);
  EXPECT_EQ(fy23.address_defects, 1);
  EXPECT_EQ(fy23.unreachable_at_follow_up, 0);
  EXPECT_EQ(fy23.gaps_opened, 3);
  EXPECT_EQ(fy23.gaps_closed, 2);
  EXPECT_EQ(fy23.median_days_to_close, 3.0);
  EXPECT_EQ(fy23.overdue, 0);
  const OversightRow& fy24 = rows[1];
  EXPECT_EQ(fy24.fiscal_year, 2024);
  EXPECT_EQ(fy24.released, 3);
  EXPECT_EQ(fy24.without_notice_served, 3);
  EXPECT_EQ(fy24.failed_to_appear, 0);
  EXPECT_EQ(fy24.address_defects, 2);
  EXPECT_EQ(fy24.unreachable_at_follow_up, 1);
  EXPECT_EQ(fy24.gaps_opened, 2);
  EXPECT_EQ(fy24.gaps_closed, 1);
  EXPECT_EQ(fy24.median_days_to_close, 40.0);
  EXPECT_EQ(fy24.overdue, 1);

  EXPECT_EQ(oversight_csv(rows),
            "fiscal_year,released,without_notice_served,failed_to_appear,address_defects,unreachable_at_follow_up,"
            "gaps_opened,gaps_closed,median_days_to_close,overdue\n"
            "FY2023,3,2,1,1,0,3,2,3.0,0\n"
            "FY2024,3,3,0,2,1,2,1,40.0,1\n");
}

Address at(Id child, Id id, const char* line, const char* unit, std::optional<Id> sponsor, AddressStatus status,
           const char* source) {
  Address a;
  a.id = id;
  a.child_id = child;
  a.sponsor_id = sponsor;
  a.line = line;
  a.unit = unit;
  a.city = "Houston";
  a.state = "TX";
  a.zip = "77002";
  a.status = status;
  a.source = source;
  return a;
}

// The two defects no release row shows: mail to the release address came back (a notice's
// address is its own record), and no unit at a street address where several households live.
TEST(Oversight, ReturnedMailAndSharedBuildingsMarkTheReleaseAddress) {
  std::vector<CaseFile> cases;
  for (Id id = 1; id <= 5; ++id) {
    cases.push_back(released(id, "2023-02-05T10:00:00Z"));
    cases.back().custody_events.front().sponsor_id = id;
    cases.back().addresses.clear();
  }
  // 1: the notice mailed to the release address (written by ICE in upper case) came back.
  cases[0].addresses = {at(1, 10, "500 Oak Avenue", "", 1, AddressStatus::unverified, "orr_release"),
                        at(1, 11, "500 OAK AVE", "", std::nullopt, AddressStatus::missing_unit, "ice_nta:returned")};
  // 2: mail came back from another address than the release one: the release address stands.
  cases[1].addresses = {at(2, 20, "510 Oak Ave", "", 2, AddressStatus::unverified, "orr_release"),
                        at(2, 21, "77 Pine St", "", std::nullopt, AddressStatus::undeliverable, "ice_nta:returned")};
  // 3 and 4: two households at 900 Elm St; 4's release address gives no unit.
  cases[2].addresses = {at(3, 30, "900 Elm St", "Apt 1", 3, AddressStatus::unverified, "orr_release")};
  cases[3].addresses = {at(4, 40, "900 Elm St", "", 4, AddressStatus::unverified, "orr_release")};
  // 5: alone at its street address without a unit: nothing says one is missing.
  cases[4].addresses = {at(5, 50, "12 Birch Rd", "", 5, AddressStatus::unverified, "orr_release")};

  const auto rows = oversight_by_fiscal_year(cases, {}, t("2024-06-01T00:00:00Z"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].released, 5);
  EXPECT_EQ(rows[0].address_defects, 2);  // children 1 and 4
}

TEST(Oversight, WritesAnExcelWorkbook) {
  OversightRow row;
  row.fiscal_year = 2024;
  row.released = 12;
  row.median_days_to_close = 2.5;
  const auto path = std::filesystem::temp_directory_path() / ("oversight-" + std::to_string(getpid()) + ".xlsx");
  ASSERT_TRUE(write_oversight_xlsx({row}, path.string()));
  std::ifstream in(path, std::ios::binary);
  char magic[2] = {};
  in.read(magic, 2);
  EXPECT_EQ(std::string(magic, 2), "PK");  // an XLSX file is a zip archive
  EXPECT_GT(std::filesystem::file_size(path), 1000u);
  std::filesystem::remove(path);
  EXPECT_FALSE(write_oversight_xlsx({row}, "/no/such/dir/out.xlsx"));
}

}  // namespace
}  // namespace accompany
