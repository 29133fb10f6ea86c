#include "store/unit_of_work.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>

#include "store/audit_batch.h"

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

// A table's INSERT and SELECT-by-id SQL, each built once per thread: bulk imports run
// them hundreds of thousands of times.
enum class Statement { insert, select, insert_with_id };

const std::string& table_sql(const TableSpec& table, Statement kind) {
  thread_local std::unordered_map<const TableSpec*, std::array<std::string, 3>> cache;
  auto& built = cache[&table][static_cast<size_t>(kind)];
  if (!built.empty()) return built;
  std::string list;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    fmt::format_to(std::back_inserter(list), "{}${}", i ? ", " : "", i + 1);
  }
  if (kind == Statement::insert_with_id)
    built = fmt::format("INSERT INTO {} ({}, id) VALUES ({}, ${})", table.name, column_list(table).substr(4), list,
                        table.columns.size() + 1);
  else if (kind == Statement::insert)
    built = fmt::format("INSERT INTO {} ({}) VALUES ({})", table.name, column_list(table).substr(4), list);
  else
    built = fmt::format("SELECT {} FROM {} WHERE id = $1", column_list(table), table.name);
  return built;
}

// An UPDATE of the columns in the bit set `columns` (bit i: TableSpec::columns[i]), built once
// per thread and column set.
const std::string& update_sql(const TableSpec& table, std::uint64_t columns) {
  thread_local std::map<std::pair<const TableSpec*, std::uint64_t>, std::string> cache;
  auto& built = cache[{&table, columns}];
  if (!built.empty()) return built;
  std::string list;
  size_t parameter = 0;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (((columns >> i) & 1) == 0) continue;
    fmt::format_to(std::back_inserter(list), "{}{} = ${}", parameter ? ", " : "", table.columns[i], parameter + 1);
    ++parameter;
  }
  built = fmt::format("UPDATE {} SET {} WHERE id = ${}", table.name, list, parameter + 1);
  return built;
}

// Writes `values` over row `id`, naming only the columns that differ from `before` (every column
// when `before` is null).
Status write_changed_columns(SqlConnection& sql, const TableSpec& table, Id id, std::vector<SqlValue> values,
                             const SqlRow* before) {
  // SQLite rewrites every index over a column named in SET, changed or not, so an update names
  // only the columns whose value differs from the row as read (all of them, unread).
  if (values.size() > 64)
    return make_error(ErrorCode::internal, fmt::format("{} has more columns than an update can name", table.name));
  std::uint64_t changed = 0;
  std::vector<SqlValue> params;
  params.reserve(values.size() + 1);
  for (size_t column = 0; column < values.size(); ++column) {
    if (before && before->size() == values.size() + 1 && before->at(column + 1) == values[column]) continue;
    changed |= std::uint64_t{1} << column;
    params.push_back(std::move(values[column]));
  }
  if (changed == 0) return {};  // the row already holds these values
  params.emplace_back(id);
  ACCOMPANY_TRY(rows, sql.execute(update_sql(table, changed), params));
  if (rows != 1) return make_error(ErrorCode::internal, fmt::format("{} row {} vanished", table.name, id));
  return {};
}

}  // namespace

UnitOfWork::UnitOfWork(SqlConnection& sql, AuditContext context, const Clock& clock, Mode mode)
    : sql_(sql), context_(std::move(context)), now_(clock.now()), now_text_(format_timestamp(now_)), mode_(mode) {}

Status UnitOfWork::refuse_write(const TableSpec& table) const {
  if (mode_ == Mode::write) return {};
  return make_error(ErrorCode::internal,
                    fmt::format("a read-only unit of work cannot write {}: use Store::transact", table.name));
}

std::vector<AuditEntry> UnitOfWork::take_unchained() {
  std::vector<AuditEntry> entries;
  if (mode_ == Mode::read_only) entries.swap(pending_);
  return entries;
}

Status UnitOfWork::append_prepared(std::vector<AuditEntry>& entries) {
  for (auto& entry : entries) {
    ++written_;
    ACCOMPANY_CHECK(chain(std::move(entry)));
  }
  return {};
}

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
  entry.at = now_text_;
  entry.actor = context_.actor;
  entry.purpose = context_.purpose;
  ++written_;
  if (mode_ == Mode::read_only) {
    pending_.push_back(std::move(entry));
    return {};
  }
  return chain(std::move(entry));
}

Status UnitOfWork::chain(AuditEntry entry) {
  ACCOMPANY_CHECK(load_head());
  entry.seq = *head_seq_ + 1;
  entry.prev_hash = head_hash_;
  entry.hash = entry.compute_hash();
  head_seq_ = entry.seq;
  head_hash_ = entry.hash;
  pending_.push_back(std::move(entry));
  if (pending_.size() >= kAuditBatch) return flush_audit();
  return {};
}

namespace {

constexpr size_t kAuditColumns = 12;

void add_values(std::vector<SqlValue>& params, AuditEntry& entry) {
  params.emplace_back(entry.seq);
  params.emplace_back(std::move(entry.at));
  params.emplace_back(std::move(entry.actor));
  params.emplace_back(std::move(entry.action));
  params.emplace_back(std::move(entry.entity));
  params.emplace_back(entry.entity_id);
  params.emplace_back(std::move(entry.purpose));
  params.emplace_back(std::move(entry.fields));
  params.emplace_back(std::move(entry.before_digest));
  params.emplace_back(std::move(entry.after_digest));
  params.emplace_back(std::move(entry.prev_hash));
  params.emplace_back(std::move(entry.hash));
}

std::string audit_insert(size_t rows) {
  std::string sql =
      "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, purpose, fields, before_digest, "
      "after_digest, prev_hash, hash) VALUES ";
  for (size_t r = 0; r < rows; ++r) {
    sql += r ? ", (" : "(";
    for (size_t c = 0; c < kAuditColumns; ++c)
      fmt::format_to(std::back_inserter(sql), "{}${}", c ? ", " : "", r * kAuditColumns + c + 1);
    sql += ")";
  }
  return sql;
}

}  // namespace

Status UnitOfWork::flush_audit() {
  // Full batches go in one multi-row INSERT (one statement, one round trip to PostgreSQL);
  // the remainder row by row, so only two statement shapes are ever prepared.
  static const std::string batch_sql = audit_insert(kAuditBatch);
  static const std::string single_sql = audit_insert(1);
  std::vector<SqlValue> params;
  size_t next = 0;
  while (pending_.size() - next >= kAuditBatch) {
    params.clear();
    params.reserve(kAuditBatch * kAuditColumns);
    for (size_t i = 0; i < kAuditBatch; ++i) add_values(params, pending_[next + i]);
    ACCOMPANY_CHECK(sql_.execute_later(batch_sql, params));
    next += kAuditBatch;
  }
  for (; next < pending_.size(); ++next) {
    params.clear();
    add_values(params, pending_[next]);
    ACCOMPANY_CHECK(sql_.execute_later(single_sql, params));
  }
  pending_.clear();
  return {};
}

UnitOfWork::InsertBatch& UnitOfWork::batch_for(const TableSpec& table) {
  for (auto& batch : insert_batches_)
    if (batch.table == &table) return batch;
  insert_batches_.push_back(InsertBatch{&table, {}, {}});
  return insert_batches_.back();
}

Status UnitOfWork::flush_insert_batch(InsertBatch& batch) {
  if (batch.ids.empty()) return {};
  AuditEntry entry;
  entry.action = kInsertBatchAction;
  entry.entity = batch.table->name;
  entry.entity_id = batch.ids.front();
  entry.fields = describe_batch_ids(batch.ids);
  entry.after_digest = batch_digest(batch.table->name, batch.ids, batch.digests);
  batch.ids.clear();
  batch.digests.clear();
  return append(std::move(entry));
}

Status UnitOfWork::flush_insert_batches() {
  for (auto& batch : insert_batches_) ACCOMPANY_CHECK(flush_insert_batch(batch));
  return {};
}

Status UnitOfWork::finish() {
  if (mode_ == Mode::read_only) return {};
  ACCOMPANY_CHECK(flush_insert_batches());
  if (!head_seq_ || written_ == 0) return {};
  ACCOMPANY_CHECK(flush_audit());
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
  // An event (the import run itself) follows the batches of rows written before it.
  ACCOMPANY_CHECK(flush_insert_batches());
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
  ACCOMPANY_CHECK(refuse_write(table));
  just_read_.reset();
  if (batch_inserts_ && sql_.dialect() == Dialect::postgres) {
    // PostgreSQL round trips: the id comes from a block taken from the table's sequence, so the
    // INSERT need not be waited for and goes into the pipeline (SqlConnection::execute_later).
    ACCOMPANY_TRY(id, next_id(table));
    std::string digest = row_digest(table, id, values);
    values.emplace_back(id);
    ACCOMPANY_CHECK(sql_.execute_later(table_sql(table, Statement::insert_with_id), values));
    return add_to_batch(table, id, std::move(digest));
  }
  ACCOMPANY_TRY(id, sql_.insert_returning_id(table_sql(table, Statement::insert), values));
  if (batch_inserts_) return add_to_batch(table, id, row_digest(table, id, values));
  AuditEntry entry;
  entry.action = "insert";
  entry.entity = table.name;
  entry.entity_id = id;
  entry.after_digest = row_digest(table, id, values);
  ACCOMPANY_CHECK(append(std::move(entry)));
  return id;
}

Result<Id> UnitOfWork::add_to_batch(const TableSpec& table, Id id, std::string digest) {
  InsertBatch& batch = batch_for(table);
  // A batch lists ascending ids; an id out of order (never seen in practice) starts a new one.
  if (!batch.ids.empty() && id <= batch.ids.back()) ACCOMPANY_CHECK(flush_insert_batch(batch));
  batch.ids.push_back(id);
  batch.digests.push_back(std::move(digest));
  if (batch.ids.size() >= kInsertBatchRows) ACCOMPANY_CHECK(flush_insert_batch(batch));
  return id;
}

Result<Id> UnitOfWork::next_id(const TableSpec& table) {
  IdBlock* block = nullptr;
  for (auto& candidate : id_blocks_)
    if (candidate.table == &table) block = &candidate;
  if (!block) block = &id_blocks_.emplace_back(IdBlock{&table, {}, 0});
  if (block->next == block->ids.size()) {
    // nextval() hands out ascending values to this session; other sessions may take some in
    // between, so the block need not be contiguous. Unused ids are skipped, as after a rollback.
    const SqlValue params[] = {std::string(table.name), static_cast<std::int64_t>(kIdBlock)};
    ACCOMPANY_TRY(rows, sql_.query("SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2) "
                                   "ORDER BY 1",
                                   params));
    block->ids.clear();
    for (const auto& row : rows) block->ids.push_back(row.integer(0));
    block->next = 0;
    if (block->ids.empty()) return make_error(ErrorCode::internal, fmt::format("no ids for {}", table.name));
  }
  return block->ids[block->next++];
}

Status UnitOfWork::update_row(const TableSpec& table, Id id, std::vector<SqlValue> values) {
  ACCOMPANY_CHECK(refuse_write(table));
  if (batch_inserts_) {
    // A row inserted in this unit of work whose batch entry is not written yet: the batch will
    // commit to the row as updated, so the update needs no entry of its own.
    InsertBatch& batch = batch_for(table);
    auto at = std::lower_bound(batch.ids.begin(), batch.ids.end(), id);
    if (at != batch.ids.end() && *at == id) {
      // The row as find() just read it, if it did: then only the columns that differ are written.
      std::optional<SqlRow> before;
      if (just_read_ && just_read_->table == &table && just_read_->row.integer(0) == id)
        before = std::move(just_read_->row);
      just_read_.reset();  // the row is about to change
      std::string digest = row_digest(table, id, values);
      ACCOMPANY_CHECK(write_changed_columns(sql_, table, id, std::move(values), before ? &*before : nullptr));
      batch.digests[static_cast<size_t>(at - batch.ids.begin())] = std::move(digest);
      return {};
    }
  }
  ACCOMPANY_TRY(before, select_row(table, id));
  just_read_.reset();  // the row is about to change
  if (!before) return make_error(ErrorCode::not_found, fmt::format("{} row {} does not exist", table.name, id));
  AuditEntry entry;
  entry.action = "update";
  entry.entity = table.name;
  entry.entity_id = id;
  entry.before_digest = row_digest(table, id, without_id(*before));
  entry.after_digest = row_digest(table, id, values);
  ACCOMPANY_CHECK(write_changed_columns(sql_, table, id, std::move(values), &*before));
  return append(std::move(entry));
}

Status UnitOfWork::delete_row(const TableSpec& table, Id id) {
  ACCOMPANY_CHECK(refuse_write(table));
  // A row still waiting in a batch goes into the chain first, so its delete entry follows it.
  if (batch_inserts_) ACCOMPANY_CHECK(flush_insert_batch(batch_for(table)));
  ACCOMPANY_TRY(before, select_row(table, id));
  just_read_.reset();  // the row is about to change
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
  // find() then update() reads the same row twice; the second read takes the first's copy.
  // Every write through this unit forgets it, and audited tables change only through here.
  if (just_read_ && just_read_->table == &table && just_read_->row.integer(0) == id) {
    std::optional<SqlRow> row(std::move(just_read_->row));
    just_read_.reset();
    return row;
  }
  const SqlValue params[] = {id};
  ACCOMPANY_TRY(rows, sql_.query(table_sql(table, Statement::select), params));
  if (rows.empty()) return std::optional<SqlRow>();
  just_read_ = JustRead{&table, rows.front()};
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
