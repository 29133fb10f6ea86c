// Imports one feed file: refuses it whole if it was imported before (same BLAKE2b digest) or
// its structure is broken, else takes every row in — imported, duplicate, unlinked or
// quarantined — in one transaction, so a refused file leaves nothing behind.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "ingest/feed.h"
#include "store/store.h"

namespace accompany {

class ArrivalLinking;  // ingest/arrival_hook.h

struct ImportProgress {
  std::uint64_t bytes_read = 0;
  std::uint64_t file_size = 0;
  std::int64_t rows_read = 0;
};

struct ImportSummary {
  std::string file;
  std::string digest;
  Id file_id = 0;
  bool already_imported = false;  // the same file (by digest) was imported before: nothing done
  std::int64_t rows_read = 0;
  std::int64_t imported = 0;
  std::int64_t duplicates = 0;
  std::int64_t quarantined = 0;
  std::int64_t unlinked = 0;
  double seconds = 0;

  // "orr_release.csv: 1200 rows read, 1100 imported, ..." — the one-line summary.
  std::string describe() const;
};

struct ImportOptions {
  std::string actor = "system:import";
  std::function<void(const ImportProgress&)> on_progress;  // called every few thousand rows
  // Links rows naming no known child on arrival (ingest/arrival_linker.h); null: they are pooled.
  ArrivalLinking* arrival = nullptr;
};

Result<ImportSummary> import_file(Store& store, FeedKind kind, const std::string& path,
                                  const ImportOptions& options = {});

}  // namespace accompany
