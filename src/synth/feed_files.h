// Writes a synthetic population to disk: the six feed files of docs/feeds.md and truth.csv.
// The only part of src/synth that does I/O.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>

#include "common/error.h"
#include "synth/feeds.h"
#include "synth/population.h"
#include "synth/rates.h"

namespace accompany::synth {

struct SynthOptions {
  uint32_t children = 450'000;
  uint64_t seed = 1;
  std::filesystem::path out;
  Rates rates;
  // Called now and then with children written so far (for a progress bar); may be empty.
  std::function<void(uint32_t done, uint32_t total)> progress;
  // Called with every true child after its rows are written (tests measure against it); may be empty.
  std::function<void(const TrueChild&)> observe;
};

struct SynthSummary {
  std::array<uint64_t, kAllFeeds.size()> rows{};        // data rows per feed (header excluded)
  std::array<uint64_t, kAllFeeds.size()> wrong_rows{};  // of which deliberately malformed
  std::array<uint64_t, kAllFeeds.size()> bytes{};
  uint64_t truth_rows = 0;
  uint64_t children = 0;
  double seconds = 0;
  uint64_t total_rows() const;
};

inline constexpr std::string_view kTruthFileName = "truth.csv";
inline constexpr std::string_view kTruthHeader = "feed,line,row_key,child_key";

// Creates `out` if needed and writes every file there. Files are written under temporary names
// and renamed at the end, so an interrupted run never leaves a file that looks complete.
Result<SynthSummary> write_population(const SynthOptions& options);

}  // namespace accompany::synth
