// What happens to a child after the border: custody events, the Notice to Appear, court
// hearings and welfare checks. Each names the child it belongs to by id.
#pragma once

#include <optional>
#include <string>

#include "common/ids.h"
#include "common/time.h"
#include "domain/enum_names.h"

namespace accompany {

enum class CustodyEventKind {
  apprehended,
  transferred_to_orr,
  released_to_sponsor,
  ran_away,
  turned_18,
  repatriated,
  case_closed
};
inline constexpr EnumTable<CustodyEventKind, 7> kCustodyEventKindNames{{
    {CustodyEventKind::apprehended, "apprehended"},
    {CustodyEventKind::transferred_to_orr, "transferred_to_orr"},
    {CustodyEventKind::released_to_sponsor, "released_to_sponsor"},
    {CustodyEventKind::ran_away, "ran_away"},
    {CustodyEventKind::turned_18, "turned_18"},
    {CustodyEventKind::repatriated, "repatriated"},
    {CustodyEventKind::case_closed, "case_closed"},
}};

struct CustodyEvent {
  Id id = 0;
  Id child_id = 0;
  CustodyEventKind kind = CustodyEventKind::apprehended;
  Timestamp occurred_at{};
  std::string location;          // border sector, shelter or program name
  std::optional<Id> sponsor_id;  // required for released_to_sponsor, refused otherwise

  static Status validate(const CustodyEvent& event);
  bool operator==(const CustodyEvent&) const = default;
};

enum class ServiceMethod { personal, regular_mail, certified_mail };
inline constexpr EnumTable<ServiceMethod, 3> kServiceMethodNames{{
    {ServiceMethod::personal, "personal"},
    {ServiceMethod::regular_mail, "regular_mail"},
    {ServiceMethod::certified_mail, "certified_mail"},
}};

// Notice to Appear (form I-862): until it is served and filed, the child has no court date.
struct NoticeToAppear {
  Id id = 0;
  Id child_id = 0;
  Date issued_on{};
  std::optional<Date> served_on;
  std::optional<ServiceMethod> service_method;  // required once served
  std::optional<Id> served_to_address_id;

  static Status validate(const NoticeToAppear& notice);
  bool served() const { return served_on.has_value(); }
  bool operator==(const NoticeToAppear&) const = default;
};

enum class HearingType { master_calendar, individual_merits };
inline constexpr EnumTable<HearingType, 2> kHearingTypeNames{{
    {HearingType::master_calendar, "master_calendar"},
    {HearingType::individual_merits, "individual_merits"},
}};

enum class HearingOutcome { scheduled, appeared, failed_to_appear, in_absentia_order, continued, relief_granted };
inline constexpr EnumTable<HearingOutcome, 6> kHearingOutcomeNames{{
    {HearingOutcome::scheduled, "scheduled"},
    {HearingOutcome::appeared, "appeared"},
    {HearingOutcome::failed_to_appear, "failed_to_appear"},
    {HearingOutcome::in_absentia_order, "in_absentia_order"},
    {HearingOutcome::continued, "continued"},
    {HearingOutcome::relief_granted, "relief_granted"},
}};

struct Hearing {
  Id id = 0;
  Id child_id = 0;
  std::string court;  // immigration court name, "San Antonio Immigration Court"
  Timestamp scheduled_at{};
  HearingType type = HearingType::master_calendar;
  HearingOutcome outcome = HearingOutcome::scheduled;
  std::string counsel_of_record;  // attorney or organization; empty when none

  static Status validate(const Hearing& hearing);
  bool has_counsel() const { return !counsel_of_record.empty(); }
  bool operator==(const Hearing&) const = default;
};

enum class WelfareMethod { phone, video, home_visit, text_message };
inline constexpr EnumTable<WelfareMethod, 4> kWelfareMethodNames{{
    {WelfareMethod::phone, "phone"},
    {WelfareMethod::video, "video"},
    {WelfareMethod::home_visit, "home_visit"},
    {WelfareMethod::text_message, "text_message"},
}};

enum class WelfareOutcome { reached_safe, reached_concern, unreachable, referred_to_services };
inline constexpr EnumTable<WelfareOutcome, 4> kWelfareOutcomeNames{{
    {WelfareOutcome::reached_safe, "reached_safe"},
    {WelfareOutcome::reached_concern, "reached_concern"},
    {WelfareOutcome::unreachable, "unreachable"},
    {WelfareOutcome::referred_to_services, "referred_to_services"},
}};

// A follow-up call or visit after release; the first is due 30 days after release.
struct WelfareCheck {
  Id id = 0;
  Id child_id = 0;
  Date due_on{};
  std::optional<Timestamp> done_at;
  std::optional<WelfareMethod> method;    // required once done
  std::optional<WelfareOutcome> outcome;  // required once done

  static Status validate(const WelfareCheck& check);
  bool done() const { return done_at.has_value(); }
  bool operator==(const WelfareCheck&) const = default;
};

}  // namespace accompany
