// accompany import --kind KIND FILE...: takes agency feed files in (docs/import.md), with a
// progress bar on a terminal and a one-line summary per file always.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <memory>

#include "cli/commands.h"
#include "ingest/arrival_linker.h"
#include "ingest/importer.h"

namespace accompany {
namespace {

struct ImportArgs {
  std::string kind;
  std::vector<std::string> files;
  bool no_link_on_arrival = false;
};

// Redraws one status line on stderr at most every 200 ms.
class ProgressBar {
 public:
  explicit ProgressBar(std::string label) : label_(std::move(label)), started_(Clock::now()) {}
  void update(const ImportProgress& p) {
    const auto now = Clock::now();
    if (p.bytes_read < p.file_size && now - drawn_ < std::chrono::milliseconds(200)) return;
    drawn_ = now;
    const double seconds = std::chrono::duration<double>(now - started_).count();
    const double fraction = p.file_size ? static_cast<double>(p.bytes_read) / static_cast<double>(p.file_size) : 1.0;
    const double rate = seconds > 0 ? static_cast<double>(p.rows_read) / seconds : 0.0;
    const double eta = fraction > 0 ? seconds * (1.0 - fraction) / fraction : 0.0;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(fraction * kWidth);
    fmt::print(stderr, "\r{} [{}{}] {:3.0f}% {} rows {:.0f} rows/s ETA {:.0f}s ", label_, std::string(filled, '#'),
               std::string(kWidth - filled, '.'), fraction * 100, p.rows_read, rate, eta);
  }
  void finish() { fmt::print(stderr, "\r\033[K"); }

 private:
  using Clock = std::chrono::steady_clock;
  std::string label_;
  Clock::time_point started_;
  Clock::time_point drawn_{};
};

}  // namespace

void add_import_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<ImportArgs>();
  auto* command = app.add_subcommand(
      "import",
      "Import agency feed files: valid rows are added and linked to children, bad rows are kept in the quarantine, "
      "rows for unknown children wait in the unlinked pool; a file imported before adds nothing");
  std::vector<std::string> kinds;
  for (const auto& [kind, name] : kFeedKindNames) kinds.emplace_back(name);
  command->add_option("--kind", args->kind, "Which feed the files are")->required()->check(CLI::IsMember(kinds));
  command->add_option("files", args->files, "Feed files to import")->required()->check(CLI::ExistingFile);
  command->add_flag("--no-link-on-arrival", args->no_link_on_arrival,
                    "Pool rows naming no known child without linking them against the store (they wait for "
                    "`accompany link --full`); by default they are linked on arrival with the last link --full's model");
  command->callback([args, &global, &exit_code] {
    SystemClock clock;
    auto store = Store::open(resolve_database_location(global.database), clock);
    if (!store) {
      exit_code = report_failure(store.error().describe());
      return;
    }
    const FeedKind kind = *parse_enum(kFeedKindNames, "kind", args->kind);
    const bool terminal = ::isatty(STDERR_FILENO) == 1;
    exit_code = 0;
    for (const auto& file : args->files) {
      ProgressBar bar(file);
      ImportOptions options;
      if (terminal) options.on_progress = [&bar](const ImportProgress& p) { bar.update(p); };
      ArrivalLinker arrival;  // one per file: each file is one transaction
      if (!args->no_link_on_arrival) options.arrival = &arrival;
      auto summary = import_file(**store, kind, file, options);
      if (terminal) bar.finish();
      if (!summary) {
        exit_code = report_failure(
            fmt::format("refused {} (nothing from it was imported): {}", file, summary.error().describe()));
        continue;
      }
      fmt::print("{}\n", summary->describe());
      if (arrival.stats().rows > 0) fmt::print("{}\n", arrival.stats().describe());
    }
  });
}

}  // namespace accompany
