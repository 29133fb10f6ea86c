// SqlConnection on a PostgreSQL server through libpq, with server-side prepared statements.
#pragma once

#include "store/sql_connection.h"

namespace accompany {

Result<std::unique_ptr<SqlConnection>> open_postgres_connection(const std::string& url);
// The URL with any password replaced by "***", for logs and messages.
std::string redact_postgres_url(std::string_view url);

}  // namespace accompany
