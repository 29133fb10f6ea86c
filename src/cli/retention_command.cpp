// accompany retention purge: removes closed cases past retention (docs/retention.md), audited.
#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "store/retention.h"

namespace accompany {

namespace {

void print_summary(const PurgeSummary& summary, const std::string& closed_before) {
  fmt::print("{} {} case(s) closed before {}{}\n", summary.dry_run ? "Would purge" : "Purged", summary.cases.size(),
             closed_before, summary.dry_run ? " (dry run: nothing changed)" : "");
  for (const auto& closed : summary.cases) fmt::print("  child {}  closed {}\n", closed.child_id, closed.closed_at);
  for (const auto& [table, rows] : summary.rows) fmt::print("  {:<28} {:>8} rows\n", table, rows);
}

}  // namespace

void add_retention_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  struct Options {
    std::string closed_before;
    std::string reason;
    bool dry_run = false;
  };
  auto options = std::make_shared<Options>();
  auto* retention = app.add_subcommand("retention", "Retention of closed cases (docs/retention.md)");
  retention->require_subcommand(1);
  auto* purge = retention->add_subcommand(
      "purge", "Remove every record of the cases closed before a date; the audit log keeps who, when and why");
  purge->add_option("--closed-before", options->closed_before, "YYYY-MM-DD: purge cases closed before this day")
      ->required();
  purge->add_option("--reason", options->reason, "Why (the retention rule or decision); recorded in the audit log")
      ->required();
  purge->add_flag("--dry-run", options->dry_run, "List the cases and count the rows; change nothing");
  purge->callback([&global, &exit_code, options] {
    auto before = parse_date("--closed-before", options->closed_before);
    if (!before) {
      exit_code = report_failure(before.error().describe());
      return;
    }
    with_store(global, exit_code, [&](Store& store) {
      auto summary = purge_closed_cases(store, cli_actor("").actor, *before, options->reason, options->dry_run);
      if (!summary) return report_failure(summary.error().describe());
      print_summary(*summary, options->closed_before);
      return 0;
    });
  });
}

}  // namespace accompany
