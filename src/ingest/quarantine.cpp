#include "ingest/quarantine.h"

#include <fmt/format.h>

#include "ingest/row_mapper.h"
#include "ingest/row_writer.h"

namespace accompany {
namespace {

Result<QuarantinedRow> open_row(UnitOfWork& unit, Id id) {
  ACCOMPANY_TRY(found, unit.find<QuarantinedRow>(id));
  if (!found) return make_error(ErrorCode::not_found, fmt::format("there is no quarantined row {}", id));
  if (found->status != QuarantineStatus::open)
    return make_error(ErrorCode::conflict,
                      fmt::format("quarantined row {} is already {} ({})", id,
                                  enum_name(kQuarantineStatusNames, found->status), found->resolution));
  return std::move(*found);
}

}  // namespace

Result<std::vector<QuarantinedRow>> list_quarantine(Store& store, bool include_resolved, int limit) {
  std::vector<QuarantinedRow> rows;
  ACCOMPANY_CHECK(store.read([&](SqlConnection& sql) -> Status {
    std::string columns = "id";
    for (auto column : EntityTable<QuarantinedRow>::spec().columns) columns += fmt::format(", {}", column);
    const SqlValue params[] = {std::int64_t{limit}};
    ACCOMPANY_TRY(found, sql.query(fmt::format("SELECT {} FROM quarantine {} ORDER BY id LIMIT $1", columns,
                                               include_resolved ? "" : "WHERE status = 'open'"),
                                   params));
    for (const auto& row : found) {
      ACCOMPANY_TRY(record, EntityTable<QuarantinedRow>::from_row(row));
      rows.push_back(std::move(record));
    }
    return {};
  }));
  return rows;
}

Result<QuarantinedRow> show_quarantined(Store& store, Id id, const AuditContext& context) {
  QuarantinedRow shown;
  ACCOMPANY_CHECK(store.transact(context, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(found, unit.find<QuarantinedRow>(id));
    if (!found) return make_error(ErrorCode::not_found, fmt::format("there is no quarantined row {}", id));
    ACCOMPANY_CHECK(unit.record_read("quarantine", id, "raw,field,value,reason"));
    shown = std::move(*found);
    return {};
  }));
  return shown;
}

Result<RetryOutcome> retry_quarantined(Store& store, Id id, const AuditContext& context) {
  RetryOutcome outcome;
  ACCOMPANY_CHECK(store.transact(context, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(row, open_row(unit, id));
    ACCOMPANY_TRY(kind, parse_enum(kFeedKindNames, "kind", row.kind));
    RowScratch scratch;
    std::string key;
    auto mapped = map_record(kind, row.raw, scratch, unit.today(), key);
    if (!mapped) {
      // Still wrong: keep it open, with today's reason if it changed.
      const Error& why = mapped.error();
      const std::string field = why.field.empty() ? "(row)" : why.field;
      outcome.description = fmt::format("still invalid: {}", why.describe());
      if (field != row.field || why.value != row.value || why.message != row.reason) {
        row.field = field;
        row.value = why.value;
        row.reason = why.message;
        row.row_key = key;
        ACCOMPANY_CHECK(unit.update(row));
      }
      return {};
    }
    RowWriter writer(unit, kind, row.file_name, std::nullopt);
    ACCOMPANY_TRY(written, writer.write(*mapped, row.line, row.raw));
    outcome.resolved = true;
    switch (written) {
      case RowOutcome::imported:
        row.status = QuarantineStatus::imported;
        row.resolution = "imported on retry";
        break;
      case RowOutcome::unlinked:
        row.status = QuarantineStatus::imported;
        row.resolution = "imported on retry into the unlinked pool";
        break;
      case RowOutcome::duplicate:
        row.status = QuarantineStatus::duplicate;
        row.resolution = fmt::format("row key {} was already imported", mapped->row_key);
        break;
      case RowOutcome::quarantined:
        return make_error(ErrorCode::internal, "a valid row was quarantined");
    }
    row.row_key = mapped->row_key;
    row.resolved_by = context.actor;
    row.resolved_at = unit.now();
    outcome.description = row.resolution;
    return unit.update(row);
  }));
  return outcome;
}

Status discard_quarantined(Store& store, Id id, const std::string& reason, const AuditContext& context) {
  if (reason.find_first_not_of(" \t") == std::string::npos)
    return invalid("reason", reason, "say why the row is discarded (--reason)");
  return store.transact(context, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(row, open_row(unit, id));
    row.status = QuarantineStatus::discarded;
    row.resolution = reason;
    row.resolved_by = context.actor;
    row.resolved_at = unit.now();
    ACCOMPANY_CHECK(unit.update(row));
    return unit.record_event("discard", "quarantine", id, reason);
  });
}

}  // namespace accompany
