#include "ingest/link_index.h"

namespace accompany {

LinkIndex::LinkIndex(SqlConnection& sql, bool in_memory, std::size_t max_entries)
    : sql_(sql), in_memory_(in_memory), max_entries_(max_entries) {
  if (!in_memory_) a_numbers_.state = Map::State::dropped;
}

LinkIndex::Lookup LinkIndex::look_up(Map& map, const std::string& key) const {
  if (map.state != Map::State::complete) return {};
  auto at = map.ids.find(key);
  if (at == map.ids.end()) return {true, std::nullopt};
  return {true, at->second};
}

Status LinkIndex::load(Map& map, std::string_view sql, std::span<const SqlValue> params) {
  map.state = Map::State::complete;
  ACCOMPANY_CHECK(sql_.for_each_row(sql, params, [&](const SqlRow& row) -> Status {
    if (map.state == Map::State::complete) add(map, row.text(0), row.integer(1));
    return {};
  }));
  return {};
}

void LinkIndex::add(Map& map, const std::string& key, Id id) {
  if (map.state != Map::State::complete) return;
  if (entries_ >= max_entries_) {
    drop(map);
    return;
  }
  if (map.ids.try_emplace(key, id).second) ++entries_;
}

void LinkIndex::drop(Map& map) {
  entries_ -= map.ids.size();
  map.ids = {};
  map.state = Map::State::dropped;
}

Result<std::optional<Id>> LinkIndex::child_by_a_number(const std::string& digits) {
  if (a_numbers_.state == Map::State::not_loaded)
    ACCOMPANY_CHECK(load(a_numbers_, "SELECT a_number, id FROM children WHERE a_number IS NOT NULL", {}));
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
  if (map.state == Map::State::not_loaded) {
    const SqlValue params[] = {std::string(id_namespace)};
    ACCOMPANY_CHECK(load(map, "SELECT local_id, entity_id FROM local_ids WHERE id_namespace = $1", params));
  }
  if (auto lookup = look_up(map, value); lookup.known) return lookup.found;
  const SqlValue params[] = {std::string(id_namespace), value};
  ACCOMPANY_TRY(rows, sql_.query("SELECT entity_id FROM local_ids WHERE id_namespace = $1 AND local_id = $2", params));
  if (rows.empty()) return std::optional<Id>();
  return std::optional<Id>(rows[0].integer(0));
}

void LinkIndex::added_child(const std::string& digits, Id child_id) { add(a_numbers_, digits, child_id); }

void LinkIndex::added_local_id(std::string_view id_namespace, const std::string& value, Id entity_id) {
  auto found = local_ids_.find(id_namespace);
  if (found != local_ids_.end()) add(found->second, value, entity_id);
}

}  // namespace accompany
