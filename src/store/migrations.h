// Versioned schema migrations, one SQL file per version and dialect, compiled into the binary.
// `accompany init` applies them; every other command checks the version first.
#pragma once

#include <string>
#include <vector>

#include "store/sql_connection.h"

namespace accompany {

struct Migration {
  int version = 0;
  std::string name;  // file name, "0001_initial.sql"
  std::string_view sql;
};

const std::vector<Migration>& migrations_for(Dialect dialect);
// The schema version this build writes and reads.
int supported_schema_version(Dialect dialect);
// 0 for an empty database.
Result<int> current_schema_version(SqlConnection& sql);

struct MigrationOutcome {
  int from_version = 0;
  int to_version = 0;
};
// Applies every migration newer than the database, each in its own transaction.
Result<MigrationOutcome> migrate(SqlConnection& sql);
// Succeeds when the database is at exactly the supported version; otherwise says what to do.
Result<int> check_schema(SqlConnection& sql);

}  // namespace accompany
