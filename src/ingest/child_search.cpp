#include "ingest/child_search.h"

#include <fmt/format.h>

#include "store/entity_tables.h"

namespace accompany {

linkage::SearchablePerson searchable(const Child& child) {
  linkage::SearchablePerson person;
  person.id = child.id;
  person.given_names = child.name.given_names;
  person.surnames = fmt::format("{} {}", child.name.paternal_surname, child.name.maternal_surname);
  person.birth = child.birth_date;
  if (child.a_number) person.anumber = child.a_number->digits();
  return person;
}

Status ChildSearch::catch_up(SqlConnection& sql) {
  std::lock_guard one(catch_up_mutex_);
  std::string columns = "id";
  for (auto column : EntityTable<Child>::spec().columns) columns += fmt::format(", {}", column);
  const SqlValue after[] = {last_child_};
  ACCOMPANY_TRY(rows, sql.query(fmt::format("SELECT {} FROM children WHERE id > $1 ORDER BY id", columns), after));
  ACCOMPANY_TRY(merged_rows, sql.query("SELECT merged_id FROM child_merges WHERE unmerged_at IS NULL"));
  std::unordered_set<Id> merged;
  for (const auto& row : merged_rows) merged.insert(row.integer(0));
  if (rows.empty() && merged == merged_) return {};

  std::vector<Child> added, restored;
  for (const auto& row : rows) {
    ACCOMPANY_TRY(child, EntityTable<Child>::from_row(row));
    added.push_back(std::move(child));
  }
  for (Id id : merged_)
    if (!merged.contains(id) && id <= last_child_) {  // unmerged: shown again
      const SqlValue params[] = {id};
      ACCOMPANY_TRY(found, sql.query(fmt::format("SELECT {} FROM children WHERE id = $1", columns), params));
      for (const auto& row : found) {
        ACCOMPANY_TRY(child, EntityTable<Child>::from_row(row));
        restored.push_back(std::move(child));
      }
    }
  std::unique_lock write(index_mutex_);
  for (const auto& child : added) {
    last_child_ = std::max(last_child_, child.id);
    if (!merged.contains(child.id)) index_.upsert(searchable(child));
  }
  for (const auto& child : restored) index_.upsert(searchable(child));
  for (Id id : merged)
    if (!merged_.contains(id)) index_.remove(id);
  merged_ = std::move(merged);
  return {};
}

std::vector<linkage::SearchHit> ChildSearch::search(const linkage::SearchQuery& query) const {
  std::shared_lock read(index_mutex_);
  return index_.search(query);
}

size_t ChildSearch::size() const {
  std::shared_lock read(index_mutex_);
  return index_.size();
}

}  // namespace accompany
