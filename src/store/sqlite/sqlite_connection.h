// SqlConnection on an SQLite file: WAL journal, foreign keys on, prepared statements cached.
#pragma once

#include "store/sql_connection.h"

namespace accompany {

Result<std::unique_ptr<SqlConnection>> open_sqlite_connection(const std::string& path, bool create);

}  // namespace accompany
