// accompany audit verify: walks the hash chain and every audited record; names the first break.
#include <fmt/format.h>

#include "cli/commands.h"
#include "common/build_info.h"
#include "store/store.h"

namespace accompany {

void add_audit_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto* audit = app.add_subcommand("audit", "Work with the tamper-evident audit log");
  audit->require_subcommand(1);
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

void add_version_command(CLI::App& app, int& exit_code) {
  auto* version = app.add_subcommand("version", "Print this build's version, commit and supported schema versions");
  version->callback([&exit_code] {
    exit_code = 0;
    fmt::print("accompany {} (commit {}), schema version {} (SQLite) / {} (PostgreSQL)\n", kBuildVersion, kBuildCommit,
               supported_schema_version(Dialect::sqlite), supported_schema_version(Dialect::postgres));
  });
}

}  // namespace accompany
