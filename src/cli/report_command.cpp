// accompany report oversight: the inspector general's measures and Accompany's follow-through,
// per fiscal year, as a table, CSV or an Excel workbook.
#include <fmt/format.h>

#include <fstream>
#include <memory>

#include "cli/commands.h"
#include "report/oversight_store.h"
#include "store/store.h"

namespace accompany {

void add_report_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  struct Options {
    std::string by = "fiscal-year";
    std::string format = "table";
    std::string out;
  };
  auto options = std::make_shared<Options>();
  auto* report = app.add_subcommand("report", "Aggregate reports (no child identities)");
  report->require_subcommand(1);
  auto* oversight = report->add_subcommand(
      "oversight",
      "Per fiscal year of release: children released, without a notice served, with a failure to appear, with "
      "address defects, unreachable at follow-up; and gaps opened, closed, median days to close, tasks overdue");
  oversight->add_option("--by", options->by, "Grouping (fiscal-year: 1 October to 30 September)")
      ->check(CLI::IsMember({"fiscal-year"}));
  oversight->add_option("--format", options->format, "table, csv or xlsx")
      ->check(CLI::IsMember({"table", "csv", "xlsx"}));
  oversight->add_option("--out", options->out, "Write to this file (required for xlsx; default: standard output)");
  oversight->callback([&global, &exit_code, options] {
    if (options->format == "xlsx" && options->out.empty()) {
      exit_code = report_failure("--format xlsx writes a workbook: give --out FILE.xlsx");
      return;
    }
    SystemClock clock;
    auto store = Store::open(resolve_database_location(global.database), clock);
    if (!store) {
      exit_code = report_failure(store.error().describe());
      return;
    }
    std::vector<OversightRow> rows;
    auto loaded = (*store)->read([&](SqlConnection& sql) -> Status {
      ACCOMPANY_TRY(loaded, load_oversight(sql, clock.now()));
      rows = std::move(loaded);
      return {};
    });
    if (!loaded) {
      exit_code = report_failure(loaded.error().describe());
      return;
    }
    if (options->format == "xlsx") {
      if (auto written = write_oversight_xlsx(rows, options->out); !written)
        exit_code = report_failure(written.error().describe());
      return;
    }
    const std::string text = options->format == "csv" ? oversight_csv(rows) : oversight_table(rows);
    if (options->out.empty()) {
      fmt::print("{}", text);
      return;
    }
    std::ofstream file(options->out, std::ios::binary);
    file << text;
    if (!file) exit_code = report_failure(fmt::format("cannot write {}", options->out));
  });
}

}  // namespace accompany
