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

bool LinkIndex::start_loading(Map& map, std::int64_t rows) {
  // Sized up front, so the load never rehashes; a map that could not stay within the bound is
  // not loaded at all.
  if (entries_ + static_cast<std::size_t>(rows) > max_entries_) {
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
  if (!start_loading(a_numbers_, counted.at(0).integer(0))) return {};
  return sql_.for_each_row("SELECT a_number, id FROM children WHERE a_number IS NOT NULL", {},
                           [&](const SqlRow& row) -> Status {
                             add(a_numbers_, row.text(0), row.integer(1));
                             return {};
                           });
}

Status LinkIndex::load_local_ids(Map& map, std::string_view id_namespace) {
  // One namespace at a time, through the (id_namespace, local_id) index: a run needs one or two
  // of them, and scanning the whole table for all of them cost twice as much (docs/import.md).
  const SqlValue params[] = {std::string(id_namespace)};
  ACCOMPANY_TRY(counted, sql_.query("SELECT count(*) FROM local_ids WHERE id_namespace = $1", params));
  if (!start_loading(map, counted.at(0).integer(0))) return {};
  return sql_.for_each_row("SELECT local_id, entity_id FROM local_ids WHERE id_namespace = $1", params,
                           [&](const SqlRow& row) -> Status {
                             add(map, row.text(0), row.integer(1));
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

Result<std::optional<Id>> LinkIndex::local_id(std::string_view id_namespace, const std::string& value) {
  auto found = local_ids_.find(id_namespace);
  if (found == local_ids_.end()) {
    found = local_ids_.emplace(std::string(id_namespace), Map{}).first;
    if (!in_memory_) found->second.state = Map::State::dropped;
  }
  Map& map = found->second;
  if (map.state == Map::State::not_loaded) ACCOMPANY_CHECK(load_local_ids(map, id_namespace));
  if (auto lookup = look_up(map, value); lookup.known) return lookup.found;
  return query_local_id(id_namespace, value);
}

Result<std::optional<Id>> LinkIndex::query_local_id(std::string_view id_namespace, const std::string& value) {
  const SqlValue params[] = {std::string(id_namespace), value};
  ACCOMPANY_TRY(rows, sql_.query("SELECT entity_id FROM local_ids WHERE id_namespace = $1 AND local_id = $2", params));
  if (rows.empty()) return std::optional<Id>();
  return std::optional<Id>(rows[0].integer(0));
}

Result<std::optional<Id>> LinkIndex::local_id_from_database(std::string_view id_namespace, const std::string& value) {
  ACCOMPANY_TRY(found, query_local_id(id_namespace, value));
  if (found) {
    auto map = local_ids_.find(id_namespace);
    if (map != local_ids_.end()) add(map->second, value, *found);
  }
  return found;
}

void LinkIndex::added_child(const std::string& digits, Id child_id) {
  add(a_numbers_, digits, child_id);
}

void LinkIndex::added_local_id(std::string_view id_namespace, const std::string& value, Id entity_id) {
  // A namespace not loaded yet will be, by a scan that sees this row.
  auto found = local_ids_.find(id_namespace);
  if (found != local_ids_.end()) add(found->second, value, entity_id);
}

}  // namespace accompany
