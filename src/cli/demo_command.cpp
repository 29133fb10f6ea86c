// accompany demo: a populated system for a newcomer in under a minute. On an empty database it
// generates a synthetic population (children who never existed), imports its feeds and runs
// triage; every run (re)creates one demo account per role with a fresh password and prints them.
#include <fmt/format.h>
#include <sodium.h>

#include <filesystem>

#include "access/accounts.h"
#include "cli/commands.h"
#include "ingest/feed.h"
#include "ingest/importer.h"
#include "store/store.h"
#include "synth/feed_files.h"
#include "triage/rule_set.h"
#include "triage/triage_store.h"

namespace accompany {
namespace {

struct DemoAccount {
  const char* name;
  Role role;
  const char* organization;
};

constexpr DemoAccount kDemoAccounts[] = {
    {"demo.supervisor", Role::supervisor, ""},
    {"demo.caseworker", Role::caseworker, ""},
    {"demo.agent", Role::contact_center_agent, ""},
    {"demo.steward", Role::data_steward, ""},
    {"demo.legal", Role::legal_partner, "Demo Legal Aid"},
    {"demo.oversight", Role::oversight, ""},
    {"demo.admin", Role::administrator, ""},
};

// 20 letters and digits from libsodium's generator: easy to type, long enough for argon2id.
std::string fresh_password() {
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string password;
  for (int i = 0; i < 20; ++i) password += kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)];
  return password;
}

Result<std::int64_t> count_children(Store& store) {
  std::int64_t count = 0;
  ACCOMPANY_CHECK(store.read([&](SqlConnection& sql) -> Status {
    ACCOMPANY_TRY(rows, sql.query("SELECT count(*) FROM children"));
    count = rows.at(0).integer(0);
    return {};
  }));
  return count;
}

Status populate(Store& store, std::uint32_t children, std::uint64_t seed) {
  const auto folder = std::filesystem::temp_directory_path() / fmt::format("accompany-demo-{}", getpid());
  synth::SynthOptions options;
  options.children = children;
  options.seed = seed;
  options.out = folder;
  options.rates = synth::default_rates();
  ACCOMPANY_TRY(written, synth::write_population(options));
  fmt::print("Generated {} synthetic children ({} feed rows) in {:.1f} s.\n", written.children, written.total_rows(),
             written.seconds);
  for (const auto& [kind, name] : kFeedKindNames) {
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      if (entry.path().stem() != name) continue;
      ACCOMPANY_TRY(summary, import_file(store, kind, entry.path().string(), {"system:demo", {}}));
      fmt::print("  {}\n", summary.describe());
    }
  }
  std::filesystem::remove_all(folder);
  ACCOMPANY_TRY(rules, builtin_rule_set());
  ACCOMPANY_TRY(triaged, run_triage(store, rules, {"system:demo", "demo: first triage"}));
  fmt::print("Triage of {} cases: {} tasks opened in {:.1f} s.\n", triaged.cases, triaged.opened, triaged.seconds);
  return {};
}

// Caseworkers see only the children assigned to them, so the demo caseworker gets a caseload:
// 25 open tasks, assigned as a supervisor would (audited), unless they already have one.
Status assign_demo_caseload(Store& store) {
  return store.transact({"system:demo", "demo caseload"}, [](UnitOfWork& unit) -> Status {
    const SqlValue name[] = {std::string("demo.caseworker")};
    ACCOMPANY_TRY(assigned, unit.sql().query("SELECT count(*) FROM tasks WHERE assignee = $1", name));
    if (assigned.at(0).integer(0) > 0) return {};
    ACCOMPANY_TRY(open,
                  unit.sql().query("SELECT id FROM tasks WHERE status = 'open' AND assignee = '' ORDER BY id LIMIT 25"));
    for (const auto& row : open) ACCOMPANY_CHECK(assign_task(unit, row.integer(0), "demo.caseworker"));
    return {};
  });
}

}  // namespace

void add_demo_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  struct Options {
    std::uint32_t children = 20000;
    std::uint64_t seed = 2026;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "demo",
      "Fill an empty database with synthetic children (never real people) and print demo logins, one per "
      "role, with fresh passwords");
  command->add_option("--children", options->children, "How many synthetic children for an empty database")
      ->capture_default_str();
  command->add_option("--seed", options->seed, "Seed of the synthetic population")->capture_default_str();
  command->callback([&global, &exit_code, options] {
    const std::string location = resolve_database_location(global.database);
    SystemClock clock;
    auto run = [&]() -> Status {
      ACCOMPANY_CHECK(Store::initialize(location));
      ACCOMPANY_CHECK(ensure_field_key(global, location));
      ACCOMPANY_TRY(store, Store::open(location, clock));
      ACCOMPANY_TRY(children, count_children(*store));
      if (children == 0)
        ACCOMPANY_CHECK(populate(*store, options->children, options->seed));
      else
        fmt::print("The database already holds {} children; leaving them as they are.\n", children);
      Accounts accounts(*store);
      ACCOMPANY_TRY(users, accounts.list());
      const AuditContext context{"system:demo", "demo accounts"};
      fmt::print("\nDemo logins (new passwords on every run):\n");
      for (const auto& account : kDemoAccounts) {
        const std::string password = fresh_password();
        const bool exists =
            std::any_of(users.begin(), users.end(), [&](const User& u) { return u.name == account.name; });
        if (exists)
          ACCOMPANY_CHECK(accounts.reset_password(context, account.name, password));
        else
          ACCOMPANY_CHECK(accounts.add_person(context, account.name, account.role, account.organization, password));
        fmt::print("  {:<16} {:<21} password: {}\n", account.name, enum_name(kRoleNames, account.role), password);
      }
      return assign_demo_caseload(*store);
    };
    if (auto done = run(); !done) exit_code = report_failure(done.error().describe());
  });
}

}  // namespace accompany
