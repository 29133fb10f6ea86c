// A throwaway PostgreSQL server for tests: initdb in a temporary directory, a unix socket in
// that directory (no TCP port to collide on), fsync off. As root it runs everything as the
// `postgres` user, because PostgreSQL refuses to run as root.
#pragma once

#include <string>

#include "common/error.h"

namespace accompany::testing {

class TemporaryPostgres {
 public:
  // Starts a server in `directory` (created; must not hold another server).
  static Result<TemporaryPostgres> start(const std::string& directory);
  // Attaches to a server another process started in `directory` (see postgres_fixture.cpp).
  static Result<TemporaryPostgres> attach(const std::string& directory);

  // A new empty database; returns its postgresql:// URL.
  Result<std::string> create_database(const std::string& name_prefix) const;
  std::string admin_url() const;
  Status stop() const;
  const std::string& directory() const { return directory_; }

 private:
  TemporaryPostgres(std::string directory, int port) : directory_(std::move(directory)), port_(port) {}
  std::string directory_;
  int port_;
};

// For a test binary: the server named by $ACCOMPANY_TEST_POSTGRES_DIR (started by the ctest
// fixture), or else one started for this process and stopped at exit.
Result<std::string> fresh_test_database(const std::string& name_prefix);

}  // namespace accompany::testing

#include "store/sql_connection.h"

namespace accompany::testing {

// A location for a new, empty database of the given kind: a fresh SQLite file path under
// the temp directory, or a fresh database on the test PostgreSQL server.
Result<std::string> fresh_database_location(Dialect dialect, const std::string& name_prefix);

}  // namespace accompany::testing
