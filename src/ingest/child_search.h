// Person search over the store's children, served from the in-memory index of src/linkage
// (PersonSearchIndex). Built once when the server starts; before every search it catches up with the
// store — children added since (by the API, an import or `link --full` in another process) and
// merges made or undone — so every write is visible to the next search without the writers knowing
// about the index. Catching up reads only rows newer than the last seen (an index range scan).
// Thread-safe: searches share a lock, catching up takes it exclusively only when there is news.
#pragma once

#include <mutex>
#include <shared_mutex>
#include <unordered_set>
#include <vector>

#include "domain/child.h"
#include "linkage/search_index.h"
#include "store/sql_connection.h"

namespace accompany {

linkage::SearchablePerson searchable(const Child& child);

class ChildSearch {
 public:
  Status catch_up(SqlConnection& sql);
  std::vector<linkage::SearchHit> search(const linkage::SearchQuery& query) const;
  size_t size() const;

 private:
  mutable std::shared_mutex index_mutex_;
  std::mutex catch_up_mutex_;  // one catcher-up at a time
  linkage::PersonSearchIndex index_;
  Id last_child_ = 0;
  std::unordered_set<Id> merged_;  // children merged into another: not shown
};

}  // namespace accompany
