// accompany quarantine list|show|retry|discard: the data steward's work on rows that did not
// validate on import.
#include <fmt/format.h>

#include <cstdlib>
#include <memory>

#include "cli/commands.h"
#include "ingest/quarantine.h"

namespace accompany {
namespace {

struct QuarantineArgs {
  bool all = false;
  int limit = 100;
  Id id = 0;
  std::string reason;
};

AuditContext steward(std::string_view purpose) {
  return cli_actor(purpose);
}

}  // namespace

void add_quarantine_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<QuarantineArgs>();
  auto* quarantine = app.add_subcommand("quarantine", "Work the quarantine of feed rows that did not validate");
  quarantine->require_subcommand(1);

  auto* list = quarantine->add_subcommand("list", "List quarantined rows waiting for a decision, oldest first");
  list->add_flag("--all", args->all, "Also list rows already imported, found duplicate or discarded");
  list->add_option("--limit", args->limit, "List at most this many rows")->check(CLI::PositiveNumber);
  list->callback([args, &global, &exit_code] {
    with_store(global, exit_code, [&](Store& store) {
      auto rows = list_quarantine(store, args->all, args->limit);
      if (!rows) return report_failure(rows.error().describe());
      if (rows->empty()) fmt::print("The quarantine is empty.\n");
      for (const auto& row : *rows)
        fmt::print("{:>6}  {:<9}  {}:{}  {}: {}\n", row.id, enum_name(kQuarantineStatusNames, row.status),
                   row.file_name, row.line, row.field, row.reason);
      return 0;
    });
  });

  auto* show = quarantine->add_subcommand("show", "Show one quarantined row whole (the read is audited)");
  show->add_option("id", args->id, "Quarantined row id (from `quarantine list`)")->required();
  show->callback([args, &global, &exit_code] {
    with_store(global, exit_code, [&](Store& store) {
      auto row = show_quarantined(store, args->id, steward("quarantine review"));
      if (!row) return report_failure(row.error().describe());
      fmt::print(
          "id:        {}\nstatus:    {}\nfeed:      {}\nfile:      {}\nline:      {}\nrow key:   {}\n"
          "field:     {}\nvalue:     {}\nreason:    {}\nreceived:  {}\nraw row:   {}\n",
          row->id, enum_name(kQuarantineStatusNames, row->status), row->kind, row->file_name, row->line, row->row_key,
          row->field, row->value, row->reason, format_timestamp(row->received_at), row->raw);
      if (row->resolved_at)
        fmt::print("resolved:  {} by {}: {}\n", format_timestamp(*row->resolved_at), row->resolved_by, row->resolution);
      return 0;
    });
  });

  auto* retry = quarantine->add_subcommand(
      "retry", "Validate a quarantined row again (after a fix to reference data) and import it if it now passes");
  retry->add_option("id", args->id, "Quarantined row id")->required();
  retry->callback([args, &global, &exit_code] {
    with_store(global, exit_code, [&](Store& store) {
      auto outcome = retry_quarantined(store, args->id, steward("quarantine retry"));
      if (!outcome) return report_failure(outcome.error().describe());
      fmt::print("Quarantined row {}: {}\n", args->id, outcome->description);
      return outcome->resolved ? 0 : 1;
    });
  });

  auto* discard = quarantine->add_subcommand("discard", "Discard a quarantined row for good, saying why (audited)");
  discard->add_option("id", args->id, "Quarantined row id")->required();
  discard->add_option("--reason", args->reason, "Why the row is discarded")->required();
  discard->callback([args, &global, &exit_code] {
    with_store(global, exit_code, [&](Store& store) {
      auto done = discard_quarantined(store, args->id, args->reason, steward("quarantine discard"));
      if (!done) return report_failure(done.error().describe());
      fmt::print("Quarantined row {} discarded: {}\n", args->id, args->reason);
      return 0;
    });
  });
}

}  // namespace accompany
