// What an import run needs to link a row, held in memory: A-number -> child id and (namespace,
// local id) -> entity id. Each map is loaded from the database by one scan (sized up front from
// a count) the first time the run needs it and kept current as the run adds children and local
// ids, so linking a row costs
// a hash lookup instead of two to four index lookups (statements, or round trips on
// PostgreSQL). Memory is bounded by kMaxEntries across all maps, not by the file: a map that
// would pass the bound is dropped and its lookups go to the database (the old path), so a hit
// is always right and a miss is authoritative only while the map is complete.
// Valid only inside the one transaction that loaded it: nothing else writes these tables then.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/ids.h"
#include "ingest/flat_id_map.h"
#include "store/sql_connection.h"

namespace accompany {

class LinkIndex {
 public:
  // 60-110 bytes per entry (a FlatIdMap slot at a load of 1/4 to 1/2, and the key): at most
  // ~330 MB at the bound. The full FY2019-FY2023 scale needs about 1.4 million entries for the
  // largest run (ORR release: A-numbers, UAC_ID and SPONSOR_ID).
  static constexpr std::size_t kMaxEntries = 3'000'000;

  // `in_memory` false: every lookup asks the database (one quarantine retry, one linkage
  // attach: loading whole maps for one row would cost more than it saves).
  // `max_entries` lowers the bound (tests of the fallback).
  LinkIndex(SqlConnection& sql, bool in_memory, std::size_t max_entries = kMaxEntries);

  // The child with this A-number (digits), if any.
  Result<std::optional<Id>> child_by_a_number(const std::string& digits);
  // The entity a feed's local id names, if any.
  Result<std::optional<Id>> local_id(std::string_view id_namespace, const std::string& value);

  // Asks the database, not the maps, and teaches the maps the answer: for ids another writer in the
  // same transaction may have mapped (a pooled row attached by linkage writes through its own
  // RowWriter, which this index never sees).
  Result<std::optional<Id>> local_id_from_database(std::string_view id_namespace, const std::string& value);

  // Keep the maps current: call after inserting the child / the local_ids row.
  void added_child(const std::string& digits, Id child_id);
  void added_local_id(std::string_view id_namespace, const std::string& value, Id entity_id);

  std::size_t entries() const { return entries_; }

 private:
  struct Map {
    enum class State { not_loaded, complete, dropped } state = State::not_loaded;
    FlatIdMap ids;
  };
  // The map's id for `key`, loading the map first if needed; nullopt in `found` with `known`
  // false means "ask the database".
  struct Lookup {
    bool known = false;
    std::optional<Id> found;
  };
  Lookup look_up(const Map& map, std::string_view key) const;
  // Marks `map` complete and sized for `rows`, unless that would pass the bound (then dropped).
  bool start_loading(Map& map, std::int64_t rows);
  Result<std::optional<Id>> query_local_id(std::string_view id_namespace, const std::string& value);
  Status load_a_numbers();
  Status load_local_ids(Map& map, std::string_view id_namespace);
  void add(Map& map, std::string_view key, Id id);
  void drop(Map& map);

  SqlConnection& sql_;
  bool in_memory_;
  std::size_t max_entries_;
  Map a_numbers_;
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
  };
  std::unordered_map<std::string, Map, NameHash, std::equal_to<>> local_ids_;  // by namespace
  std::size_t entries_ = 0;
};

}  // namespace accompany
