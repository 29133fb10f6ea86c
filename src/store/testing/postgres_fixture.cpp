// accompany-test-postgres start|stop DIR: ctest's setup and cleanup fixture, so one throwaway
// server serves every PostgreSQL test of a `ctest` run.
#include <fmt/format.h>

#include <string>

#include "store/testing/temporary_postgres.h"

int main(int argc, char** argv) {
  using accompany::testing::TemporaryPostgres;
  if (argc != 3 || (std::string(argv[1]) != "start" && std::string(argv[1]) != "stop")) {
    fmt::print(stderr, "usage: accompany-test-postgres start|stop DIR\n");
    return 2;
  }
  const std::string directory = argv[2];
  if (std::string(argv[1]) == "start") {
    if (auto old = TemporaryPostgres::attach(directory)) (void)old->stop();  // left over from an aborted run
    auto server = TemporaryPostgres::start(directory);
    if (!server) {
      fmt::print(stderr, "{}\n", server.error().describe());
      return 1;
    }
    fmt::print("test PostgreSQL running: {}\n", server->admin_url());
    return 0;
  }
  auto server = TemporaryPostgres::attach(directory);
  if (!server) return 0;
  if (auto stopped = server->stop(); !stopped) {
    fmt::print(stderr, "{}\n", stopped.error().describe());
    return 1;
  }
  return 0;
}
