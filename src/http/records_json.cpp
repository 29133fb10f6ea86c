#include "http/records_json.h"

#include <boost/json/parse.hpp>

#include "linkage/identifiers.h"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>

namespace accompany {
namespace json = boost::json;
namespace {

json::value or_null(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}
json::value or_null(const std::optional<Id>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}
json::value or_null(const std::optional<Date>& value) {
  return value ? json::value(format_date(*value)) : json::value(nullptr);
}
json::value or_null(const std::optional<Timestamp>& value) {
  return value ? json::value(format_timestamp(*value)) : json::value(nullptr);
}
template <class E, size_t N>
json::value or_null(const EnumTable<E, N>& table, const std::optional<E>& value) {
  return value ? json::value(enum_name(table, *value)) : json::value(nullptr);
}
json::object name_json(const PersonName& name) {
  return {{"given_names", name.given_names},
          {"paternal_surname", name.paternal_surname},
          {"maternal_surname", name.maternal_surname}};
}

const json::object* as_object(const json::value& body) {
  return body.is_object() ? &body.get_object() : nullptr;
}

}  // namespace

Result<std::string> string_member(const json::object& object, std::string_view name, bool required) {
  auto found = object.find(name);
  if (found == object.end() || found->value().is_null()) {
    if (required) return invalid(name, "", "is required");
    return std::string();
  }
  if (!found->value().is_string()) return invalid(name, json::serialize(found->value()), "must be a string");
  return std::string(found->value().get_string());
}

json::object to_json(const Child& c) {
  json::array languages;
  for (const auto& language : c.languages) languages.emplace_back(language);
  return {{"id", c.id},
          {"a_number", c.a_number ? json::value(c.a_number->display()) : json::value(nullptr)},
          {"name", name_json(c.name)},
          {"birth_date", format_date(c.birth_date.date)},
          {"birth_precision", enum_name(kBirthDatePrecisionNames, c.birth_date.precision)},
          {"sex", enum_name(kSexNames, c.sex)},
          {"country_of_birth", c.country_of_birth},
          {"languages", std::move(languages)},
          {"interpreter_needed", c.interpreter_needed}};
}

json::object to_json(const Sponsor& s) {
  return {{"id", s.id},
          {"name", name_json(s.name)},
          {"category", enum_name(kSponsorCategoryNames, s.category)},
          {"relationship", s.relationship},
          {"phone", or_null(s.phone)}};
}

json::object to_json(const Address& a) {
  return {{"id", a.id},
          {"child_id", a.child_id},
          {"sponsor_id", or_null(a.sponsor_id)},
          {"line", a.line},
          {"unit", a.unit},
          {"city", a.city},
          {"state", a.state},
          {"zip", a.zip},
          {"status", enum_name(kAddressStatusNames, a.status)},
          {"source", a.source},
          {"first_confirmed", or_null(a.first_confirmed)},
          {"last_confirmed", or_null(a.last_confirmed)}};
}

json::object to_json(const CustodyEvent& e) {
  return {{"id", e.id},
          {"child_id", e.child_id},
          {"kind", enum_name(kCustodyEventKindNames, e.kind)},
          {"occurred_at", format_timestamp(e.occurred_at)},
          {"location", e.location},
          {"sponsor_id", or_null(e.sponsor_id)}};
}

json::object to_json(const NoticeToAppear& n) {
  return {{"id", n.id},
          {"child_id", n.child_id},
          {"issued_on", format_date(n.issued_on)},
          {"served_on", or_null(n.served_on)},
          {"service_method", or_null(kServiceMethodNames, n.service_method)},
          {"served_to_address_id", or_null(n.served_to_address_id)}};
}

json::object to_json(const Hearing& h) {
  return {{"id", h.id},
          {"child_id", h.child_id},
          {"court", h.court},
          {"scheduled_at", format_timestamp(h.scheduled_at)},
          {"type", enum_name(kHearingTypeNames, h.type)},
          {"outcome", enum_name(kHearingOutcomeNames, h.outcome)},
          {"counsel_of_record", h.counsel_of_record}};
}

json::object to_json(const WelfareCheck& w) {
  return {{"id", w.id},
          {"child_id", w.child_id},
          {"due_on", format_date(w.due_on)},
          {"done_at", or_null(w.done_at)},
          {"method", or_null(kWelfareMethodNames, w.method)},
          {"outcome", or_null(kWelfareOutcomeNames, w.outcome)}};
}

json::object to_json(const Contact& c) {
  json::array children;
  for (Id id : c.child_ids) children.emplace_back(id);
  return {{"id", c.id},
          {"occurred_at", format_timestamp(c.occurred_at)},
          {"channel", enum_name(kContactChannelNames, c.channel)},
          {"caller_type", enum_name(kCallerTypeNames, c.caller_type)},
          {"language", c.language},
          {"category", enum_name(kContactCategoryNames, c.category)},
          {"narrative", c.narrative},
          {"outcome", c.outcome},
          {"child_ids", std::move(children)},
          {"sub_category", c.sub_category},
          {"caller_number", c.caller_number},
          {"call_id", c.call_id},
          {"recorded_by", c.recorded_by},
          {"details", json::parse(c.details)}};
}

json::object to_json(const Task& t) {
  return {{"id", t.id},
          {"child_id", or_null(t.child_id)},
          {"rule", t.rule},
          {"queue", t.queue},
          {"reason", t.reason},
          {"priority", enum_name(kTaskPriorityNames, t.priority)},
          {"status", enum_name(kTaskStatusNames, t.status)},
          {"opened_at", format_timestamp(t.opened_at)},
          {"due_at", format_timestamp(t.due_at)},
          {"assignee", t.assignee},
          {"closed_at", or_null(t.closed_at)},
          {"close_reason", t.close_reason}};
}

json::object to_json(const User& u) {
  return {{"id", u.id},
          {"name", u.name},
          {"role", enum_name(kRoleNames, u.role)},
          {"organization", u.organization},
          {"service", u.service},
          {"disabled", u.disabled},
          {"created_at", format_timestamp(u.created_at)}};
}

json::object to_json(const Referral& r) {
  return {{"id", r.id},
          {"child_id", r.child_id},
          {"organization", r.organization},
          {"referred_at", format_timestamp(r.referred_at)},
          {"referred_by", r.referred_by}};
}

json::object to_json(const SharingPolicy& p) {
  json::array fields;
  for (const auto& field : p.fields) fields.emplace_back(field);
  return {{"id", p.id},
          {"organization", p.organization},
          {"fields", std::move(fields)},
          {"purpose", p.purpose},
          {"expires_at", format_timestamp(p.expires_at)},
          {"created_by", p.created_by},
          {"created_at", format_timestamp(p.created_at)}};
}

json::object to_json(const BreakGlassGrant& g) {
  return {{"id", g.id},
          {"child_id", g.child_id},
          {"user", g.user_name},
          {"reason", g.reason},
          {"opened_at", format_timestamp(g.opened_at)},
          {"expires_at", format_timestamp(g.expires_at)}};
}

Result<Child> child_from_json(const json::value& body, Date today) {
  const auto* object = as_object(body);
  if (!object) return invalid("body", "", "send a JSON object with the child's fields");
  Child draft;
  ACCOMPANY_TRY(a_number, string_member(*object, "a_number", false));
  if (!a_number.empty()) {
    ACCOMPANY_TRY(parsed, ANumber::parse(a_number));
    draft.a_number = parsed;
  }
  ACCOMPANY_TRY(given, string_member(*object, "given_names", true));
  ACCOMPANY_TRY(paternal, string_member(*object, "paternal_surname", false));
  ACCOMPANY_TRY(maternal, string_member(*object, "maternal_surname", false));
  ACCOMPANY_TRY(name, PersonName::create(given, paternal, maternal));
  draft.name = name;
  ACCOMPANY_TRY(birth_text, string_member(*object, "birth_date", true));
  ACCOMPANY_TRY(birth, parse_date("birth_date", birth_text));
  ACCOMPANY_TRY(birth_date, BirthDate::exact(birth));
  draft.birth_date = birth_date;
  ACCOMPANY_TRY(sex_text, string_member(*object, "sex", false));
  if (!sex_text.empty()) {
    ACCOMPANY_TRY(sex, parse_enum(kSexNames, "sex", sex_text));
    draft.sex = sex;
  }
  ACCOMPANY_TRY(country, string_member(*object, "country_of_birth", true));
  draft.country_of_birth = country;
  ACCOMPANY_CHECK(read_language_fields(*object, draft));
  return Child::create(std::move(draft), today);
}

Status read_language_fields(const json::object& object, Child& child) {
  if (auto languages = object.find("languages"); languages != object.end()) {
    if (!languages->value().is_array()) return invalid("languages", "", "must be a list of ISO 639-3 codes");
    child.languages.clear();
    for (const auto& language : languages->value().get_array()) {
      if (!language.is_string()) return invalid("languages", json::serialize(language), "must be a string");
      child.languages.emplace_back(language.get_string());
    }
  }
  if (auto interpreter = object.find("interpreter_needed"); interpreter != object.end()) {
    if (!interpreter->value().is_bool()) return invalid("interpreter_needed", "", "must be true or false");
    child.interpreter_needed = interpreter->value().get_bool();
  }
  return {};
}

Result<Address> address_from_json(const json::value& body, Id child_id) {
  const auto* object = as_object(body);
  if (!object) return invalid("body", "", "send a JSON object with the address's fields");
  Address draft;
  draft.child_id = child_id;
  ACCOMPANY_TRY(line, string_member(*object, "line", true));
  ACCOMPANY_TRY(unit, string_member(*object, "unit", false));
  ACCOMPANY_TRY(city, string_member(*object, "city", true));
  ACCOMPANY_TRY(state, string_member(*object, "state", true));
  ACCOMPANY_TRY(zip, string_member(*object, "zip", true));
  ACCOMPANY_TRY(source, string_member(*object, "source", true));
  draft.line = line;
  draft.unit = unit;
  draft.city = city;
  draft.state = state;
  draft.zip = zip;
  draft.source = source;
  ACCOMPANY_TRY(status, string_member(*object, "status", false));
  if (!status.empty()) {
    ACCOMPANY_TRY(parsed, parse_enum(kAddressStatusNames, "status", status));
    draft.status = parsed;
  }
  return Address::create(std::move(draft));
}

Result<Contact> contact_from_json(const json::value& body, Timestamp now) {
  const auto* object = as_object(body);
  if (!object) return invalid("body", "", "send a JSON object with the contact's fields");
  Contact draft;
  draft.occurred_at = now;
  ACCOMPANY_TRY(channel, string_member(*object, "channel", true));
  ACCOMPANY_TRY(caller, string_member(*object, "caller_type", true));
  ACCOMPANY_TRY(category, string_member(*object, "category", true));
  ACCOMPANY_TRY(parsed_channel, parse_enum(kContactChannelNames, "channel", channel));
  ACCOMPANY_TRY(parsed_caller, parse_enum(kCallerTypeNames, "caller_type", caller));
  ACCOMPANY_TRY(parsed_category, parse_enum(kContactCategoryNames, "category", category));
  draft.channel = parsed_channel;
  draft.caller_type = parsed_caller;
  draft.category = parsed_category;
  ACCOMPANY_TRY(language, string_member(*object, "language", true));
  ACCOMPANY_TRY(narrative, string_member(*object, "narrative", false));
  ACCOMPANY_TRY(outcome, string_member(*object, "outcome", false));
  draft.language = language;
  draft.narrative = narrative;
  draft.outcome = outcome;
  ACCOMPANY_TRY(sub_category, string_member(*object, "sub_category", false));
  draft.sub_category = sub_category;
  ACCOMPANY_TRY(caller_number, string_member(*object, "caller_number", false));
  if (!caller_number.empty() && caller_number != "anonymous") {
    draft.caller_number = linkage::normalize_phone(caller_number);
    if (draft.caller_number.empty())
      return invalid("caller_number", caller_number, "cannot be read as a phone number; leave it empty if withheld");
  }
  ACCOMPANY_TRY(call_id, string_member(*object, "call_id", false));
  draft.call_id = call_id;
  // The category's own fields: a flat object of short strings, kept as JSON.
  if (auto details = object->find("details"); details != object->end() && !details->value().is_null()) {
    if (!details->value().is_object()) return invalid("details", "", "must be an object of strings");
    for (const auto& field : details->value().get_object())
      if (!field.value().is_string() || field.value().get_string().size() > 1000 || field.key().size() > 64)
        return invalid("details", field.key(), "each detail is a string of at most 1000 bytes");
    draft.details = json::serialize(details->value());
  }
  if (auto children = object->find("child_ids"); children != object->end()) {
    if (!children->value().is_array()) return invalid("child_ids", "", "must be a list of child ids");
    for (const auto& id : children->value().get_array()) {
      if (!id.is_int64() || id.get_int64() <= 0) return invalid("child_ids", json::serialize(id), "not a child id");
      draft.child_ids.push_back(id.get_int64());
    }
  }
  ACCOMPANY_CHECK(Contact::validate(draft));
  return draft;
}

}  // namespace accompany
