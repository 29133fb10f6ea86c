// Crash safety: SIGKILL `accompany import` and `accompany serve` (under write load) at seeded
// random moments, on SQLite and on PostgreSQL, then check what survived:
// - every write the client saw acknowledged (HTTP 201) is present, with what was sent;
// - no half-written state: an interrupted import leaves exactly the tables of the files
//   completed before it (one transaction per file), and `audit verify` passes (it names any row
//   without its audit entry and any entry whose row is missing or different);
// - re-running the imports completes, and running them again adds nothing.
// The seed is ACCOMPANY_CRASH_SEED when set (printed on failure to replay a run).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

#include "http/testing/http_client.h"
#include "store/sql_connection.h"
#include "store/testing/temporary_postgres.h"

extern char** environ;

namespace accompany {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kImportTrials = 25;  // per backend
constexpr int kServeTrials = 15;   // per backend: 80 kills in all
constexpr int kWriterThreads = 4;

unsigned seed() {
  const char* text = std::getenv("ACCOMPANY_CRASH_SEED");
  return text ? static_cast<unsigned>(std::strtoul(text, nullptr, 10)) : 20261123u;
}

fs::path scratch(const std::string& name) {
  return fs::temp_directory_path() / fmt::format("crash-{}-{}", getpid(), name);
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Starts `accompany args...` with stdout and stderr in files; returns its pid.
pid_t spawn(const std::vector<std::string>& args, const fs::path& out) {
  std::vector<std::string> all{ACCOMPANY_BINARY_PATH};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : all) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&files, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int failed = posix_spawn(&pid, argv[0], &files, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  return failed ? -1 : pid;
}

struct Finished {
  int exit_code = -1;  // -1 when killed
  std::string output;
};

Finished wait_for(pid_t pid, const fs::path& out) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out)};
}

Finished run(const std::vector<std::string>& args) {
  const auto out = scratch("out");
  return wait_for(spawn(args, out), out);
}

// Kills `pid` with SIGKILL after `delay` unless it ended first. Returns how long it ran when it
// ended by itself, or nothing when it was killed.
std::optional<std::chrono::microseconds> kill_after(pid_t pid, std::chrono::microseconds delay) {
  const auto start = Clock::now();
  while (Clock::now() < start + delay) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid)
      return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) return std::nullopt;
  return delay;
}

// What an import can have touched: every row count, compared as one snapshot.
const std::vector<std::string> kTables = {"children",  "sponsors",        "addresses",   "custody_events",
                                          "notices",   "hearings",        "welfare_checks", "contacts",
                                          "import_files", "import_row_keys", "quarantine", "unlinked_rows",
                                          "local_ids", "audit_log"};
using Snapshot = std::map<std::string, long long>;

Snapshot snapshot(const std::string& db) {
  Snapshot counts;
  auto sql = open_sql_connection(db, false);
  EXPECT_TRUE(sql) << sql.error().describe();
  if (!sql) return counts;
  for (const auto& table : kTables) {
    auto rows = (*sql)->query(fmt::format("SELECT count(*) FROM {}", table));
    EXPECT_TRUE(rows) << rows.error().describe();
    if (rows) counts[table] = rows->at(0).integer(0);
  }
  return counts;
}

std::string describe(const Snapshot& counts) {
  std::string text;
  for (const auto& [table, count] : counts) text += fmt::format("{}={} ", table, count);
  return text;
}

class CrashSafety : public ::testing::TestWithParam<Dialect> {
 protected:
  std::string fresh_database(const std::string& prefix) {
    auto location = testing::fresh_database_location(GetParam(), prefix);
    EXPECT_TRUE(location) << location.error().describe();
    const std::string db = location ? *location : "";
    auto created = run({"--db", db, "init"});
    EXPECT_EQ(created.exit_code, 0) << created.output;
    return db;
  }
  void expect_audit_verifies(const std::string& db, const std::string& when) {
    auto verified = run({"--db", db, "audit", "verify"});
    EXPECT_EQ(verified.exit_code, 0) << when << ": " << verified.output;
  }
  std::mt19937 random_{seed() + static_cast<unsigned>(GetParam())};
};

struct Feed {
  std::string kind;
  std::string file;
};

std::vector<Feed> synthetic_feeds(const fs::path& dir) {
  auto written = run({"synth", "--out", dir.string(), "--children", "300", "--seed", "7"});
  EXPECT_EQ(written.exit_code, 0) << written.output;
  return {{"cbp_custody", (dir / "cbp_custody.csv").string()},   {"orr_release", (dir / "orr_release.csv").string()},
          {"ice_nta", (dir / "ice_nta.jsonl").string()},         {"eoir_hearings", (dir / "eoir_hearings.psv").string()},
          {"orr_followup", (dir / "orr_followup.csv").string()}, {"address_changes", (dir / "address_changes.csv").string()}};
}

TEST_P(CrashSafety, KilledImportsLeaveWholeFilesOrNothingAndReRunWithoutDuplicates) {
  SCOPED_TRACE(fmt::format("ACCOMPANY_CRASH_SEED={}", seed()));
  const auto dir = scratch(fmt::format("feeds-{}", to_string(GetParam())));
  const auto feeds = synthetic_feeds(dir);
  const auto out = scratch("import-out");

  // The reference: each file imported undisturbed, the tables after each, and how long it took
  // (process start included; the trials narrow it down when the machine was busy).
  const std::string reference = fresh_database("crash_ref");
  std::vector<Snapshot> after{snapshot(reference)};
  std::vector<std::chrono::microseconds> took;
  for (const auto& feed : feeds) {
    const auto start = Clock::now();
    auto imported = run({"--db", reference, "import", "--kind", feed.kind, feed.file});
    took.push_back(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start));
    ASSERT_EQ(imported.exit_code, 0) << imported.output;
    after.push_back(snapshot(reference));
  }

  // Each trial imports the next file not yet in, and kills it at a random moment of its run.
  std::string db = fresh_database("crash_import");
  size_t next = 0;
  int killed = 0;
  int cut_short = 0;  // killed before its file was in
  for (int trial = 0; trial < kImportTrials; ++trial) {
    if (next == feeds.size()) {  // all in: start over on an empty database
      db = fresh_database("crash_import");
      next = 0;
    }
    const auto& feed = feeds[next];
    std::uniform_int_distribution<long> moment(0, took[next].count() * 11 / 10);
    const auto delay = std::chrono::microseconds(moment(random_));
    const pid_t pid = spawn({"--db", db, "import", "--kind", feed.kind, feed.file}, out);
    ASSERT_GT(pid, 0);
    if (auto ran = kill_after(pid, delay))
      took[next] = std::min(took[next], *ran);  // the reference run was slowed down; aim shorter
    else
      ++killed;
    const auto now = snapshot(db);
    // The file is either wholly in (its row in import_files and every table as in the
    // reference after it) or not at all (every table as before it).
    const size_t done = now.at("import_files") == static_cast<long long>(next + 1) ? next + 1 : next;
    EXPECT_EQ(now, after[done]) << "trial " << trial << " (" << feed.kind << ", killed after " << delay.count()
                                << " us): " << describe(now) << "\nexpected " << describe(after[done]);
    expect_audit_verifies(db, fmt::format("after import trial {}", trial));
    if (done == next) ++cut_short;
    next = done;
  }
  fmt::print("{} import trials: {} killed, {} before their file was in\n", kImportTrials, killed, cut_short);
  EXPECT_GT(cut_short, kImportTrials / 3) << "the kills must land inside imports, not after them";

  // Re-running completes and matches the undisturbed import; a second run adds nothing.
  for (size_t i = next; i < feeds.size(); ++i) {
    auto imported = run({"--db", db, "import", "--kind", feeds[i].kind, feeds[i].file});
    ASSERT_EQ(imported.exit_code, 0) << imported.output;
  }
  // The last database may have started over; compare it with the reference after all files.
  EXPECT_EQ(snapshot(db), after.back());
  for (const auto& feed : feeds) {
    auto again = run({"--db", db, "import", "--kind", feed.kind, feed.file});
    EXPECT_EQ(again.exit_code, 0) << again.output;
    EXPECT_NE(again.output.find("already imported"), std::string::npos) << again.output;
  }
  EXPECT_EQ(snapshot(db), after.back());
  expect_audit_verifies(db, "after re-running the imports");
  fs::remove_all(dir);
  fs::remove(out);
}

// A child's surname that names the write: letters only, as names must be.
std::string surname_for(int trial, int thread, int n) {
  std::string text = "Crash";
  for (int value : {trial, thread, n}) {
    std::string part;
    do {
      part.insert(part.begin(), static_cast<char>('a' + value % 26));
      value /= 26;
    } while (value > 0);
    text += "x" + part;
  }
  return text;
}

struct Acknowledged {
  long long id;
  std::string surname;
};

TEST_P(CrashSafety, KilledServerKeepsEveryAcknowledgedWrite) {
  SCOPED_TRACE(fmt::format("ACCOMPANY_CRASH_SEED={}", seed()));
  const std::string db = fresh_database("crash_serve");
  auto added = run({"--db", db, "user", "add", "crash-writer", "--role", "data_steward", "--service"});
  ASSERT_EQ(added.exit_code, 0) << added.output;
  std::smatch token;
  ASSERT_TRUE(std::regex_search(added.output, token, std::regex("acc_[A-Za-z0-9_]+"))) << added.output;
  const HeaderList headers{{"Authorization", "Bearer " + token.str()}, {"Content-Type", "application/json"}};
  const auto out = scratch("serve-out");

  std::vector<Acknowledged> acknowledged;
  int acknowledged_before = 0;
  for (int trial = 0; trial < kServeTrials; ++trial) {
    // Port 0: the server picks a free port and logs it, so no other test's server can answer.
    const pid_t pid = spawn({"--db", db, "serve", "--port", "0", "--threads", "2", "--log-level", "info"}, out);
    ASSERT_GT(pid, 0);
    int port = 0;
    bool up = false;
    const std::regex serving("serving .* on https?://[^ ]+:([0-9]+)");
    for (int attempt = 0; attempt < 1500 && !up; ++attempt) {
      std::smatch found;
      const std::string log = slurp(out);
      if (port == 0 && std::regex_search(log, found, serving)) port = std::stoi(found[1].str());
      up = port != 0 && testing::request(static_cast<unsigned short>(port), "GET", "/healthz").status == 200;
      if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!up) {
      ::kill(pid, SIGKILL);
      FAIL() << "server did not start on port " << port << ": " << wait_for(pid, out).output;
    }

    std::mutex mutex;
    std::atomic<int> sent{0};
    std::vector<std::thread> writers;
    for (int thread = 0; thread < kWriterThreads; ++thread) {
      writers.emplace_back([&, thread] {
        testing::HttpClient client(static_cast<unsigned short>(port));
        for (int n = 0;; ++n) {
          const std::string surname = surname_for(trial, thread, n);
          const auto body = fmt::format(
              R"({{"given_names":"Ana Lucía","paternal_surname":"{}","birth_date":"2010-03-04",)"
              R"("country_of_birth":"GT","languages":["spa"]}})",
              surname);
          ++sent;
          auto reply = client.send("POST", "/api/children", body, headers);
          if (reply.status == 201) {
            const auto id = boost::json::parse(reply.body).as_object().at("id").to_number<long long>();
            std::lock_guard lock(mutex);
            acknowledged.push_back({id, surname});
          } else if (!reply.error.empty() || reply.cut || reply.status == 0) {
            return;  // the server is gone
          } else {
            ADD_FAILURE() << "unexpected reply " << reply.status << ": " << reply.body;
            return;
          }
        }
      });
    }
    // The kill comes at a random moment once writes are flowing (a slow machine may take a while
    // to acknowledge the first).
    const auto give_up = Clock::now() + std::chrono::seconds(20);
    auto acknowledged_now = [&] {
      std::lock_guard lock(mutex);
      return static_cast<int>(acknowledged.size());
    };
    while (acknowledged_now() == acknowledged_before && Clock::now() < give_up)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::uniform_int_distribution<int> moment(0, 300'000);
    const auto delay = std::chrono::microseconds(moment(random_));
    EXPECT_FALSE(kill_after(pid, delay)) << "the server ended by itself: " << slurp(out);
    for (auto& writer : writers) writer.join();
    EXPECT_GT(static_cast<int>(acknowledged.size()), acknowledged_before)
        << "trial " << trial << ": no write was acknowledged before the kill (" << sent << " sent)";
    fmt::print("serve trial {}: killed after {} us, {} writes sent, {} acknowledged\n", trial, delay.count(),
               sent.load(), static_cast<int>(acknowledged.size()) - acknowledged_before);
    acknowledged_before = static_cast<int>(acknowledged.size());

    // Every acknowledged child is there, whole, with what was sent.
    auto sql = open_sql_connection(db, false);
    ASSERT_TRUE(sql) << sql.error().describe();
    auto rows = (*sql)->query("SELECT id, paternal_surname, given_names, birth_date FROM children");
    ASSERT_TRUE(rows) << rows.error().describe();
    std::map<long long, std::string> present;
    for (const auto& row : *rows) {
      present[row.integer(0)] = row.text(1);
      EXPECT_EQ(row.text(2), "Ana Lucía") << "child " << row.integer(0);
      EXPECT_EQ(row.text(3), "2010-03-04") << "child " << row.integer(0);
    }
    for (const auto& write : acknowledged) {
      auto found = present.find(write.id);
      ASSERT_NE(found, present.end()) << "trial " << trial << ": acknowledged child " << write.id << " is missing";
      EXPECT_EQ(found->second, write.surname) << "child " << write.id;
    }
    // Unacknowledged writes may or may not have landed, but nothing beyond what was sent.
    EXPECT_LE(present.size(), acknowledged.size() + static_cast<size_t>(kWriterThreads) * (trial + 1));
    expect_audit_verifies(db, fmt::format("after serve trial {}", trial));
  }
  fs::remove(out);
}

INSTANTIATE_TEST_SUITE_P(Backends, CrashSafety, ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace accompany
