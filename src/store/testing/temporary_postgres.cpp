#include "store/testing/temporary_postgres.h"

#include <fmt/format.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>

#include "store/sql_connection.h"
#include "security/digest.h"
#include "security/field_cipher.h"

namespace accompany::testing {
namespace {

namespace fs = std::filesystem;

std::string postgres_bin() {
  for (const char* dir : {"/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"})
    if (fs::exists(fs::path(dir) / "initdb")) return dir;
  return "";
}

bool running_as_root() {
  return geteuid() == 0;
}

// Where the server's files go: RAM (/dev/shm) when it has room, because a test run creates
// hundreds of databases and deleting their files from a disk mounted with `discard` takes
// half a minute; otherwise beside the socket.
std::string data_directory_for(const std::string& directory) {
  constexpr unsigned long long kNeeded = 4ULL << 30;
  struct statvfs shm {};
  if (::statvfs("/dev/shm", &shm) == 0 && static_cast<unsigned long long>(shm.f_bavail) * shm.f_frsize >= kNeeded)
    // Named after the whole absolute path, not just its last part: two servers in directories
    // that share a last name (bench scripts all use "$WORK/pg") would otherwise share, and
    // each start would wipe, the same data directory.
    return fmt::format("/dev/shm/{}-{:016x}-data", fs::path(directory).filename().string(),
                       std::hash<std::string>{}(fs::absolute(directory).lexically_normal().string()));
  return directory + "/data";
}

// The data directory a started server recorded (see start()).
std::string recorded_data_directory(const std::string& directory) {
  std::ifstream in(directory + "/data_dir");
  std::string path;
  std::getline(in, path);
  return path.empty() ? directory + "/data" : path;
}

// Runs a command, as the postgres user when we are root. Output goes to `log`.
Status run(const std::string& command, const std::string& log) {
  std::string full = running_as_root() ? "runuser -u postgres -- " + command : command;
  full += " >>" + log + " 2>&1";
  if (std::system(full.c_str()) != 0)
    return make_error(ErrorCode::unavailable, fmt::format("test PostgreSQL: `{}` failed; see {}", command, log));
  return {};
}

// A port number is still part of the socket file's name, so pick one nobody else uses.
int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  const int port = ntohs(address.sin_port);
  ::close(fd);
  return port;
}

}  // namespace

Result<TemporaryPostgres> TemporaryPostgres::start(const std::string& directory) {
  const std::string bin = postgres_bin();
  if (bin.empty())
    return make_error(ErrorCode::unavailable,
                      "PostgreSQL server binaries not found under /usr/lib/postgresql; run scripts/install-deps");
  fs::create_directories(directory);
  const std::string log = directory + "/server.log";
  if (running_as_root()) {
    const passwd* user = getpwnam("postgres");
    if (!user) return make_error(ErrorCode::unavailable, "no `postgres` user; install the postgresql-15 package");
    // The server runs as postgres, which must own its directory.
    if (::chown(directory.c_str(), user->pw_uid, user->pw_gid) != 0)
      return make_error(ErrorCode::unavailable, fmt::format("cannot give {} to the postgres user", directory));
    fs::permissions(directory, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
    std::ofstream(log).flush();
    (void)::chown(log.c_str(), user->pw_uid, user->pw_gid);
  }
  const int port = free_port();
  const std::string data = data_directory_for(directory);
  fs::remove_all(data);
  if (running_as_root()) {
    fs::create_directories(data);
    const passwd* user = getpwnam("postgres");
    if (::chown(data.c_str(), user->pw_uid, user->pw_gid) != 0)
      return make_error(ErrorCode::unavailable, fmt::format("cannot give {} to the postgres user", data));
  }
  std::ofstream(directory + "/data_dir") << data << "\n";
  ACCOMPANY_CHECK(run(fmt::format("{}/initdb -D {} -U postgres -A trust -E UTF8 --no-locale", bin, data), log));
  ACCOMPANY_CHECK(
      run(fmt::format("{}/pg_ctl -D {} -l {}/postgres.log -w -t 60 -o \"-p {} -k {} -c "
                      "listen_addresses='' -c fsync=off -c synchronous_commit=off -c "
                      "full_page_writes=off -c max_connections=200 -c wal_level=minimal -c max_wal_senders=0\" start",
                      bin, data, directory, port, directory),
          log));
  std::ofstream(directory + "/port") << port << "\n";
  return TemporaryPostgres(directory, port);
}

Result<TemporaryPostgres> TemporaryPostgres::attach(const std::string& directory) {
  std::ifstream in(directory + "/port");
  int port = 0;
  if (!(in >> port))
    return make_error(ErrorCode::unavailable, fmt::format("no test PostgreSQL server was started in {}", directory));
  return TemporaryPostgres(directory, port);
}

std::string TemporaryPostgres::admin_url() const {
  return fmt::format("postgresql://postgres@/postgres?host={}&port={}", directory_, port_);
}

Result<std::string> TemporaryPostgres::create_database(const std::string& name_prefix) const {
  static std::atomic<int> counter{0};
  const std::string name = fmt::format("{}_{}_{}", name_prefix, getpid(), counter++);
  ACCOMPANY_TRY(admin, open_sql_connection(admin_url(), false));
  // FILE_COPY copies the template's files instead of writing every block to the WAL (the
  // PostgreSQL 15 default), which keeps hundreds of test databases cheap.
  ACCOMPANY_CHECK(admin->execute_script(fmt::format("CREATE DATABASE \"{}\" STRATEGY = FILE_COPY", name)));
  return fmt::format("postgresql://postgres@/{}?host={}&port={}", name, directory_, port_);
}

Status TemporaryPostgres::stop() const {
  const std::string bin = postgres_bin();
  const std::string data = recorded_data_directory(directory_);
  ACCOMPANY_CHECK(run(fmt::format("{}/pg_ctl -D {} -m immediate -w stop", bin, data), directory_ + "/server.log"));
  std::error_code ignored;
  fs::remove_all(data, ignored);
  fs::remove_all(directory_, ignored);
  return {};
}

Result<std::string> fresh_test_database(const std::string& name_prefix) {
  static std::mutex mutex;
  static std::optional<TemporaryPostgres> server;
  std::lock_guard lock(mutex);
  if (!server) {
    if (const char* dir = std::getenv("ACCOMPANY_TEST_POSTGRES_DIR");
        dir && *dir && fs::exists(fs::path(dir) / "port")) {
      ACCOMPANY_TRY(attached, TemporaryPostgres::attach(dir));
      server = attached;
    } else {
      const std::string dir_name = fmt::format("/tmp/accompany-pg-{}", getpid());
      ACCOMPANY_TRY(started, TemporaryPostgres::start(dir_name));
      server = started;
      std::atexit([] { (void)server->stop(); });
    }
  }
  return server->create_database(name_prefix);
}

}  // namespace accompany::testing

namespace accompany::testing {

Result<std::string> fresh_database_location(Dialect dialect, const std::string& name_prefix) {
  if (dialect == Dialect::postgres) {
    // `accompany` needs a key file for a PostgreSQL database (docs/security.md); the binaries a
    // test runs inherit this one.
    static const bool key_named = [] {
      initialize_crypto();
      const auto path = std::filesystem::temp_directory_path() / fmt::format("accompany-test-{}.key", getpid());
      std::filesystem::remove(path);
      if (!create_key_file(path.string())) return false;
      ::setenv("ACCOMPANY_KEY_FILE", path.c_str(), 0);
      std::atexit([] {
        std::error_code ignored;
        std::filesystem::remove(std::filesystem::temp_directory_path() / fmt::format("accompany-test-{}.key", getpid()),
                                ignored);
      });
      return true;
    }();
    if (!key_named) return make_error(ErrorCode::unavailable, "could not write a test key file");
    return fresh_test_database(name_prefix);
  }
  static std::atomic<int> counter{0};
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("accompany-test-{}", getpid());
  std::filesystem::create_directories(dir);
  static const bool cleanup_registered = [] {
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(std::filesystem::temp_directory_path() / fmt::format("accompany-test-{}", getpid()),
                                  ignored);
    });
    return true;
  }();
  (void)cleanup_registered;
  return (dir / fmt::format("{}_{}.db", name_prefix, counter++)).string();
}

}  // namespace accompany::testing
