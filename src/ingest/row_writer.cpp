#include "ingest/row_writer.h"

#include <fmt/format.h>

#include "ingest/arrival_hook.h"
#include "ingest/feed_codes.h"

namespace accompany {

RowWriter::RowWriter(UnitOfWork& unit, FeedKind kind, std::string file_name, std::optional<Id> file_id)
    : unit_(unit),
      kind_(kind),
      kind_name_(enum_name(kFeedKindNames, kind)),
      file_name_(std::move(file_name)),
      file_id_(file_id) {}

Result<bool> RowWriter::claim_key(const std::string& key, std::int64_t line) {
  const SqlValue params[] = {kind_name_, key, file_id_ ? SqlValue(*file_id_) : SqlValue(), line};
  ACCOMPANY_TRY(changed, unit_.sql().execute("INSERT INTO import_row_keys (kind, row_key, file_id, line) VALUES ($1, "
                                             "$2, $3, $4) ON CONFLICT DO NOTHING",
                                             params));
  return changed == 1;
}

Result<std::optional<Id>> RowWriter::child_by_a_number(const ANumber& a_number) {
  const SqlValue params[] = {a_number.digits()};
  ACCOMPANY_TRY(rows, unit_.sql().query("SELECT id FROM children WHERE a_number = $1", params));
  if (rows.empty()) return std::optional<Id>();
  return std::optional<Id>(rows[0].integer(0));
}

Result<std::optional<Id>> RowWriter::local_id(std::string_view id_namespace, const std::string& value) {
  const SqlValue params[] = {std::string(id_namespace), value};
  ACCOMPANY_TRY(rows,
                unit_.sql().query("SELECT entity_id FROM local_ids WHERE id_namespace = $1 AND local_id = $2", params));
  if (rows.empty()) return std::optional<Id>();
  return std::optional<Id>(rows[0].integer(0));
}

Status RowWriter::add_local_id(std::string_view id_namespace, const std::string& value, std::string_view entity,
                               Id id) {
  LocalId local;
  local.id_namespace = id_namespace;
  local.local_id = value;
  local.entity = entity;
  local.entity_id = id;
  ACCOMPANY_CHECK(unit_.insert(local));
  return {};
}

// PostgreSQL: claims the row key and looks up the A-number and every local id in one
// statement, one round trip instead of two to four (each is a synchronous round trip there).
static const std::string& claim_and_find_sql(size_t local_ids) {
  thread_local std::vector<std::string> cache;
  if (cache.size() <= local_ids) cache.resize(local_ids + 1);
  std::string& sql = cache[local_ids];
  if (sql.empty()) {
    sql =
        "WITH claimed AS (INSERT INTO import_row_keys (kind, row_key, file_id, line) VALUES ($1, $2, $3, $4) ON "
        "CONFLICT DO NOTHING RETURNING 1) SELECT (SELECT count(*) FROM claimed), (SELECT id FROM children WHERE "
        "a_number = $5)";
    for (size_t i = 0; i < local_ids; ++i)
      sql += fmt::format(", (SELECT entity_id FROM local_ids WHERE id_namespace = ${} AND local_id = ${})", 6 + 2 * i,
                         7 + 2 * i);
  }
  return sql;
}

Result<RowWriter::Found> RowWriter::claim_and_find(const MappedRow& row, std::int64_t line) {
  Found found;
  found.local_ids.resize(row.who.local_ids.size());
  if (unit_.sql().dialect() == Dialect::postgres) {
    std::vector<SqlValue> params{kind_name_, row.row_key, file_id_ ? SqlValue(*file_id_) : SqlValue(), line,
                                 row.who.a_number ? SqlValue(row.who.a_number->digits()) : SqlValue()};
    for (const auto& [id_namespace, value] : row.who.local_ids) {
      params.emplace_back(std::string(id_namespace));
      params.emplace_back(value);
    }
    ACCOMPANY_TRY(rows, unit_.sql().query(claim_and_find_sql(row.who.local_ids.size()), params));
    found.fresh = rows.at(0).integer(0) == 1;
    found.by_a_number = rows[0].optional_integer(1);
    for (size_t i = 0; i < found.local_ids.size(); ++i) found.local_ids[i] = rows[0].optional_integer(2 + i);
    return found;
  }
  ACCOMPANY_TRY(fresh, claim_key(row.row_key, line));
  found.fresh = fresh;
  if (!fresh) return found;
  if (row.who.a_number) {
    ACCOMPANY_TRY(child, child_by_a_number(*row.who.a_number));
    found.by_a_number = child;
  }
  for (size_t i = 0; i < row.who.local_ids.size(); ++i) {
    ACCOMPANY_TRY(entity, local_id(row.who.local_ids[i].first, row.who.local_ids[i].second));
    found.local_ids[i] = entity;
  }
  return found;
}

Result<RowOutcome> RowWriter::write(const MappedRow& row, std::int64_t line, std::string_view raw) {
  ACCOMPANY_TRY(found, claim_and_find(row, line));
  if (!found.fresh) return RowOutcome::duplicate;

  // The A-number decides first; then the feed's own ids (UAC_ID, SUBJECT_ID) in feed order.
  std::optional<Id> child_id = found.by_a_number;
  std::vector<bool> registered(row.who.local_ids.size(), false);
  for (size_t i = 0; i < row.who.local_ids.size(); ++i) {
    registered[i] = found.local_ids[i].has_value();
    if (!child_id && found.local_ids[i]) child_id = found.local_ids[i];
  }
  bool created = false;
  if (!child_id && row.child && row.who.a_number) {
    ACCOMPANY_TRY(id, unit_.insert(*row.child));
    child_id = id;
    created = true;
  }
  if (!child_id && arrival_) {
    ACCOMPANY_TRY(linked, arrival_->child_for(unit_, row, kind_name_, line));
    child_id = linked;
  }
  if (!child_id) return pool(row, line, raw);

  for (size_t i = 0; i < row.who.local_ids.size(); ++i)
    if (!registered[i])
      ACCOMPANY_CHECK(add_local_id(row.who.local_ids[i].first, row.who.local_ids[i].second, "children", *child_id));
  ACCOMPANY_CHECK(write_records(row, *child_id, created));
  ACCOMPANY_CHECK(note_child(row.row_key, *child_id));
  return RowOutcome::imported;
}

Status RowWriter::note_child(const std::string& row_key, Id child_id) {
  const SqlValue params[] = {kind_name_, row_key, child_id};
  ACCOMPANY_CHECK(
      unit_.sql().execute("UPDATE import_row_keys SET child_id = $3 WHERE kind = $1 AND row_key = $2", params));
  return {};
}

Status RowWriter::attach(const MappedRow& row, Id child_id) {
  for (const auto& [id_namespace, value] : row.who.local_ids) {
    ACCOMPANY_TRY(found, local_id(id_namespace, value));
    if (!found) ACCOMPANY_CHECK(add_local_id(id_namespace, value, "children", child_id));
  }
  ACCOMPANY_CHECK(write_records(row, child_id, false));
  return note_child(row.row_key, child_id);
}

Status RowWriter::write_records(const MappedRow& row, Id child_id, bool child_created) {
  // ORR knows the child's language; CBP does not. A child first seen at the border gets
  // ORR's languages and interpreter flag when the release row arrives.
  if (!child_created && row.child && kind_ == FeedKind::orr_release) {
    ACCOMPANY_TRY(existing, unit_.find<Child>(child_id));
    if (existing && (existing->languages != row.child->languages ||
                     existing->interpreter_needed != row.child->interpreter_needed)) {
      Child updated = *existing;
      updated.languages = row.child->languages;
      updated.interpreter_needed = row.child->interpreter_needed;
      ACCOMPANY_CHECK(unit_.update(updated));
    }
  }
  std::optional<Id> sponsor_id;
  if (row.sponsor) {
    ACCOMPANY_TRY(known, local_id("SPONSOR_ID", row.sponsor_local_id));
    if (known) {
      sponsor_id = *known;
    } else {
      ACCOMPANY_TRY(id, unit_.insert(*row.sponsor));
      ACCOMPANY_CHECK(add_local_id("SPONSOR_ID", row.sponsor_local_id, "sponsors", id));
      sponsor_id = id;
    }
  }
  std::optional<Id> address_id;
  if (row.address) {
    Address address = *row.address;
    address.child_id = child_id;
    address.sponsor_id = sponsor_id;
    ACCOMPANY_TRY(id, unit_.insert(address));
    address_id = id;
  }
  if (row.custody) {
    CustodyEvent event = *row.custody;
    event.child_id = child_id;
    if (event.sponsor_id) event.sponsor_id = sponsor_id;
    ACCOMPANY_CHECK(unit_.insert(event));
  }
  if (row.notice) {
    NoticeToAppear notice = *row.notice;
    notice.child_id = child_id;
    if (notice.served()) notice.served_to_address_id = address_id;
    ACCOMPANY_CHECK(unit_.insert(notice));
  }
  if (row.hearing) {
    Hearing hearing = *row.hearing;
    hearing.child_id = child_id;
    ACCOMPANY_CHECK(unit_.insert(hearing));
  }
  if (row.welfare) {
    WelfareCheck check = *row.welfare;
    check.child_id = child_id;
    ACCOMPANY_CHECK(unit_.insert(check));
  }
  return {};
}

Result<RowOutcome> RowWriter::pool(const MappedRow& row, std::int64_t line, std::string_view raw) {
  UnlinkedRow pooled;
  pooled.kind = kind_name_;
  pooled.file_name = file_name_;
  pooled.line = line;
  pooled.row_key = row.row_key;
  if (row.who.a_number) pooled.a_number = row.who.a_number->digits();
  for (const auto& [id_namespace, value] : row.who.local_ids)
    pooled.local_ids += fmt::format("{}{}={}", pooled.local_ids.empty() ? "" : ";", id_namespace, value);
  pooled.given_names = normalize_name(row.who.given_names);
  pooled.paternal_surname = normalize_name(row.who.paternal_surname);
  pooled.maternal_surname = normalize_name(row.who.maternal_surname);
  pooled.birth_date = row.who.birth_date;
  pooled.sex = enum_name(kSexNames, row.who.sex);
  pooled.country = row.who.country;
  pooled.raw = raw;
  ACCOMPANY_TRY(pooled_id, unit_.insert(pooled));
  if (arrival_) ACCOMPANY_CHECK(arrival_->pooled(unit_, pooled_id));
  return RowOutcome::unlinked;
}

Result<RowOutcome> RowWriter::quarantine(const Error& why, const std::string& row_key, std::int64_t line,
                                         std::string_view raw) {
  if (!row_key.empty()) {
    const SqlValue key[] = {kind_name_, row_key};
    ACCOMPANY_TRY(taken, unit_.sql().query("SELECT 1 FROM import_row_keys WHERE kind = $1 AND row_key = $2", key));
    if (!taken.empty()) return RowOutcome::duplicate;
    const SqlValue same[] = {kind_name_, row_key, std::string(raw)};
    ACCOMPANY_TRY(waiting, unit_.sql().query(
                               "SELECT 1 FROM quarantine WHERE kind = $1 AND row_key = $2 AND raw = $3 AND status = "
                               "'open'",
                               same));
    if (!waiting.empty()) return RowOutcome::duplicate;
  }
  QuarantinedRow held;
  held.kind = kind_name_;
  held.file_name = file_name_;
  held.line = line;
  held.row_key = row_key;
  held.field = why.field.empty() ? "(row)" : why.field;
  held.value = why.value;
  held.reason = why.message.empty() ? "invalid" : why.message;
  held.raw = raw;
  held.received_at = unit_.now();
  ACCOMPANY_CHECK(unit_.insert(held));
  return RowOutcome::quarantined;
}

}  // namespace accompany
