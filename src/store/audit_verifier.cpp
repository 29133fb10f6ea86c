#include "store/audit_verifier.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "security/audit_entry.h"
#include "store/audit_batch.h"
#include "security/digest.h"
#include "store/entity_tables.h"

namespace accompany {
namespace {

struct LastWrite {
  std::string after_digest;  // empty after a delete, and for a row covered by an insert_batch
  std::int64_t seq = 0;
  std::optional<size_t> batch;  // index into the batches when the last write was an insert_batch
};

// An insert_batch entry: its digest is checked once the digest of every row it covers, as the
// batch left it, is known — from the table when the batch is the row's last write, else from
// the before_digest of the entry that next changed the row.
struct Batch {
  std::string entity;
  std::int64_t seq = 0;
  std::string digest;
  std::vector<Id> ids;
  std::unordered_map<Id, std::string> row_digests;
  size_t deleted = 0;  // covered rows reported as deleted outside Accompany
};

// Problems past this many are counted, not listed: the first ones say where to look.
constexpr size_t kMaxListedProblems = 50;

}  // namespace

Result<AuditVerification> verify_audit(SqlConnection& sql) {
  AuditVerification report;
  size_t unlisted = 0;
  auto problem = [&](std::string text) {
    if (report.problems.size() < kMaxListedProblems)
      report.problems.push_back(std::move(text));
    else
      ++unlisted;
  };

  std::unordered_map<std::string, std::unordered_map<std::int64_t, LastWrite>> last_writes;
  std::vector<Batch> batches;
  std::int64_t expected_seq = 1;
  std::string previous_hash(Digest::kZeroHex);
  ACCOMPANY_CHECK(sql.for_each_row(
      "SELECT seq, at, actor, action, entity, entity_id, purpose, fields, before_digest, after_digest, prev_hash, hash "
      "FROM audit_log ORDER BY seq",
      {}, [&](const SqlRow& row) -> Status {
        AuditEntry entry{row.integer(0), row.text(1), row.text(2), row.text(3), row.text(4),  row.integer(5),
                         row.text(6),    row.text(7), row.text(8), row.text(9), row.text(10), row.text(11)};
        ++report.entries_checked;
        if (entry.seq != expected_seq)
          problem(fmt::format("audit entry {} is missing: the chain jumps from entry {} to entry {}", expected_seq,
                              expected_seq - 1, entry.seq));
        else if (entry.prev_hash != previous_hash)
          problem(fmt::format("audit entry {} does not follow entry {}: its link to the previous entry was changed",
                              entry.seq, entry.seq - 1));
        if (entry.compute_hash() != entry.hash)
          problem(
              fmt::format("audit entry {} was altered: its contents ({} {} {} by {} at {}) no longer match its hash",
                          entry.seq, entry.action, entry.entity, entry.entity_id, entry.actor, entry.at));
        if (entry.action == kInsertBatchAction) {
          auto ids = parse_batch_ids(entry.fields);
          if (!ids) {
            problem(fmt::format("audit entry {} is unreadable: {}", entry.seq, ids.error().message));
          } else {
            auto& writes = last_writes[entry.entity];
            for (Id id : *ids) writes[id] = LastWrite{"", entry.seq, batches.size()};
            batches.push_back(Batch{entry.entity, entry.seq, entry.after_digest, std::move(*ids), {}});
          }
        } else if (entry.changes_entity()) {
          LastWrite& write = last_writes[entry.entity][entry.entity_id];
          if (write.batch) batches[*write.batch].row_digests[entry.entity_id] = entry.before_digest;
          write = LastWrite{entry.after_digest, entry.seq, std::nullopt};
        }
        expected_seq = entry.seq + 1;
        previous_hash = entry.hash;
        return {};
      }));

  ACCOMPANY_TRY(head, sql.query("SELECT seq, hash FROM audit_head WHERE id = 1"));
  if (head.size() != 1) {
    problem("the audit head row is missing");
  } else if (head[0].integer(0) != expected_seq - 1 || head[0].text(1) != previous_hash) {
    problem(
        fmt::format("the audit log ends at entry {} but its head records entry {}: entries were removed from the "
                    "end of the log, or the head was changed",
                    expected_seq - 1, head[0].integer(0)));
  }
  report.head_hash = previous_hash;

  for (const TableSpec* table : audited_tables()) {
    auto& writes = last_writes[std::string(table->name)];
    std::string columns = "id";
    for (auto column : table->columns) columns += fmt::format(", {}", column);
    ACCOMPANY_CHECK(sql.for_each_row(
        fmt::format("SELECT {} FROM {} ORDER BY id", columns, table->name), {}, [&](const SqlRow& row) -> Status {
          ++report.rows_checked;
          const Id id = row.integer(0);
          auto found = writes.find(id);
          if (found == writes.end()) {
            problem(fmt::format("{} row {} has no audit entry: it was written outside Accompany", table->name, id));
            return {};
          }
          std::span<const SqlValue> values(row.values().begin() + 1, row.values().end());
          if (found->second.batch)
            batches[*found->second.batch].row_digests[id] = row_digest(*table, id, values);
          else if (found->second.after_digest.empty())
            problem(fmt::format("{} row {} was deleted in audit entry {} but is present again", table->name, id,
                                found->second.seq));
          else if (row_digest(*table, id, values) != found->second.after_digest)
            problem(fmt::format("{} row {} was changed outside Accompany: it no longer matches audit entry {}",
                                table->name, id, found->second.seq));
          writes.erase(found);
          return {};
        }));
    for (const auto& [id, write] : writes)
      if (!write.after_digest.empty() || write.batch) {
        if (write.batch) ++batches[*write.batch].deleted;
        problem(fmt::format("{} row {} was deleted outside Accompany (last audited in entry {})", table->name, id,
                            write.seq));
      }
  }
  for (const Batch& batch : batches) {
    // A row missing from the batch was reported above as deleted outside Accompany. A row
    // neither found nor reported (listed again by a later batch, or of a table that is not
    // audited) leaves the batch unverifiable: Accompany never writes such an entry.
    if (batch.row_digests.size() + batch.deleted != batch.ids.size()) {
      problem(fmt::format("audit entry {} lists {} rows but {} of them cannot be checked against it (listed again by "
                          "a later entry, or not in an audited table)",
                          batch.seq, batch.ids.size(), batch.ids.size() - batch.row_digests.size() - batch.deleted));
      continue;
    }
    if (batch.deleted > 0) continue;
    std::vector<std::string> digests;
    digests.reserve(batch.ids.size());
    for (Id id : batch.ids) digests.push_back(batch.row_digests.at(id));
    if (batch_digest(batch.entity, batch.ids, digests) != batch.digest)
      problem(fmt::format("{} rows written together in audit entry {} ({}) were changed outside Accompany: one or "
                          "more of them no longer match that entry",
                          batch.entity, batch.seq, describe_batch_ids(batch.ids)));
  }
  if (unlisted > 0) report.problems.push_back(fmt::format("... and {} more problems", unlisted));
  return report;
}

}  // namespace accompany
