#include "domain/case_events.h"

#include "domain/identity.h"

namespace accompany {
namespace {

Status require_child(Id child_id) {
  if (child_id <= 0) return invalid("child_id", std::to_string(child_id), "must name an existing child");
  return {};
}

}  // namespace

Status CustodyEvent::validate(const CustodyEvent& event) {
  ACCOMPANY_CHECK(require_child(event.child_id));
  ACCOMPANY_CHECK(check_text("location", event.location, 200, false));
  const bool release = event.kind == CustodyEventKind::released_to_sponsor;
  if (release && !event.sponsor_id) return invalid("sponsor_id", "", "a release to a sponsor must name the sponsor");
  if (!release && event.sponsor_id)
    return invalid("sponsor_id", std::to_string(*event.sponsor_id), "only a release to a sponsor names a sponsor");
  return {};
}

Status NoticeToAppear::validate(const NoticeToAppear& notice) {
  ACCOMPANY_CHECK(require_child(notice.child_id));
  if (!notice.issued_on.ok()) return invalid("issued_on", format_date(notice.issued_on), "not a calendar date");
  if (notice.served_on) {
    if (*notice.served_on < notice.issued_on)
      return invalid("served_on", format_date(*notice.served_on), "a notice cannot be served before it is issued");
    if (!notice.service_method) return invalid("service_method", "", "a served notice must say how it was served");
  } else {
    if (notice.service_method)
      return invalid("service_method", std::string(enum_name(kServiceMethodNames, *notice.service_method)),
                     "a notice not yet served has no service method");
    if (notice.served_to_address_id)
      return invalid("served_to_address_id", std::to_string(*notice.served_to_address_id),
                     "a notice not yet served has no address served to");
  }
  return {};
}

Status Hearing::validate(const Hearing& hearing) {
  ACCOMPANY_CHECK(require_child(hearing.child_id));
  ACCOMPANY_CHECK(check_text("court", hearing.court, 200, true));
  ACCOMPANY_CHECK(check_text("counsel_of_record", hearing.counsel_of_record, 200, false));
  return {};
}

Status WelfareCheck::validate(const WelfareCheck& check) {
  ACCOMPANY_CHECK(require_child(check.child_id));
  if (!check.due_on.ok()) return invalid("due_on", format_date(check.due_on), "not a calendar date");
  if (check.done_at) {
    if (!check.method) return invalid("method", "", "a completed check must say how the child was contacted");
    if (!check.outcome) return invalid("outcome", "", "a completed check must record its outcome");
  } else if (check.outcome) {
    return invalid("outcome", std::string(enum_name(kWelfareOutcomeNames, *check.outcome)),
                   "a check not yet done has no outcome");
  }
  return {};
}

}  // namespace accompany
