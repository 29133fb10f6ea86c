// Validation of the records that hang off a child: sponsor, address, custody, notice,
// hearing, welfare check, contact, task. Each test names the field a bad value is refused for.
#include <gtest/gtest.h>

#include "domain/address.h"
#include "domain/case_events.h"
#include "domain/contact.h"
#include "domain/sponsor.h"
#include "domain/task.h"

namespace accompany {
namespace {

Date day(const char* text) {
  return *parse_date("d", text);
}
Timestamp at(const char* text) {
  return *parse_timestamp("t", text);
}

TEST(Sponsor, NormalizesPhoneAndKnowsRelatives) {
  Sponsor sponsor;
  sponsor.name = PersonName{"Rosa", "Pérez", ""};
  sponsor.category = SponsorCategory::non_relative;
  sponsor.phone = "(713) 555-0199";
  auto created = Sponsor::create(sponsor);
  ASSERT_TRUE(created) << created.error().describe();
  EXPECT_EQ(*created->phone, "+17135550199");
  EXPECT_FALSE(created->is_relative());
  EXPECT_EQ(*parse_enum(kSponsorCategoryNames, "category", "2B"), SponsorCategory::other_relative);
  auto bad = parse_enum(kSponsorCategoryNames, "category", "5");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().describe(), "category '5': not one of: 1, 2A, 2B, 3, 4");
}

Address good_address() {
  Address address;
  address.child_id = 7;
  address.line = "1200 W Main St";
  address.city = "Houston";
  address.state = "tx";
  address.zip = "77002";
  address.source = "orr_release";
  return address;
}

TEST(Address, ChecksStateZipAndConfirmationOrder) {
  auto created = Address::create(good_address());
  ASSERT_TRUE(created) << created.error().describe();
  EXPECT_EQ(created->state, "TX");
  auto bad_state = good_address();
  bad_state.state = "XX";
  EXPECT_EQ(Address::create(bad_state).error().field, "state");
  auto bad_zip = good_address();
  bad_zip.zip = "7700";
  EXPECT_EQ(Address::create(bad_zip).error().field, "zip");
  auto zip4 = good_address();
  zip4.zip = "77002-1234";
  EXPECT_TRUE(Address::create(zip4));
  auto order = good_address();
  order.first_confirmed = day("2024-02-01");
  order.last_confirmed = day("2024-01-01");
  EXPECT_EQ(Address::create(order).error().field, "last_confirmed");
  auto orphan = good_address();
  orphan.child_id = 0;
  EXPECT_EQ(Address::create(orphan).error().field, "child_id");
}

TEST(CustodyEvent, OnlyAReleaseNamesASponsor) {
  CustodyEvent release{0,           3,           CustodyEventKind::released_to_sponsor, at("2023-01-05T10:00:00Z"),
                       "Shelter A", std::nullopt};
  EXPECT_EQ(CustodyEvent::validate(release).error().field, "sponsor_id");
  release.sponsor_id = 9;
  EXPECT_TRUE(CustodyEvent::validate(release));
  CustodyEvent runaway{0, 3, CustodyEventKind::ran_away, at("2023-03-05T10:00:00Z"), "", 9};
  EXPECT_EQ(CustodyEvent::validate(runaway).error().field, "sponsor_id");
}

TEST(NoticeToAppear, ServiceNeedsAMethodAndComesAfterIssue) {
  NoticeToAppear notice{0, 3, day("2023-02-01"), std::nullopt, std::nullopt, std::nullopt};
  EXPECT_TRUE(NoticeToAppear::validate(notice));
  EXPECT_FALSE(notice.served());
  notice.served_on = day("2023-01-15");
  notice.service_method = ServiceMethod::regular_mail;
  EXPECT_EQ(NoticeToAppear::validate(notice).error().field, "served_on");
  notice.served_on = day("2023-02-15");
  EXPECT_TRUE(NoticeToAppear::validate(notice));
  notice.service_method.reset();
  EXPECT_EQ(NoticeToAppear::validate(notice).error().field, "service_method");
}

TEST(Hearing, NeedsACourt) {
  Hearing hearing;
  hearing.child_id = 3;
  hearing.scheduled_at = at("2024-05-01T13:00:00Z");
  EXPECT_EQ(Hearing::validate(hearing).error().field, "court");
  hearing.court = "San Antonio Immigration Court";
  EXPECT_TRUE(Hearing::validate(hearing));
  EXPECT_FALSE(hearing.has_counsel());
  EXPECT_EQ(*parse_enum(kHearingOutcomeNames, "outcome", "in_absentia_order"), HearingOutcome::in_absentia_order);
}

TEST(WelfareCheck, ADoneCheckRecordsMethodAndOutcome) {
  WelfareCheck check{0, 3, day("2023-02-04"), std::nullopt, std::nullopt, std::nullopt};
  EXPECT_TRUE(WelfareCheck::validate(check));
  check.done_at = at("2023-02-04T16:00:00Z");
  EXPECT_EQ(WelfareCheck::validate(check).error().field, "method");
  check.method = WelfareMethod::phone;
  EXPECT_EQ(WelfareCheck::validate(check).error().field, "outcome");
  check.outcome = WelfareOutcome::unreachable;
  EXPECT_TRUE(WelfareCheck::validate(check));
}

TEST(Contact, AllowsAMultilineNarrativeAndRefusesDuplicateLinks) {
  Contact contact;
  contact.occurred_at = at("2024-01-01T00:00:00Z");
  contact.language = "spa";
  contact.category = ContactCategory::exploitation_report;
  contact.narrative = "Caller says the child works nights.\nNo school since March.";
  contact.child_ids = {4, 5};
  EXPECT_TRUE(Contact::validate(contact));
  contact.child_ids = {4, 4};
  EXPECT_EQ(Contact::validate(contact).error().field, "child_ids");
  contact.child_ids = {};
  contact.language = "xx";
  EXPECT_EQ(Contact::validate(contact).error().field, "language");
}

TEST(Task, ClosingRecordsWhenAndWhy) {
  Task task;
  task.child_id = 3;
  task.rule = "no_notice_90_days";
  task.queue = "court";
  task.reason = "Released 120 days ago and no Notice to Appear has been served.";
  task.opened_at = at("2024-01-01T00:00:00Z");
  task.due_at = at("2024-01-08T00:00:00Z");
  EXPECT_TRUE(Task::validate(task));
  EXPECT_TRUE(task.overdue(at("2024-01-09T00:00:00Z")));
  task.status = TaskStatus::closed;
  EXPECT_EQ(Task::validate(task).error().field, "closed_at");
  task.closed_at = at("2024-01-05T00:00:00Z");
  EXPECT_EQ(Task::validate(task).error().field, "close_reason");
  task.close_reason = "Notice served 2024-01-04";
  EXPECT_TRUE(Task::validate(task));
  EXPECT_FALSE(task.overdue(at("2024-01-09T00:00:00Z")));
  task.due_at = at("2023-12-01T00:00:00Z");
  EXPECT_EQ(Task::validate(task).error().field, "due_at");
}

}  // namespace
}  // namespace accompany
