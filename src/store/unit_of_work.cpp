#include "store/unit_of_work.h"

#include <fmt/format.h>

#include <algorithm>

namespace accompany {
namespace {

std::string column_list(const TableSpec& table) {
  std::string out = "id";
  for (auto column : table.columns) fmt::format_to(std::back_inserter(out), ", {}", column);
  return out;
}

std::vector<SqlValue> without_id(const SqlRow& row) {
  return std::vector<SqlValue>(row.values().begin() + 1, row.values().end());
}

}  // namespace

UnitOfWork::UnitOfWork(SqlConnection& sql, AuditContext context, const Clock& clock)
    : sql_(sql), context_(std::move(context)), now_(clock.now()) {}

Status UnitOfWork::load_head() {
  if (head_seq_) return {};
  // FOR UPDATE holds other PostgreSQL writers at the head until we commit, so the chain
  // stays a single line; SQLite's BEGIN IMMEDIATE already serializes writers.
  const char* sql = sql_.dialect() == Dialect::postgres ? "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
                                                        : "SELECT seq, hash FROM audit_head WHERE id = 1";
  ACCOMPANY_TRY(rows, sql_.query(sql));
  if (rows.size() != 1)
    return make_error(ErrorCode::tampered, "the audit head row is missing; run `accompany audit verify`");
  head_seq_ = rows[0].integer(0);
  head_hash_ = rows[0].text(1);
  return {};
}

Status UnitOfWork::append(AuditEntry entry) {
  ACCOMPANY_CHECK(load_head());
  entry.seq = *head_seq_ + 1;
  entry.at = format_timestamp(now_);
  entry.actor = context_.actor;
  entry.purpose = context_.purpose;
  entry.prev_hash = head_hash_;
  entry.hash = entry.compute_hash();
  const SqlValue params[] = {entry.seq,           entry.at,           entry.actor,     entry.action,
                             entry.entity,        entry.entity_id,    entry.purpose,   entry.fields,
                             entry.before_digest, entry.after_digest, entry.prev_hash, entry.hash};
  ACCOMPANY_CHECK(
      sql_.execute("INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, purpose, fields, before_digest, "
                   "after_digest, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                   params));
  head_seq_ = entry.seq;
  head_hash_ = entry.hash;
  ++written_;
  return {};
}

Status UnitOfWork::finish() {
  if (!head_seq_ || written_ == 0) return {};
  const SqlValue params[] = {*head_seq_, head_hash_};
  ACCOMPANY_CHECK(sql_.execute("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1", params));
  return {};
}

Status UnitOfWork::record_read(std::string_view entity, Id id, std::string_view fields) {
  AuditEntry entry;
  entry.action = "read";
  entry.entity = entity;
  entry.entity_id = id;
  entry.fields = fields;
  return append(std::move(entry));
}

Status UnitOfWork::record_event(std::string_view action, std::string_view entity, Id id, std::string_view detail) {
  AuditEntry entry;
  entry.action = action;
  entry.entity = entity;
  entry.entity_id = id;
  entry.fields = detail;
  if (entry.changes_entity())
    return make_error(ErrorCode::internal,
                      fmt::format("record_event cannot log '{}': use insert/update/remove", action));
  return append(std::move(entry));
}

Result<Id> UnitOfWork::insert_row(const TableSpec& table, std::vector<SqlValue> values) {
  std::string placeholders;
  for (size_t i = 0; i < table.columns.size(); ++i)
    fmt::format_to(std::back_inserter(placeholders), "{}${}", i ? ", " : "", i + 1);
  const std::string columns = column_list(table).substr(4);  // without "id, "
  ACCOMPANY_TRY(
      rows, sql_.query(fmt::format("INSERT INTO {} ({}) VALUES ({}) RETURNING id", table.name, columns, placeholders),
                       values));
  const Id id = rows.at(0).integer(0);
  AuditEntry entry;
  entry.action = "insert";
  entry.entity = table.name;
  entry.entity_id = id;
  entry.after_digest = row_digest(table, id, values);
  ACCOMPANY_CHECK(append(std::move(entry)));
  return id;
}

Status UnitOfWork::update_row(const TableSpec& table, Id id, std::vector<SqlValue> values) {
  ACCOMPANY_TRY(before, select_row(table, id));
  if (!before) return make_error(ErrorCode::not_found, fmt::format("{} row {} does not exist", table.name, id));
  std::string assignments;
  for (size_t i = 0; i < table.columns.size(); ++i)
    fmt::format_to(std::back_inserter(assignments), "{}{} = ${}", i ? ", " : "", table.columns[i], i + 1);
  AuditEntry entry;
  entry.action = "update";
  entry.entity = table.name;
  entry.entity_id = id;
  entry.before_digest = row_digest(table, id, without_id(*before));
  entry.after_digest = row_digest(table, id, values);
  values.emplace_back(id);
  ACCOMPANY_CHECK(sql_.execute(
      fmt::format("UPDATE {} SET {} WHERE id = ${}", table.name, assignments, table.columns.size() + 1), values));
  return append(std::move(entry));
}

Status UnitOfWork::delete_row(const TableSpec& table, Id id) {
  ACCOMPANY_TRY(before, select_row(table, id));
  if (!before) return make_error(ErrorCode::not_found, fmt::format("{} row {} does not exist", table.name, id));
  const SqlValue params[] = {id};
  ACCOMPANY_CHECK(sql_.execute(fmt::format("DELETE FROM {} WHERE id = $1", table.name), params));
  AuditEntry entry;
  entry.action = "delete";
  entry.entity = table.name;
  entry.entity_id = id;
  entry.before_digest = row_digest(table, id, without_id(*before));
  return append(std::move(entry));
}

Result<std::optional<SqlRow>> UnitOfWork::select_row(const TableSpec& table, Id id) {
  const SqlValue params[] = {id};
  ACCOMPANY_TRY(rows,
                sql_.query(fmt::format("SELECT {} FROM {} WHERE id = $1", column_list(table), table.name), params));
  if (rows.empty()) return std::optional<SqlRow>();
  return std::optional<SqlRow>(std::move(rows.front()));
}

Result<std::vector<SqlRow>> UnitOfWork::select_rows_where(const TableSpec& table, std::string_view column,
                                                          const SqlValue& value) {
  // The column name is spliced into SQL, so it must be one the table declares.
  if (column != "id" && std::find(table.columns.begin(), table.columns.end(), column) == table.columns.end())
    return make_error(ErrorCode::internal, fmt::format("{} has no column {}", table.name, column));
  const SqlValue params[] = {value};
  return sql_.query(fmt::format("SELECT {} FROM {} WHERE {} = $1 ORDER BY id", column_list(table), table.name, column),
                    params);
}

}  // namespace accompany
