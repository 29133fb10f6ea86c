#include "ingest/link_index.h"

namespace accompany {

LinkIndex::LinkIndex(SqlConnection& sql, bool in_memory, std::size_t max_entries)
    : sql_(sql), in_memory_(in_memory), max_entries_(max_entries) {
  if (!in_memory_) a_numbers_.state = Map::State::dropped;
}

LinkIndex::Lookup LinkIndex::look_up(const Map& map, std::string_view key) const {
  if (map.state != Map::State::complete) return {};
  return {true, map.ids.find(key)};
}

bool LinkIndex::start_loading(Map& map, std::int64_t rows, std::size_t planned) {
  // Sized up front, so the load never rehashes; a map that could not stay within the bound
  // (with the `planned` entries of maps loaded by the same scan) is not loaded at all.
  if (entries_ + planned + static_cast<std::size_t>(rows) > max_entries_) {
    drop(map);
    return false;
  }
  map.state = Map::State::complete;
  map.ids.reserve(static_cast<std::size_t>(rows));
  return true;
}

void LinkIndex::add(Map& map, std::string_view key, Id id) {
  if (map.state != Map::State::complete) return;
  if (entries_ >= max_entries_) {
    drop(map);
    return;
  }
  if (map.ids.insert(key, id)) ++entries_;
}

void LinkIndex::drop(Map& map) {
  entries_ -= map.ids.size();
  map.ids.clear();
  map.state = Map::State::dropped;
}

Status LinkIndex::load_a_numbers() {
  ACCOMPANY_TRY(counted, sql_.query("SELECT count(*) FROM children WHERE a_number IS NOT NULL"));
  if (!start_loading(a_numbers_, counted.at(0).integer(0), 0)) return {};
  return sql_.for_each_row("SELECT a_number, id FROM children WHERE a_number IS NOT NULL", {},
                           [&](const SqlRow& row) -> Status {
                             add(a_numbers_, row.text(0), row.integer(1));
                             return {};
                           });
}

Status LinkIndex::load_local_ids() {
  // Every namespace in one scan of the table (an import run looks up two or three of them).
  local_ids_loaded_ = true;
  ACCOMPANY_TRY(counted, sql_.query("SELECT id_namespace, count(*) FROM local_ids GROUP BY id_namespace"));
  std::size_t planned = 0;
  for (const auto& row : counted)
    if (start_loading(local_ids_[row.text(0)], row.integer(1), planned))
      planned += static_cast<std::size_t>(row.integer(1));
  // Rows mostly come grouped by namespace: the map of the previous row is tried first.
  std::string last_namespace;
  Map* last = nullptr;
  return sql_.for_each_row("SELECT id_namespace, local_id, entity_id FROM local_ids", {},
                           [&](const SqlRow& row) -> Status {
                             if (!last || row.text(0) != last_namespace) {
                               last_namespace = row.text(0);
                               auto found = local_ids_.find(last_namespace);
                               last = found == local_ids_.end() ? nullptr : &found->second;
                             }
                             if (last) add(*last, row.text(1), row.integer(2));
                             return {};
                           });
}

Result<std::optional<Id>> LinkIndex::child_by_a_number(const std::string& digits) {
  if (a_numbers_.state == Map::State::not_loaded) ACCOMPANY_CHECK(load_a_numbers());
  if (auto lookup = look_up(a_numbers_, digits); lookup.known) return lookup.found;
  const SqlValue params[] = {digits};
  ACCOMPANY_TRY(rows, sql_.query("SELECT id FROM children WHERE a_number = $1", params));
  if (rows.empty()) return std::optional<Id>();
  return std::optional<Id>(rows[0].integer(0));
}

LinkIndex::Map& LinkIndex::local_id_map(std::string_view id_namespace) {
  auto found = local_ids_.find(id_namespace);
  if (found != local_ids_.end()) return found->second;
  Map& map = local_ids_.emplace(std::string(id_namespace), Map{}).first->second;
  // Once the table was scanned, a namespace it did not hold is known to be empty.
  map.state = !in_memory_ ? Map::State::dropped : local_ids_loaded_ ? Map::State::complete : Map::State::not_loaded;
  return map;
}

Result<std::optional<Id>> LinkIndex::local_id(std::string_view id_namespace, const std::string& value) {
  if (in_memory_ && !local_ids_loaded_) ACCOMPANY_CHECK(load_local_ids());
  const Map& map = local_id_map(id_namespace);
  if (auto lookup = look_up(map, value); lookup.known) return lookup.found;
  const SqlValue params[] = {std::string(id_namespace), value};
  ACCOMPANY_TRY(rows, sql_.query("SELECT entity_id FROM local_ids WHERE id_namespace = $1 AND local_id = $2", params));
  if (rows.empty()) return std::optional<Id>();
  return std::optional<Id>(rows[0].integer(0));
}

void LinkIndex::added_child(const std::string& digits, Id child_id) {
  add(a_numbers_, digits, child_id);
}

void LinkIndex::added_local_id(std::string_view id_namespace, const std::string& value, Id entity_id) {
  if (!local_ids_loaded_) return;  // loaded later, by a scan that will see this row
  add(local_id_map(id_namespace), value, entity_id);
}

}  // namespace accompany
