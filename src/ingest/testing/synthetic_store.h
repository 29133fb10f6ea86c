// For the linkage tests: a fresh store (SQLite or PostgreSQL) holding a small synthetic population
// (`accompany synth`) imported feed by feed, and the folder with its files and truth.csv.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "ingest/importer.h"
#include "store/testing/temporary_postgres.h"
#include "synth/feed_files.h"

namespace accompany::testing {

// Fills `store` and `folder` (under the temp directory, named after `name` and the dialect);
// gtest assertions fail the calling test on any error.
inline void import_synthetic_population(Dialect dialect, const std::string& name, uint32_t children, uint64_t seed,
                                        Clock& clock, std::unique_ptr<Store>& store, std::filesystem::path& folder) {
  auto location = fresh_database_location(dialect, name);
  ASSERT_TRUE(location) << location.error().describe();
  ASSERT_TRUE(Store::initialize(*location));
  auto opened = Store::open(*location, clock);
  ASSERT_TRUE(opened) << opened.error().describe();
  store = std::move(*opened);
  folder = std::filesystem::temp_directory_path() / fmt::format("accompany-{}-{}-{}", name, getpid(), to_string(dialect));
  synth::SynthOptions options;
  options.children = children;
  options.seed = seed;
  options.out = folder;
  options.rates = synth::default_rates();
  ASSERT_TRUE(synth::write_population(options));
  for (const auto& [kind, feed] : kFeedKindNames)
    for (const auto& entry : std::filesystem::directory_iterator(folder))
      if (entry.path().stem() == feed) {
        ASSERT_TRUE(import_file(*store, kind, entry.path().string()));
      }
}

// The one integer `sql` selects (a count, an id); -1 and a test failure on error.
inline std::int64_t select_integer(Store& store, const std::string& sql) {
  std::int64_t n = -1;
  auto done = store.read([&](SqlConnection& connection) -> Status {
    ACCOMPANY_TRY(rows, connection.query(sql));
    n = rows.at(0).integer(0);
    return {};
  });
  EXPECT_TRUE(done) << done.error().describe();
  return n;
}

}  // namespace accompany::testing
