#include "domain/ingest_records.h"

#include "domain/identity.h"

namespace accompany {

Status QuarantinedRow::validate(const QuarantinedRow& row) {
  ACCOMPANY_CHECK(check_text("kind", row.kind, 50, true));
  ACCOMPANY_CHECK(check_text("file_name", row.file_name, 1000, true));
  if (row.line < 1) return invalid("line", std::to_string(row.line), "a line number starts at 1");
  ACCOMPANY_CHECK(check_text("reason", row.reason, 1000, true));
  if (row.status == QuarantineStatus::discarded && row.resolution.empty())
    return invalid("resolution", "", "discarding a quarantined row needs a reason");
  if (row.status != QuarantineStatus::open && !row.resolved_at)
    return invalid("resolved_at", "", "a resolved row records when it was resolved");
  return {};
}

Status UnlinkedRow::validate(const UnlinkedRow& row) {
  ACCOMPANY_CHECK(check_text("kind", row.kind, 50, true));
  ACCOMPANY_CHECK(check_text("file_name", row.file_name, 1000, true));
  if (row.line < 1) return invalid("line", std::to_string(row.line), "a line number starts at 1");
  if (row.a_number.empty() && row.local_ids.empty() && row.given_names.empty() && row.paternal_surname.empty() &&
      row.maternal_surname.empty())
    return invalid("local_ids", "", "an unlinked row needs an identifier or a name to be linked by later");
  if (row.status == UnlinkedStatus::linked && !row.child_id)
    return invalid("child_id", "", "a linked row names the child it was linked to");
  return {};
}

Status LocalId::validate(const LocalId& local) {
  ACCOMPANY_CHECK(check_text("id_namespace", local.id_namespace, 50, true));
  ACCOMPANY_CHECK(check_text("local_id", local.local_id, 100, true));
  if (local.entity != "children" && local.entity != "sponsors")
    return invalid("entity", local.entity, "a local id names a child or a sponsor");
  if (local.entity_id <= 0) return invalid("entity_id", std::to_string(local.entity_id), "must name a record");
  return {};
}

}  // namespace accompany
