// Backup and restore of the whole database: SQLite through its online backup API (a
// consistent copy while the server keeps writing), PostgreSQL through pg_dump/pg_restore.
// A restore is checked before it is declared good: schema version and the audit chain.
#pragma once

#include <string>

#include "common/error.h"
#include "store/audit_verifier.h"

namespace accompany {

struct BackupOutcome {
  std::string file;
  std::string audit_head_hash;  // the chain head at backup time: note it to anchor the copy
  std::int64_t audit_entries = 0;
};

// Writes a consistent copy of `location` to `file`, which must not exist yet.
Result<BackupOutcome> backup_database(const std::string& location, const std::string& file);

struct RestoreOutcome {
  int schema_version = 0;
  AuditVerification verification;
};

// Restores `file` into `location`, which must be empty (a missing SQLite file, or a PostgreSQL
// database without Accompany tables) unless `replace` is set; then verifies the result.
Result<RestoreOutcome> restore_database(const std::string& file, const std::string& location, bool replace);

}  // namespace accompany
