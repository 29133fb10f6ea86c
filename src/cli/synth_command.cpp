// accompany synth: writes a synthetic population as the six agency feeds plus truth.csv.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "synth/feed_files.h"

namespace accompany {
namespace {

struct SynthArgs {
  uint32_t children = 450'000;
  uint64_t seed = 1;
  std::string out;
  std::string rates_file;
  int start_fy = 0;  // 0: every year the rates list
  int end_fy = 0;
};

Result<synth::Rates> load_rates(const SynthArgs& args) {
  synth::Rates rates;
  if (args.rates_file.empty()) {
    rates = synth::default_rates();
  } else {
    std::ifstream in(args.rates_file, std::ios::binary);
    if (!in) return make_error(ErrorCode::not_found, fmt::format("cannot read the rates file {}", args.rates_file));
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = synth::parse_rates(text.str());
    if (!parsed) return parsed.error().within(args.rates_file);
    rates = std::move(*parsed);
  }
  const int first = args.start_fy ? args.start_fy : rates.fiscal_years.begin()->first;
  const int last = args.end_fy ? args.end_fy : rates.fiscal_years.rbegin()->first;
  if (first > last) return invalid("start-fy", std::to_string(first), fmt::format("is after --end-fy {}", last));
  for (int fy = first; fy <= last; ++fy)
    if (!rates.fiscal_years.contains(fy))
      return invalid("fiscal year", std::to_string(fy), "has no weight in the rates file (fiscal_years)");
  std::erase_if(rates.fiscal_years, [&](const auto& entry) { return entry.first < first || entry.first > last; });
  return rates;
}

int run(const SynthArgs& args) {
  auto rates = load_rates(args);
  if (!rates) return report_failure(rates.error().describe());
  synth::SynthOptions options;
  options.children = args.children;
  options.seed = args.seed;
  options.out = args.out;
  options.rates = std::move(*rates);
  const bool tty = ::isatty(STDERR_FILENO) == 1;
  if (tty) {
    options.progress = [](uint32_t done, uint32_t total) {
      fmt::print(stderr, "\rsynth: {:>9}/{} children ({:3}%)", done, total, done * 100ULL / total);
      std::fflush(stderr);
    };
  }
  auto summary = synth::write_population(options);
  if (tty) fmt::print(stderr, "\r{:60}\r", "");
  if (!summary) return report_failure(summary.error().describe());
  std::string counts;
  for (size_t i = 0; i < synth::kAllFeeds.size(); ++i)
    counts += fmt::format("{}{} {}", i ? ", " : "", synth::feed_kind(synth::kAllFeeds[i]), summary->rows[i]);
  const double rate = summary->seconds > 0 ? summary->total_rows() / summary->seconds : 0;
  fmt::print("Wrote {} children to {} in {:.1f} s: {} ({} feed rows, {:.0f} rows/s; truth.csv {} rows).\n",
             summary->children, args.out, summary->seconds, counts, summary->total_rows(), rate, summary->truth_rows);
  return 0;
}

}  // namespace

void add_synth_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SynthArgs>();
  auto* synth = app.add_subcommand(
      "synth",
      "Write a synthetic population of children as the six agency feeds (docs/feeds.md) plus truth.csv, "
      "for demonstrations, tests and benchmarks. Never real people.");
  synth->add_option("--children", args->children, "How many children (default 450000, the FY2019-FY2023 scale)")
      ->check(CLI::Range(1u, 9'999'999u));
  synth->add_option("--seed", args->seed, "Seed: the same seed and options always give the same files (default 1)");
  synth->add_option("--out", args->out, "Directory to write the feed files and truth.csv into")->required();
  synth->add_option("--rates", args->rates_file,
                    "JSON file of calibration and noise rates (default: the built-in one; see docs/synth.md)");
  synth->add_option("--start-fy", args->start_fy, "First fiscal year to generate (default: the first in the rates)");
  synth->add_option("--end-fy", args->end_fy, "Last fiscal year to generate (default: the last in the rates)");
  synth->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace accompany
