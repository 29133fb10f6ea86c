// A unit of work: one database transaction in which every write (and every audited read)
// appends its audit entry to the hash chain. The only way records are written.
// Not thread-safe; it lives inside Store::transact on one thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "security/audit_entry.h"
#include "store/entity_tables.h"
#include "store/sql_connection.h"

namespace accompany {

// Who is acting and why; copied into every audit entry of the unit of work.
struct AuditContext {
  std::string actor;    // a user name, a service account, or "system:<command>"
  std::string purpose;  // "import orr_release.csv", "welfare follow-up", ...
};

class UnitOfWork {
 public:
  // A read-only unit (Store::read_audited) refuses row writes and does not touch the chain:
  // its entries are collected and appended by the audit group commit after the read.
  enum class Mode { write, read_only };
  UnitOfWork(SqlConnection& sql, AuditContext context, const Clock& clock, Mode mode = Mode::write);

  // Validates `record`, inserts it, audits it; returns the new id.
  template <class T>
  Result<Id> insert(const T& record) {
    using Table = EntityTable<T>;
    ACCOMPANY_CHECK(within(Table::validate(record, today()), Table::spec().name));
    return insert_row(Table::spec(), Table::to_values(record));
  }

  // Validates and writes `record` over the row with its id; not_found when there is none.
  template <class T>
  Status update(const T& record) {
    using Table = EntityTable<T>;
    ACCOMPANY_CHECK(within(Table::validate(record, today()), Table::spec().name));
    return update_row(Table::spec(), record.id, Table::to_values(record));
  }

  template <class T>
  Status remove(Id id) {
    return delete_row(EntityTable<T>::spec(), id);
  }
  // The same for a table known only by its spec: the retention purge removes a child's rows from
  // every audited table that names the child, including tables added after it was written.
  Status remove_row(const TableSpec& table, Id id) { return delete_row(table, id); }

  // Key rotation only (store/key_rotation.h): writes `values`, the row with its sensitive columns
  // re-encrypted, over row `id` without decoding it into a record; audited as an update.
  Status rewrite_row(const TableSpec& table, Id id, std::vector<SqlValue> values) {
    return update_row(table, id, std::move(values));
  }

  // Reads one record without auditing the read: for the system's own use. A person's view of
  // a child's record must also call record_read.
  template <class T>
  Result<std::optional<T>> find(Id id) {
    ACCOMPANY_TRY(row, select_row(EntityTable<T>::spec(), id));
    if (!row) return std::optional<T>();
    ACCOMPANY_TRY(record, EntityTable<T>::from_row(*row));
    return std::optional<T>(std::move(record));
  }

  // Every record whose `column` (a column of T's table) equals `value`, by id.
  template <class T>
  Result<std::vector<T>> find_by(std::string_view column, const SqlValue& value) {
    ACCOMPANY_TRY(rows, select_rows_where(EntityTable<T>::spec(), column, value));
    std::vector<T> records;
    records.reserve(rows.size());
    for (const auto& row : rows) {
      ACCOMPANY_TRY(record, EntityTable<T>::from_row(row));
      records.push_back(std::move(record));
    }
    return records;
  }

  // Appends a read entry: `actor` saw `fields` of `entity` row `id` for the stated purpose.
  Status record_read(std::string_view entity, Id id, std::string_view fields);
  // Appends an entry for an action that is not a row write (an import run, a rule change).
  Status record_event(std::string_view action, std::string_view entity, Id id, std::string_view detail);

  // For module-specific queries (reports, worklists). Writes to audited tables must not go
  // through here: they would fail `audit verify`.
  SqlConnection& sql() { return sql_; }
  const AuditContext& context() const { return context_; }
  Timestamp now() const { return now_; }
  Date today() const { return date_of(now_); }
  std::int64_t audit_entries_written() const { return written_; }

  // For bulk imports: from now on inserts are audited by one "insert_batch" entry per table
  // for up to kInsertBatchRows rows (store/audit_batch.h) instead of one entry per row; an
  // update of a row still waiting in a batch is folded into it. On PostgreSQL the rows' ids
  // are then taken from the table's sequence in blocks and the INSERTs pipelined (not waited
  // for): a failing INSERT fails a later statement of the unit, and so the whole transaction. Updates and deletes of
  // other rows keep their own entries. Why this keeps tamper evidence: docs/security.md.
  void audit_inserts_in_batches() { batch_inserts_ = true; }
  static constexpr size_t kInsertBatchRows = 4096;

  // Called by Store::transact before COMMIT: writes the audit entries still pending and
  // stores the new chain head. Entries are written in batches of kAuditBatch (fewer
  // statements and round trips for bulk imports), so audit_log holds all of a unit's
  // entries only once it commits.
  Status finish();
  static constexpr size_t kAuditBatch = 64;

  // Read-only units: the entries appended so far (actor, purpose and time set, not chained).
  std::vector<AuditEntry> take_unchained();
  // Chains entries that already carry their actor, purpose and time (a group commit batch).
  Status append_prepared(std::vector<AuditEntry>& entries);

 private:
  Result<Id> insert_row(const TableSpec& table, std::vector<SqlValue> values);
  Result<Id> add_to_batch(const TableSpec& table, Id id, std::string digest);
  Result<Id> next_id(const TableSpec& table);
  Status update_row(const TableSpec& table, Id id, std::vector<SqlValue> values);
  Status delete_row(const TableSpec& table, Id id);
  Result<std::optional<SqlRow>> select_row(const TableSpec& table, Id id);
  Result<std::vector<SqlRow>> select_rows_where(const TableSpec& table, std::string_view column, const SqlValue& value);
  Status append(AuditEntry entry);
  Status chain(AuditEntry entry);
  Status refuse_write(const TableSpec& table) const;
  Status flush_audit();
  Status load_head();
  struct InsertBatch;
  InsertBatch& batch_for(const TableSpec& table);
  Status flush_insert_batch(InsertBatch& batch);
  Status flush_insert_batches();

  SqlConnection& sql_;
  AuditContext context_;
  Timestamp now_;
  std::string now_text_;  // every entry of the unit carries this time, formatted once
  Mode mode_;
  std::optional<std::int64_t> head_seq_;
  std::string head_hash_;
  std::int64_t written_ = 0;
  std::vector<AuditEntry> pending_;  // hashed and chained, not yet inserted
  // Rows inserted in bulk whose insert_batch entry is not appended yet, per table.
  struct InsertBatch {
    const TableSpec* table = nullptr;
    std::vector<Id> ids;  // ascending: ids are handed out in order within a transaction
    std::vector<std::string> digests;
  };
  struct JustRead {
    const TableSpec* table;
    SqlRow row;
  };
  std::optional<JustRead> just_read_;  // the last row select_row read, until the next write
  bool batch_inserts_ = false;
  std::vector<InsertBatch> insert_batches_;
  // PostgreSQL bulk inserts: ids taken from each table's sequence kIdBlock at a time.
  static constexpr size_t kIdBlock = 1024;
  struct IdBlock {
    const TableSpec* table;
    std::vector<Id> ids;
    size_t next;
  };
  std::vector<IdBlock> id_blocks_;
};

}  // namespace accompany
