// One entry of the tamper-evident audit log. Entries form a hash chain: each entry's hash
// covers its own fields and the previous entry's hash, so changing or removing any entry
// breaks every hash after it.
#pragma once

#include <cstdint>
#include <string>

namespace accompany {

struct AuditEntry {
  std::int64_t seq = 0;  // 1, 2, 3 ... with no gaps
  std::string at;        // UTC instant
  std::string actor;     // user or service account; "system:<command>" for the CLI
  std::string action;    // insert, update, delete, read, ...
  std::string entity;    // table name: children, hearings, ...
  std::int64_t entity_id = 0;
  std::string purpose;        // why, as the actor stated it
  std::string fields;         // for reads: which fields were shown
  std::string before_digest;  // digest of the row before the write; empty for insert and read
  std::string after_digest;   // digest of the row after; empty for delete and read
  std::string prev_hash;
  std::string hash;

  // The hash this entry must carry given its fields and prev_hash.
  std::string compute_hash() const;
  bool changes_entity() const { return action == "insert" || action == "update" || action == "delete"; }
};

}  // namespace accompany
