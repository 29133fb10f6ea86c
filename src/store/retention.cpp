#include "store/retention.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "store/entity_tables.h"

namespace accompany {
namespace {

bool names_child(const TableSpec& table) {
  return std::find(table.columns.begin(), table.columns.end(), "child_id") != table.columns.end();
}

std::vector<Id> ids(const std::vector<SqlRow>& rows) {
  std::vector<Id> out;
  for (const auto& row : rows) out.push_back(row.integer(0));
  return out;
}

// The child ids a contact's child_ids column lists ("3,17").
std::vector<Id> listed_children(const std::string& text) {
  std::vector<Id> out;
  Id value = 0;
  bool digits = false;
  for (char c : text + ",") {
    if (c >= '0' && c <= '9') {
      value = value * 10 + (c - '0');
      digits = true;
    } else if (digits) {
      out.push_back(value);
      value = 0;
      digits = false;
    }
  }
  return out;
}

// Removes one child's rows from every table that holds them, the child last; returns the rows
// removed per table. Tables are visited in the reverse of audit order, so rows that point at
// others (outbox -> hearings, notices -> addresses) go before what they point at.
Status purge_child(UnitOfWork& unit, Id child, std::map<std::string, std::int64_t>& removed) {
  auto& sql = unit.sql();
  const std::vector<SqlValue> child_param{SqlValue(child)};
  // Sponsors this child was released to: removed after the child if no other child names them.
  ACCOMPANY_TRY(sponsor_rows, sql.query("SELECT sponsor_id FROM addresses WHERE child_id = $1 AND sponsor_id IS NOT "
                                        "NULL UNION SELECT sponsor_id FROM custody_events WHERE child_id = $1 AND "
                                        "sponsor_id IS NOT NULL",
                                        child_param));
  const auto sponsors = ids(sponsor_rows);

  const auto& tables = audited_tables();
  for (auto it = tables.rbegin(); it != tables.rend(); ++it) {
    const TableSpec& table = **it;
    if (!names_child(table)) continue;
    ACCOMPANY_TRY(rows,
                  sql.query(fmt::format("SELECT id FROM {} WHERE child_id = $1 ORDER BY id", table.name), child_param));
    for (Id id : ids(rows)) {
      ACCOMPANY_CHECK(unit.remove_row(table, id));
      ++removed[std::string(table.name)];
    }
  }

  // Contacts list their children: one about this child alone goes; one about several keeps
  // the others and forgets this one.
  ACCOMPANY_TRY(contact_rows, sql.query("SELECT id, child_ids FROM contacts WHERE child_ids <> ''"));
  for (const auto& row : contact_rows) {
    auto listed = listed_children(row.text(1));
    if (std::find(listed.begin(), listed.end(), child) == listed.end()) continue;
    if (listed.size() == 1) {
      ACCOMPANY_CHECK(unit.remove<Contact>(row.integer(0)));
      ++removed["contacts"];
      continue;
    }
    ACCOMPANY_TRY(contact, unit.find<Contact>(row.integer(0)));
    if (!contact) continue;
    std::erase(contact->child_ids, child);
    ACCOMPANY_CHECK(unit.update(*contact));
    ++removed["contacts (child unlinked)"];
  }

  auto remove_local_ids = [&](std::string_view entity, Id id) -> Status {
    const std::vector<SqlValue> params{SqlValue(std::string(entity)), SqlValue(id)};
    ACCOMPANY_TRY(rows, sql.query("SELECT id FROM local_ids WHERE entity = $1 AND entity_id = $2 ORDER BY id", params));
    for (Id local : ids(rows)) {
      ACCOMPANY_CHECK(unit.remove<LocalId>(local));
      ++removed["local_ids"];
    }
    return {};
  };
  ACCOMPANY_CHECK(remove_local_ids("children", child));
  // Row-key bookkeeping stays (a re-imported old file must not bring the child back), but the
  // custody days kept with it for linkage (migration 0011) are the child's case data.
  ACCOMPANY_CHECK(sql.execute("UPDATE import_row_keys SET custody_day = NULL WHERE child_id = $1", child_param));
  ACCOMPANY_CHECK(unit.remove<Child>(child));
  ++removed["children"];

  for (Id sponsor : sponsors) {
    const std::vector<SqlValue> params{SqlValue(sponsor)};
    ACCOMPANY_TRY(still, sql.query("SELECT 1 FROM addresses WHERE sponsor_id = $1 UNION ALL SELECT 1 FROM "
                                   "custody_events WHERE sponsor_id = $1",
                                   params));
    if (!still.empty()) continue;
    ACCOMPANY_CHECK(remove_local_ids("sponsors", sponsor));
    ACCOMPANY_CHECK(unit.remove<Sponsor>(sponsor));
    ++removed["sponsors"];
  }
  return {};
}

}  // namespace

Result<std::vector<ClosedCase>> closed_cases(SqlConnection& sql, Date closed_before) {
  // The latest event of each child that has a case_closed one; closed if that latest is it.
  const std::vector<SqlValue> before{SqlValue(format_date(closed_before))};
  ACCOMPANY_TRY(rows, sql.query("SELECT e.child_id, e.occurred_at FROM custody_events e "
                                "WHERE e.kind = 'case_closed' AND e.occurred_at < $1 AND NOT EXISTS ("
                                "SELECT 1 FROM custody_events later WHERE later.child_id = e.child_id AND "
                                "(later.occurred_at > e.occurred_at OR (later.occurred_at = e.occurred_at AND "
                                "later.id > e.id))) ORDER BY e.child_id",
                                before));
  std::vector<ClosedCase> cases;
  for (const auto& row : rows) cases.push_back({row.integer(0), row.text(1)});
  return cases;
}

Result<PurgeSummary> purge_closed_cases(Store& store, const std::string& actor, Date closed_before,
                                        const std::string& reason, bool dry_run) {
  if (reason.find_first_not_of(" \t") == std::string::npos)
    return make_error(ErrorCode::invalid_argument,
                      "a retention purge needs a reason (--reason): it goes into the audit log");
  PurgeSummary summary;
  summary.dry_run = dry_run;
  ACCOMPANY_CHECK(store.read([&](SqlConnection& sql) -> Status {
    ACCOMPANY_TRY(cases, closed_cases(sql, closed_before));
    summary.cases = std::move(cases);
    if (!dry_run) return {};
    for (const TableSpec* table : audited_tables()) {
      if (!names_child(*table)) continue;
      for (const auto& closed : summary.cases) {
        const std::vector<SqlValue> params{SqlValue(closed.child_id)};
        ACCOMPANY_TRY(count,
                      sql.query(fmt::format("SELECT count(*) FROM {} WHERE child_id = $1", table->name), params));
        summary.rows[std::string(table->name)] += count.at(0).integer(0);
      }
    }
    summary.rows["children"] = static_cast<std::int64_t>(summary.cases.size());
    return {};
  }));
  if (dry_run) return summary;

  const AuditContext context{actor, fmt::format("retention purge: {}", reason)};
  for (const auto& closed : summary.cases) {
    ACCOMPANY_CHECK(store.transact(context, [&](UnitOfWork& unit) -> Status {
      std::map<std::string, std::int64_t> removed;
      ACCOMPANY_CHECK(purge_child(unit, closed.child_id, removed));
      std::int64_t total = 0;
      for (const auto& [table, count] : removed) {
        summary.rows[table] += count;
        total += count;
      }
      return unit.record_event("retention_purge", "children", closed.child_id,
                               fmt::format("case closed {}; {} rows removed; closed before {}; reason: {}",
                                           closed.closed_at, total, format_date(closed_before), reason));
    }));
  }
  return summary;
}

}  // namespace accompany
