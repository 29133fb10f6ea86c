#include "store/entity_tables.h"

#include <fmt/format.h>

#include <boost/algorithm/string/join.hpp>
#include <boost/algorithm/string/split.hpp>
#include <charconv>

#include "security/digest.h"
#include "security/field_cipher.h"

namespace accompany {
namespace {

// Small converters between record fields and column values; each read says which column
// failed, because a row that does not parse means the database was changed by hand.
SqlValue text(std::string_view value) {
  return std::string(value);
}
// A sensitive field (docs/security.md, "Encryption at rest"): the row, and so the audit digest,
// holds its ciphertext.
SqlValue secret(std::string_view value) {
  return encrypt_field(value);
}
SqlValue integer(std::int64_t value) {
  return value;
}
template <class T>
SqlValue optional_integer(const std::optional<T>& value) {
  return value ? SqlValue(static_cast<std::int64_t>(*value)) : SqlValue();
}
SqlValue date(Date value) {
  return format_date(value);
}
SqlValue optional_date(const std::optional<Date>& value) {
  return value ? date(*value) : SqlValue();
}
SqlValue timestamp(Timestamp value) {
  return format_timestamp(value);
}
SqlValue optional_timestamp(const std::optional<Timestamp>& value) {
  return value ? timestamp(*value) : SqlValue();
}
template <class E, size_t N>
SqlValue name_of(const EnumTable<E, N>& table, E value) {
  return std::string(enum_name(table, value));
}
template <class E, size_t N>
SqlValue optional_name_of(const EnumTable<E, N>& table, const std::optional<E>& value) {
  return value ? name_of(table, *value) : SqlValue();
}

class RowReader {
 public:
  RowReader(const TableSpec& spec, const SqlRow& row) : spec_(spec), row_(row) {}

  Id id() const { return row_.integer(0); }
  std::string text(size_t column) const {
    check(column);
    return row_.text(column + 1);
  }
  std::optional<std::string> optional_text(size_t column) const {
    check(column);
    return row_.optional_text(column + 1);
  }
  Result<std::string> secret(size_t column) const {
    return decrypt_field(text(column), fmt::format("{} field {}", where(), name(column)));
  }
  Result<std::optional<std::string>> optional_secret(size_t column) const {
    auto value = optional_text(column);
    if (!value) return std::optional<std::string>();
    ACCOMPANY_TRY(plain, decrypt_field(*value, fmt::format("{} field {}", where(), name(column))));
    return std::optional<std::string>(std::move(plain));
  }
  std::int64_t integer(size_t column) const {
    check(column);
    return row_.integer(column + 1);
  }
  std::optional<Id> optional_id(size_t column) const {
    check(column);
    return row_.optional_integer(column + 1);
  }
  Result<Date> date(size_t column) const { return within(parse_date(name(column), text(column)), where()); }
  Result<std::optional<Date>> optional_date(size_t column) const {
    auto value = optional_text(column);
    if (!value) return std::optional<Date>();
    ACCOMPANY_TRY(parsed, within(parse_date(name(column), *value), where()));
    return std::optional<Date>(parsed);
  }
  Result<Timestamp> timestamp(size_t column) const {
    return within(parse_timestamp(name(column), text(column)), where());
  }
  Result<std::optional<Timestamp>> optional_timestamp(size_t column) const {
    auto value = optional_text(column);
    if (!value) return std::optional<Timestamp>();
    ACCOMPANY_TRY(parsed, within(parse_timestamp(name(column), *value), where()));
    return std::optional<Timestamp>(parsed);
  }
  template <class E, size_t N>
  Result<E> enumerated(const EnumTable<E, N>& table, size_t column) const {
    return within(parse_enum(table, name(column), text(column)), where());
  }
  template <class E, size_t N>
  Result<std::optional<E>> optional_enumerated(const EnumTable<E, N>& table, size_t column) const {
    auto value = optional_text(column);
    if (!value) return std::optional<E>();
    ACCOMPANY_TRY(parsed, within(parse_enum(table, name(column), *value), where()));
    return std::optional<E>(parsed);
  }

 private:
  std::string_view name(size_t column) const { return spec_.columns.at(column); }
  void check(size_t column) const {
    if (column + 1 >= row_.size()) throw std::logic_error(fmt::format("{}: no column {}", spec_.name, column));
  }
  std::string where() const { return fmt::format("{} row {}", spec_.name, id()); }

  const TableSpec& spec_;
  const SqlRow& row_;
};

std::string join_list(const std::vector<std::string>& items) {
  return boost::algorithm::join(items, ",");
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  if (text.empty()) return items;
  boost::algorithm::split(items, text, [](char c) { return c == ','; });
  return items;
}

}  // namespace

std::string row_digest(const TableSpec& table, Id id, std::span<const SqlValue> values) {
  Digest digest;
  digest.add(table.name).add(id);
  for (const auto& value : values) {
    if (std::holds_alternative<std::monostate>(value))
      digest.add_null();
    else if (const auto* number = std::get_if<std::int64_t>(&value))
      digest.add(*number);
    else if (const auto* real = std::get_if<double>(&value))
      digest.add(fmt::format("{}", *real));
    else
      digest.add(std::get<std::string>(value));
  }
  return digest.hex();
}

// ---- children
const TableSpec& EntityTable<Child>::spec() {
  static const TableSpec spec{
      "children",
      {"a_number", "given_names", "paternal_surname", "maternal_surname", "birth_date", "birth_precision",
       "estimated_age_years", "estimated_on", "sex", "country_of_birth", "languages", "interpreter_needed"}};
  return spec;
}
std::vector<SqlValue> EntityTable<Child>::to_values(const Child& c) {
  const bool estimated = c.birth_date.precision == BirthDatePrecision::estimated_age;
  return {c.a_number ? text(c.a_number->digits()) : SqlValue(),
          text(c.name.given_names),
          text(c.name.paternal_surname),
          text(c.name.maternal_surname),
          date(c.birth_date.date),
          name_of(kBirthDatePrecisionNames, c.birth_date.precision),
          estimated ? integer(c.birth_date.estimated_age_years) : SqlValue(),
          estimated ? optional_date(c.birth_date.estimated_on) : SqlValue(),
          name_of(kSexNames, c.sex),
          text(c.country_of_birth),
          text(join_list(c.languages)),
          integer(c.interpreter_needed ? 1 : 0)};
}
Result<Child> EntityTable<Child>::from_row(const SqlRow& row) {
  RowReader r(spec(), row);
  Child c;
  c.id = r.id();
  if (auto a_number = r.optional_text(0)) {
    ACCOMPANY_TRY(parsed, ANumber::parse(*a_number));
    c.a_number = parsed;
  }
  c.name = PersonName{r.text(1), r.text(2), r.text(3)};
  ACCOMPANY_TRY(birth, r.date(4));
  ACCOMPANY_TRY(precision, r.enumerated(kBirthDatePrecisionNames, 5));
  c.birth_date.date = birth;
  c.birth_date.precision = precision;
  if (precision == BirthDatePrecision::estimated_age) {
    c.birth_date.estimated_age_years = static_cast<int>(r.integer(6));
    ACCOMPANY_TRY(estimated_on, r.optional_date(7));
    c.birth_date.estimated_on = estimated_on;
  }
  ACCOMPANY_TRY(sex, r.enumerated(kSexNames, 8));
  c.sex = sex;
  c.country_of_birth = r.text(9);
  c.languages = split_list(r.text(10));
  c.interpreter_needed = r.integer(11) != 0;
  return c;
}
Status EntityTable<Child>::validate(const Child& c, Date today) {
  return Child::validate(c, today);
}

// ---- sponsors
const TableSpec& EntityTable<Sponsor>::spec() {
  static const TableSpec spec{
      "sponsors", {"given_names", "paternal_surname", "maternal_surname", "category", "relationship", "phone"}};
  return spec;
}
std::vector<SqlValue> EntityTable<Sponsor>::to_values(const Sponsor& s) {
  return {text(s.name.given_names),      text(s.name.paternal_surname),
          text(s.name.maternal_surname), name_of(kSponsorCategoryNames, s.category),
          text(s.relationship),          s.phone ? secret(*s.phone) : SqlValue()};
}
Result<Sponsor> EntityTable<Sponsor>::from_row(const SqlRow& row) {
  RowReader r(spec(), row);
  Sponsor s;
  s.id = r.id();
  s.name = PersonName{r.text(0), r.text(1), r.text(2)};
  ACCOMPANY_TRY(category, r.enumerated(kSponsorCategoryNames, 3));
  s.category = category;
  s.relationship = r.text(4);
  ACCOMPANY_TRY(phone, r.optional_secret(5));
  s.phone = std::move(phone);
  return s;
}
Status EntityTable<Sponsor>::validate(const Sponsor& s, Date) {
  return Sponsor::validate(s);
}

// ---- addresses
const TableSpec& EntityTable<Address>::spec() {
  static const TableSpec spec{"addresses",
                              {"child_id", "sponsor_id", "line", "unit", "city", "state", "zip", "status", "source",
                               "first_confirmed", "last_confirmed"}};
  return spec;
}
std::vector<SqlValue> EntityTable<Address>::to_values(const Address& a) {
  return {integer(a.child_id),
          optional_integer(a.sponsor_id),
          text(a.line),
          text(a.unit),
          text(a.city),
          text(a.state),
          text(a.zip),
          name_of(kAddressStatusNames, a.status),
          text(a.source),
          optional_date(a.first_confirmed),
          optional_date(a.last_confirmed)};
}
Result<Address> EntityTable<Address>::from_row(const SqlRow& row) {
  RowReader r(spec(), row);
  Address a;
  a.id = r.id();
  a.child_id = r.integer(0);
  a.sponsor_id = r.optional_id(1);
  a.line = r.text(2);
  a.unit = r.text(3);
  a.city = r.text(4);
  a.state = r.text(5);
  a.zip = r.text(6);
  ACCOMPANY_TRY(status, r.enumerated(kAddressStatusNames, 7));
  a.status = status;
  a.source = r.text(8);
  ACCOMPANY_TRY(first, r.optional_date(9));
  ACCOMPANY_TRY(last, r.optional_date(10));
  a.first_confirmed = first;
  a.last_confirmed = last;
  return a;
}
Status EntityTable<Address>::validate(const Address& a, Date) {
  return Address::validate(a);
}

// ---- custody events
const TableSpec& EntityTable<CustodyEvent>::spec() {
  static const TableSpec spec{"custody_events", {"child_id", "kind", "occurred_at", "location", "sponsor_id"}};
  return spec;
}
std::vector<SqlValue> EntityTable<CustodyEvent>::to_values(const CustodyEvent& e) {
  return {integer(e.child_id), name_of(kCustodyEventKindNames, e.kind), timestamp(e.occurred_at), text(e.location),
          optional_integer(e.sponsor_id)};
}
Result<CustodyEvent> EntityTable<CustodyEvent>::from_row(const SqlRow& row) {
  RowReader r(spec(), row);
  CustodyEvent e;
  e.id = r.id();
  e.child_id = r.integer(0);
  ACCOMPANY_TRY(kind, r.enumerated(kCustodyEventKindNames, 1));
  ACCOMPANY_TRY(at, r.timestamp(2));
  e.kind = kind;
  e.occurred_at = at;
  e.location = r.text(3);
  e.sponsor_id = r.optional_id(4);
  return e;
}
Status EntityTable<CustodyEvent>::validate(const CustodyEvent& e, Date) {
  return CustodyEvent::validate(e);
}

// ---- notices to appear
const TableSpec& EntityTable<NoticeToAppear>::spec() {
  static const TableSpec spec{"notices",
                              {"child_id", "issued_on", "served_on", "service_method", "served_to_address_id"}};
  return spec;
}
std::vector<SqlValue> EntityTable<NoticeToAppear>::to_values(const NoticeToAppear& n) {
  return {integer(n.child_id), date(n.issued_on), optional_date(n.served_on),
          optional_name_of(kServiceMethodNames, n.service_method), optional_integer(n.served_to_address_id)};
}
Result<NoticeToAppear> EntityTable<NoticeToAppear>::from_row(const SqlRow& row) {
  RowReader r(spec(), row);
  NoticeToAppear n;
  n.id = r.id();
  n.child_id = r.integer(0);
  ACCOMPANY_TRY(issued, r.date(1));
  ACCOMPANY_TRY(served, r.optional_date(2));
  ACCOMPANY_TRY(method, r.optional_enumerated(kServiceMethodNames, 3));
  n.issued_on = issued;
  n.served_on = served;
  n.service_method = method;
  n.served_to_address_id = r.optional_id(4);
  return n;
}
Status EntityTable<NoticeToAppear>::validate(const NoticeToAppear& n, Date) {
  return NoticeToAppear::validate(n);
}

// ---- hearings
const TableSpec& EntityTable<Hearing>::spec() {
  static const TableSpec spec{"hearings",
                              {"child_id", "court", "scheduled_at", "type", "outcome", "counsel_of_record"}};
  return spec;
}
std::vector<SqlValue> EntityTable<Hearing>::to_values(const Hearing& h) {
  return {integer(h.child_id),
          text(h.court),
          timestamp(h.scheduled_at),
          name_of(kHearingTypeNames, h.type),
          name_of(kHearingOutcomeNames, h.outcome),
          text(h.counsel_of_record)};
}
Result<Hearing> EntityTable<Hearing>::from_row(const SqlRow& row) {
  RowReader r(spec(), row);
  Hearing h;
  h.id = r.id();
  h.child_id = r.integer(0);
  h.court = r.text(1);
  ACCOMPANY_TRY(at, r.timestamp(2));
  ACCOMPANY_TRY(type, r.enumerated(kHearingTypeNames, 3));
  ACCOMPANY_TRY(outcome, r.enumerated(kHearingOutcomeNames, 4));
  h.scheduled_at = at;
  h.type = type;
  h.outcome = outcome;
  h.counsel_of_record = r.text(5);
  return h;
}
Status EntityTable<Hearing>::validate(const Hearing& h, Date) {
  return Hearing::validate(h);
}

// ---- welfare checks
const TableSpec& EntityTable<WelfareCheck>::spec() {
  static const TableSpec spec{"welfare_checks", {"child_id", "due_on", "done_at", "method", "outcome"}};
  return spec;
}
std::vector<SqlValue> EntityTable<WelfareCheck>::to_values(const WelfareCheck& w) {
  return {integer(w.child_id), date(w.due_on), optional_timestamp(w.done_at),
          optional_name_of(kWelfareMethodNames, w.method), optional_name_of(kWelfareOutcomeNames, w.outcome)};
}
Result<WelfareCheck> EntityTable<WelfareCheck>::from_row(const SqlRow& row) {
  RowReader r(spec(), row);
  WelfareCheck w;
  w.id = r.id();
  w.child_id = r.integer(0);
  ACCOMPANY_TRY(due, r.date(1));
  ACCOMPANY_TRY(done, r.optional_timestamp(2));
  ACCOMPANY_TRY(method, r.optional_enumerated(kWelfareMethodNames, 3));
  ACCOMPANY_TRY(outcome, r.optional_enumerated(kWelfareOutcomeNames, 4));
  w.due_on = due;
  w.done_at = done;
  w.method = method;
  w.outcome = outcome;
  return w;
}
Status EntityTable<WelfareCheck>::validate(const WelfareCheck& w, Date) {
  return WelfareCheck::validate(w);
}

// ---- contacts
const TableSpec& EntityTable<Contact>::spec() {
  static const TableSpec spec{
      "contacts",
      {"occurred_at", "channel", "caller_type", "language", "category", "narrative", "outcome", "child_ids",
       "sub_category", "caller_number", "call_id", "recorded_by", "details"}};
  return spec;
}
std::vector<SqlValue> EntityTable<Contact>::to_values(const Contact& c) {
  std::vector<std::string> ids;
  for (Id id : c.child_ids) ids.push_back(std::to_string(id));
  return {timestamp(c.occurred_at),
          name_of(kContactChannelNames, c.channel),
          name_of(kCallerTypeNames, c.caller_type),
          text(c.language),
          name_of(kContactCategoryNames, c.category),
          secret(c.narrative),
          secret(c.outcome),
          text(join_list(ids)),
          text(c.sub_category),
          text(c.caller_number),
          text(c.call_id),
          text(c.recorded_by),
          secret(c.details)};
}
Result<Contact> EntityTable<Contact>::from_row(const SqlRow& row) {
  RowReader r(spec(), row);
  Contact c;
  c.id = r.id();
  ACCOMPANY_TRY(at, r.timestamp(0));
  ACCOMPANY_TRY(channel, r.enumerated(kContactChannelNames, 1));
  ACCOMPANY_TRY(caller, r.enumerated(kCallerTypeNames, 2));
  ACCOMPANY_TRY(category, r.enumerated(kContactCategoryNames, 4));
  c.occurred_at = at;
  c.channel = channel;
  c.caller_type = caller;
  c.language = r.text(3);
  c.category = category;
  ACCOMPANY_TRY(narrative, r.secret(5));
  ACCOMPANY_TRY(outcome, r.secret(6));
  ACCOMPANY_TRY(details, r.secret(12));
  c.narrative = std::move(narrative);
  c.outcome = std::move(outcome);
  c.sub_category = r.text(8);
  c.caller_number = r.text(9);
  c.call_id = r.text(10);
  c.recorded_by = r.text(11);
  c.details = std::move(details);
  for (const auto& id : split_list(r.text(7))) {
    Id value = 0;
    auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), value);
    if (ec != std::errc() || end != id.data() + id.size())
      return invalid("child_ids", id, "not a child id").within(fmt::format("contacts row {}", c.id));
    c.child_ids.push_back(value);
  }
  return c;
}
Status EntityTable<Contact>::validate(const Contact& c, Date) {
  return Contact::validate(c);
}

// ---- tasks
const TableSpec& EntityTable<Task>::spec() {
  static const TableSpec spec{"tasks",
                              {"child_id", "rule", "queue", "reason", "priority", "status", "opened_at", "due_at",
                               "assignee", "closed_at", "close_reason", "reason_es"}};
  return spec;
}
std::vector<SqlValue> EntityTable<Task>::to_values(const Task& t) {
  return {optional_integer(t.child_id),
          text(t.rule),
          text(t.queue),
          text(t.reason),
          name_of(kTaskPriorityNames, t.priority),
          name_of(kTaskStatusNames, t.status),
          timestamp(t.opened_at),
          timestamp(t.due_at),
          text(t.assignee),
          optional_timestamp(t.closed_at),
          text(t.close_reason),
          text(t.reason_es)};
}
Result<Task> EntityTable<Task>::from_row(const SqlRow& row) {
  RowReader r(spec(), row);
  Task t;
  t.id = r.id();
  t.child_id = r.optional_id(0);
  t.rule = r.text(1);
  t.queue = r.text(2);
  t.reason = r.text(3);
  ACCOMPANY_TRY(priority, r.enumerated(kTaskPriorityNames, 4));
  ACCOMPANY_TRY(status, r.enumerated(kTaskStatusNames, 5));
  ACCOMPANY_TRY(opened, r.timestamp(6));
  ACCOMPANY_TRY(due, r.timestamp(7));
  ACCOMPANY_TRY(closed, r.optional_timestamp(9));
  t.priority = priority;
  t.status = status;
  t.opened_at = opened;
  t.due_at = due;
  t.assignee = r.text(8);
  t.closed_at = closed;
  t.close_reason = r.text(10);
  t.reason_es = r.text(11);
  return t;
}
Status EntityTable<Task>::validate(const Task& t, Date) {
  return Task::validate(t);
}

// ---- quarantine (ingest): rows that did not validate
const TableSpec& EntityTable<QuarantinedRow>::spec() {
  static const TableSpec spec{"quarantine",
                              {"kind", "file_name", "line", "row_key", "field", "value", "reason", "raw", "status",
                               "resolution", "resolved_by", "received_at", "resolved_at"}};
  return spec;
}
std::vector<SqlValue> EntityTable<QuarantinedRow>::to_values(const QuarantinedRow& q) {
  return {text(q.kind),
          text(q.file_name),
          integer(q.line),
          text(q.row_key),
          text(q.field),
          text(q.value),
          text(q.reason),
          secret(q.raw),
          name_of(kQuarantineStatusNames, q.status),
          text(q.resolution),
          text(q.resolved_by),
          timestamp(q.received_at),
          optional_timestamp(q.resolved_at)};
}
Result<QuarantinedRow> EntityTable<QuarantinedRow>::from_row(const SqlRow& row) {
  RowReader r(spec(), row);
  QuarantinedRow q;
  q.id = r.id();
  q.kind = r.text(0);
  q.file_name = r.text(1);
  q.line = r.integer(2);
  q.row_key = r.text(3);
  q.field = r.text(4);
  q.value = r.text(5);
  q.reason = r.text(6);
  ACCOMPANY_TRY(raw, r.secret(7));
  q.raw = std::move(raw);
  ACCOMPANY_TRY(status, r.enumerated(kQuarantineStatusNames, 8));
  q.status = status;
  q.resolution = r.text(9);
  q.resolved_by = r.text(10);
  ACCOMPANY_TRY(received, r.timestamp(11));
  ACCOMPANY_TRY(resolved, r.optional_timestamp(12));
  q.received_at = received;
  q.resolved_at = resolved;
  return q;
}
Status EntityTable<QuarantinedRow>::validate(const QuarantinedRow& q, Date) {
  return QuarantinedRow::validate(q);
}

// ---- unlinked pool (ingest): valid rows waiting for record linkage
const TableSpec& EntityTable<UnlinkedRow>::spec() {
  static const TableSpec spec{
      "unlinked_rows",
      {"kind", "file_name", "line", "row_key", "a_number", "local_ids", "given_names", "paternal_surname",
       "maternal_surname", "birth_date", "sex", "country", "raw", "status", "child_id"}};
  return spec;
}
std::vector<SqlValue> EntityTable<UnlinkedRow>::to_values(const UnlinkedRow& u) {
  return {text(u.kind),
          text(u.file_name),
          integer(u.line),
          text(u.row_key),
          text(u.a_number),
          text(u.local_ids),
          text(u.given_names),
          text(u.paternal_surname),
          text(u.maternal_surname),
          text(u.birth_date),
          text(u.sex),
          text(u.country),
          secret(u.raw),
          name_of(kUnlinkedStatusNames, u.status),
          optional_integer(u.child_id)};
}
Result<UnlinkedRow> EntityTable<UnlinkedRow>::from_row(const SqlRow& row) {
  RowReader r(spec(), row);
  UnlinkedRow u;
  u.id = r.id();
  u.kind = r.text(0);
  u.file_name = r.text(1);
  u.line = r.integer(2);
  u.row_key = r.text(3);
  u.a_number = r.text(4);
  u.local_ids = r.text(5);
  u.given_names = r.text(6);
  u.paternal_surname = r.text(7);
  u.maternal_surname = r.text(8);
  u.birth_date = r.text(9);
  u.sex = r.text(10);
  u.country = r.text(11);
  ACCOMPANY_TRY(raw, r.secret(12));
  u.raw = std::move(raw);
  ACCOMPANY_TRY(status, r.enumerated(kUnlinkedStatusNames, 13));
  u.status = status;
  u.child_id = r.optional_id(14);
  return u;
}
Status EntityTable<UnlinkedRow>::validate(const UnlinkedRow& u, Date) {
  return UnlinkedRow::validate(u);
}

// ---- local ids (ingest): a feed's own identifier mapped to the record it names
const TableSpec& EntityTable<LocalId>::spec() {
  static const TableSpec spec{"local_ids", {"id_namespace", "local_id", "entity", "entity_id"}};
  return spec;
}
std::vector<SqlValue> EntityTable<LocalId>::to_values(const LocalId& l) {
  return {text(l.id_namespace), text(l.local_id), text(l.entity), integer(l.entity_id)};
}
Result<LocalId> EntityTable<LocalId>::from_row(const SqlRow& row) {
  RowReader r(spec(), row);
  LocalId l;
  l.id = r.id();
  l.id_namespace = r.text(0);
  l.local_id = r.text(1);
  l.entity = r.text(2);
  l.entity_id = r.integer(3);
  return l;
}
Status EntityTable<LocalId>::validate(const LocalId& l, Date) {
  return LocalId::validate(l);
}

// ---- users
const TableSpec& EntityTable<User>::spec() {
  static const TableSpec spec{
      "users", {"name", "role", "organization", "service", "password_hash", "token_hash", "disabled", "created_at"}};
  return spec;
}
std::vector<SqlValue> EntityTable<User>::to_values(const User& u) {
  return {text(u.name),          name_of(kRoleNames, u.role), text(u.organization),        integer(u.service ? 1 : 0),
          text(u.password_hash), text(u.token_hash),          integer(u.disabled ? 1 : 0), timestamp(u.created_at)};
}
Result<User> EntityTable<User>::from_row(const SqlRow& row) {
  RowReader r(spec(), row);
  User u;
  u.id = r.id();
  u.name = r.text(0);
  ACCOMPANY_TRY(role, r.enumerated(kRoleNames, 1));
  ACCOMPANY_TRY(created, r.timestamp(7));
  u.role = role;
  u.organization = r.text(2);
  u.service = r.integer(3) != 0;
  u.password_hash = r.text(4);
  u.token_hash = r.text(5);
  u.disabled = r.integer(6) != 0;
  u.created_at = created;
  return u;
}
Status EntityTable<User>::validate(const User& u, Date) {
  return User::validate(u);
}

// ---- referrals
const TableSpec& EntityTable<Referral>::spec() {
  static const TableSpec spec{"referrals", {"child_id", "organization", "referred_at", "referred_by"}};
  return spec;
}
std::vector<SqlValue> EntityTable<Referral>::to_values(const Referral& f) {
  return {integer(f.child_id), text(f.organization), timestamp(f.referred_at), text(f.referred_by)};
}
Result<Referral> EntityTable<Referral>::from_row(const SqlRow& row) {
  RowReader r(spec(), row);
  Referral f;
  f.id = r.id();
  f.child_id = r.integer(0);
  f.organization = r.text(1);
  ACCOMPANY_TRY(at, r.timestamp(2));
  f.referred_at = at;
  f.referred_by = r.text(3);
  return f;
}
Status EntityTable<Referral>::validate(const Referral& f, Date) {
  return Referral::validate(f);
}

// ---- sharing policies
const TableSpec& EntityTable<SharingPolicy>::spec() {
  static const TableSpec spec{"sharing_policies",
                              {"organization", "fields", "purpose", "expires_at", "created_by", "created_at"}};
  return spec;
}
std::vector<SqlValue> EntityTable<SharingPolicy>::to_values(const SharingPolicy& p) {
  return {text(p.organization),    text(join_list(p.fields)), text(p.purpose),
          timestamp(p.expires_at), text(p.created_by),        timestamp(p.created_at)};
}
Result<SharingPolicy> EntityTable<SharingPolicy>::from_row(const SqlRow& row) {
  RowReader r(spec(), row);
  SharingPolicy p;
  p.id = r.id();
  p.organization = r.text(0);
  p.fields = split_list(r.text(1));
  p.purpose = r.text(2);
  ACCOMPANY_TRY(expires, r.timestamp(3));
  ACCOMPANY_TRY(created, r.timestamp(5));
  p.expires_at = expires;
  p.created_by = r.text(4);
  p.created_at = created;
  return p;
}
Status EntityTable<SharingPolicy>::validate(const SharingPolicy& p, Date) {
  return SharingPolicy::validate(p);
}

// ---- break-the-glass grants
const TableSpec& EntityTable<BreakGlassGrant>::spec() {
  static const TableSpec spec{"break_glass_grants", {"child_id", "user_name", "reason", "opened_at", "expires_at"}};
  return spec;
}
std::vector<SqlValue> EntityTable<BreakGlassGrant>::to_values(const BreakGlassGrant& g) {
  return {integer(g.child_id), text(g.user_name), text(g.reason), timestamp(g.opened_at), timestamp(g.expires_at)};
}
Result<BreakGlassGrant> EntityTable<BreakGlassGrant>::from_row(const SqlRow& row) {
  RowReader r(spec(), row);
  BreakGlassGrant g;
  g.id = r.id();
  g.child_id = r.integer(0);
  g.user_name = r.text(1);
  g.reason = r.text(2);
  ACCOMPANY_TRY(opened, r.timestamp(3));
  ACCOMPANY_TRY(expires, r.timestamp(4));
  g.opened_at = opened;
  g.expires_at = expires;
  return g;
}
Status EntityTable<BreakGlassGrant>::validate(const BreakGlassGrant& g, Date) {
  return BreakGlassGrant::validate(g);
}

// ---- outbox messages
const TableSpec& EntityTable<OutboxMessage>::spec() {
  static const TableSpec spec{"outbox_messages",
                              {"child_id", "hearing_id", "kind", "language", "recipient", "subject", "body",
                               "created_at", "delivered_via", "delivered_at", "delivery_error"}};
  return spec;
}
std::vector<SqlValue> EntityTable<OutboxMessage>::to_values(const OutboxMessage& m) {
  return {integer(m.child_id),   optional_integer(m.hearing_id),
          text(m.kind),          text(m.language),
          text(m.recipient),     text(m.subject),
          secret(m.body),        timestamp(m.created_at),
          text(m.delivered_via), optional_timestamp(m.delivered_at),
          text(m.delivery_error)};
}
Result<OutboxMessage> EntityTable<OutboxMessage>::from_row(const SqlRow& row) {
  RowReader r(spec(), row);
  OutboxMessage m;
  m.id = r.id();
  m.child_id = r.integer(0);
  m.hearing_id = r.optional_id(1);
  m.kind = r.text(2);
  m.language = r.text(3);
  m.recipient = r.text(4);
  m.subject = r.text(5);
  ACCOMPANY_TRY(body, r.secret(6));
  m.body = std::move(body);
  ACCOMPANY_TRY(created, r.timestamp(7));
  ACCOMPANY_TRY(delivered, r.optional_timestamp(9));
  m.created_at = created;
  m.delivered_via = r.text(8);
  m.delivered_at = delivered;
  m.delivery_error = r.text(10);
  return m;
}
Status EntityTable<OutboxMessage>::validate(const OutboxMessage& m, Date) {
  return OutboxMessage::validate(m);
}

// ---- calls
const TableSpec& EntityTable<Call>::spec() {
  static const TableSpec spec{"calls",
                              {"call_id", "caller_number", "queue", "language", "priority", "agent", "state",
                               "joined_at", "answered_at", "ended_at", "transfers"}};
  return spec;
}
std::vector<SqlValue> EntityTable<Call>::to_values(const Call& c) {
  return {text(c.call_id),
          text(c.caller_number),
          text(c.queue),
          text(c.language),
          integer(c.priority),
          text(c.agent),
          name_of(kCallStateNames, c.state),
          timestamp(c.joined_at),
          optional_timestamp(c.answered_at),
          optional_timestamp(c.ended_at),
          integer(c.transfers)};
}
Result<Call> EntityTable<Call>::from_row(const SqlRow& row) {
  RowReader r(spec(), row);
  Call c;
  c.id = r.id();
  c.call_id = r.text(0);
  c.caller_number = r.text(1);
  c.queue = r.text(2);
  c.language = r.text(3);
  c.priority = r.integer(4);
  c.agent = r.text(5);
  ACCOMPANY_TRY(state, r.enumerated(kCallStateNames, 6));
  ACCOMPANY_TRY(joined, r.timestamp(7));
  ACCOMPANY_TRY(answered, r.optional_timestamp(8));
  ACCOMPANY_TRY(ended, r.optional_timestamp(9));
  c.state = state;
  c.joined_at = joined;
  c.answered_at = answered;
  c.ended_at = ended;
  c.transfers = r.integer(10);
  return c;
}
Status EntityTable<Call>::validate(const Call& c, Date) {
  return Call::validate(c);
}

const std::vector<EncryptedColumn>& encrypted_columns() {
  static const std::vector<EncryptedColumn> columns{{&EntityTable<Sponsor>::spec(), 5},
                                                    {&EntityTable<Contact>::spec(), 5},
                                                    {&EntityTable<Contact>::spec(), 6},
                                                    {&EntityTable<Contact>::spec(), 12},
                                                    // Feed rows kept whole: names, A-numbers, addresses.
                                                    {&EntityTable<QuarantinedRow>::spec(), 7},
                                                    {&EntityTable<UnlinkedRow>::spec(), 12},
                                                    // Hearing reminders: the child's hearing, court and date.
                                                    {&EntityTable<OutboxMessage>::spec(), 6}};
  return columns;
}

const std::vector<const TableSpec*>& audited_tables() {
  static const std::vector<const TableSpec*> tables{
      &EntityTable<Child>::spec(), &EntityTable<Sponsor>::spec(), &EntityTable<Address>::spec(),
      &EntityTable<CustodyEvent>::spec(), &EntityTable<NoticeToAppear>::spec(), &EntityTable<Hearing>::spec(),
      &EntityTable<WelfareCheck>::spec(), &EntityTable<Contact>::spec(), &EntityTable<Task>::spec(),
      // Ingest bookkeeping that holds case data (schema 2).
      &EntityTable<QuarantinedRow>::spec(), &EntityTable<UnlinkedRow>::spec(), &EntityTable<LocalId>::spec(),
      // Accounts and access decisions (schema 3).
      &EntityTable<User>::spec(), &EntityTable<Referral>::spec(), &EntityTable<SharingPolicy>::spec(),
      &EntityTable<BreakGlassGrant>::spec(),
      // Hearing reminders and other messages sent (schema 4).
      &EntityTable<OutboxMessage>::spec(),
      // Contact center calls (schema 7).
      &EntityTable<Call>::spec()};
  return tables;
}

}  // namespace accompany
