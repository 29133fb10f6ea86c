// accompany audit verify: walks the hash chain and every audited record; names the first break.
// accompany audit report: who read children's records since a date, flagging unusual volume.
#include <fmt/format.h>

#include <map>
#include <set>

#include "cli/commands.h"
#include "common/build_info.h"
#include "store/store.h"

namespace accompany {

void add_audit_report_command(CLI::App* audit, const GlobalOptions& global, int& exit_code);

void add_audit_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto* audit = app.add_subcommand("audit", "Work with the tamper-evident audit log");
  audit->require_subcommand(1);
  add_audit_report_command(audit, global, exit_code);
  auto* verify = audit->add_subcommand(
      "verify",
      "Check the audit hash chain and every audited record against it; exits 1 and names the first broken entry "
      "if anything was changed outside Accompany");
  verify->callback([&global, &exit_code] {
    SystemClock clock;
    auto store = Store::open(resolve_database_location(global.database), clock);
    if (!store) {
      exit_code = report_failure(store.error().describe());
      return;
    }
    auto report = (*store)->verify_audit();
    if (!report) {
      exit_code = report_failure(report.error().describe());
      return;
    }
    if (report->ok()) {
      fmt::print("Audit log verified: {} entries, {} records, chain head {}.\n", report->entries_checked,
                 report->rows_checked, report->head_hash);
      return;
    }
    fmt::print(stderr, "Audit log does NOT verify ({} entries, {} records checked):\n", report->entries_checked,
               report->rows_checked);
    for (const auto& problem : report->problems) fmt::print(stderr, "  - {}\n", problem);
    exit_code = 1;
  });
}

namespace {

struct ReadSummary {
  std::int64_t reads = 0;
  std::set<std::int64_t> children;
  std::int64_t busiest_hour_reads = 0;
  std::string busiest_hour;
  std::int64_t break_glass = 0;
};

}  // namespace

void add_audit_report_command(CLI::App* audit, const GlobalOptions& global, int& exit_code) {
  auto since = std::make_shared<std::string>();
  auto threshold = std::make_shared<std::int64_t>(100);
  auto* report = audit->add_subcommand(
      "report",
      "Summarize who read children's records since a date, and flag unusual volume (one user reading "
      "many records in an hour)");
  report->add_option("--since", *since, "First day to include, YYYY-MM-DD (UTC)")->required();
  report
      ->add_option("--hourly-threshold", *threshold,
                   "Flag a user who read more children's records than this in "
                   "one hour")
      ->capture_default_str();
  report->callback([&global, &exit_code, since, threshold] {
    auto day = parse_date("--since", *since);
    if (!day) {
      exit_code = report_failure(day.error().describe());
      return;
    }
    SystemClock clock;
    auto store = Store::open(resolve_database_location(global.database), clock);
    if (!store) {
      exit_code = report_failure(store.error().describe());
      return;
    }
    std::map<std::string, ReadSummary> by_actor;
    auto done = (*store)->read([&](SqlConnection& sql) -> Status {
      const SqlValue params[] = {format_date(*day) + "T00:00:00Z"};
      // Instants are fixed-width UTC text, so the first 13 characters name the hour.
      ACCOMPANY_CHECK(sql.for_each_row(
          "SELECT actor, entity_id FROM audit_log WHERE entity = 'children' AND action = 'read' AND at >= $1", params,
          [&](const SqlRow& row) -> Status {
            auto& summary = by_actor[row.text(0)];
            ++summary.reads;
            summary.children.insert(row.integer(1));
            return {};
          }));
      ACCOMPANY_CHECK(sql.for_each_row(
          "SELECT actor, substr(at, 1, 13), count(DISTINCT entity_id) FROM audit_log WHERE entity = 'children' AND "
          "action = 'read' AND at >= $1 GROUP BY actor, substr(at, 1, 13)",
          params, [&](const SqlRow& row) -> Status {
            auto& summary = by_actor[row.text(0)];
            if (row.integer(2) > summary.busiest_hour_reads) {
              summary.busiest_hour_reads = row.integer(2);
              summary.busiest_hour = row.text(1) + ":00Z";
            }
            return {};
          }));
      return sql.for_each_row(
          "SELECT actor, count(*) FROM audit_log WHERE entity = 'break_glass_grants' AND action = 'insert' AND at >= "
          "$1 GROUP BY actor",
          params, [&](const SqlRow& row) -> Status {
            by_actor[row.text(0)].break_glass = row.integer(1);
            return {};
          });
    });
    if (!done) {
      exit_code = report_failure(done.error().describe());
      return;
    }
    fmt::print("Reads of children's records since {}:\n", format_date(*day));
    fmt::print("{:<24} {:>8} {:>9} {:>12} {:>11}  {}\n", "user", "reads", "children", "busiest hour", "break-glass",
               "flag");
    int flagged = 0;
    for (const auto& [actor, summary] : by_actor) {
      const bool unusual = summary.busiest_hour_reads > *threshold;
      flagged += unusual;
      fmt::print("{:<24} {:>8} {:>9} {:>12} {:>11}  {}\n", actor, summary.reads, summary.children.size(),
                 summary.busiest_hour_reads, summary.break_glass,
                 unusual ? fmt::format("UNUSUAL: {} children in the hour from {}", summary.busiest_hour_reads,
                                       summary.busiest_hour)
                         : "");
    }
    if (by_actor.empty()) fmt::print("(no reads)\n");
    fmt::print("{} user(s) flagged (more than {} children's records in one hour).\n", flagged, *threshold);
  });
}

void add_version_command(CLI::App& app, int& exit_code) {
  auto* version = app.add_subcommand("version", "Print this build's version, commit and supported schema versions");
  version->callback([&exit_code] {
    exit_code = 0;
    fmt::print("accompany {} (commit {}), schema version {} (SQLite) / {} (PostgreSQL)\n", kBuildVersion, kBuildCommit,
               supported_schema_version(Dialect::sqlite), supported_schema_version(Dialect::postgres));
  });
}

}  // namespace accompany
