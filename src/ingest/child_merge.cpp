#include "ingest/child_merge.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <functional>
#include <map>

namespace accompany {
namespace {

// Case records that follow the child on a merge, by table.
template <class T>
Status move_records(UnitOfWork& unit, Id from, Id to, boost::json::array& moved) {
  ACCOMPANY_TRY(records, unit.find_by<T>("child_id", SqlValue(from)));
  for (auto& record : records) {
    record.child_id = to;
    ACCOMPANY_CHECK(unit.update(record));
    moved.push_back(boost::json::array{EntityTable<T>::spec().name, record.id});
  }
  return {};
}

template <class T>
Status move_back(UnitOfWork& unit, Id id, Id to) {
  ACCOMPANY_TRY(record, unit.find<T>(id));
  if (!record)
    return make_error(ErrorCode::conflict,
                      fmt::format("{} row {} moved by the merge no longer exists", EntityTable<T>::spec().name, id));
  record->child_id = to;
  return unit.update(*record);
}

using MoveBack = std::function<Status(UnitOfWork&, Id, Id)>;
const std::map<std::string, MoveBack, std::less<>>& move_back_by_table() {
  static const std::map<std::string, MoveBack, std::less<>> table{
      {std::string(EntityTable<Address>::spec().name), move_back<Address>},
      {std::string(EntityTable<CustodyEvent>::spec().name), move_back<CustodyEvent>},
      {std::string(EntityTable<NoticeToAppear>::spec().name), move_back<NoticeToAppear>},
      {std::string(EntityTable<Hearing>::spec().name), move_back<Hearing>},
      {std::string(EntityTable<WelfareCheck>::spec().name), move_back<WelfareCheck>},
      {std::string(EntityTable<UnlinkedRow>::spec().name), move_back<UnlinkedRow>},
      {std::string(EntityTable<LocalId>::spec().name),
       [](UnitOfWork& unit, Id id, Id to) -> Status {
         ACCOMPANY_TRY(record, unit.find<LocalId>(id));
         if (!record) return make_error(ErrorCode::conflict, fmt::format("local id {} no longer exists", id));
         record->entity_id = to;
         return unit.update(*record);
       }},
  };
  return table;
}

Status require_child(UnitOfWork& unit, Id id) {
  ACCOMPANY_TRY(child, unit.find<Child>(id));
  if (!child) return make_error(ErrorCode::not_found, fmt::format("there is no child {}", id));
  ACCOMPANY_TRY(into, merged_into(unit.sql(), id));
  if (into)
    return make_error(ErrorCode::conflict, fmt::format("child {} is already merged into child {}", id, *into));
  return {};
}

}  // namespace

Result<std::optional<Id>> merged_into(SqlConnection& sql, Id child_id) {
  const SqlValue params[] = {child_id};
  ACCOMPANY_TRY(rows,
                sql.query("SELECT survivor_id FROM child_merges WHERE merged_id = $1 AND unmerged_at IS NULL", params));
  if (rows.empty()) return std::optional<Id>();
  return std::optional<Id>(rows[0].integer(0));
}

Result<ChildMerge> merge_children(UnitOfWork& unit, Id survivor_id, Id merged_id, std::string_view reason) {
  if (survivor_id == merged_id)
    return make_error(ErrorCode::conflict, fmt::format("child {} cannot be merged into itself", survivor_id));
  ACCOMPANY_CHECK(require_child(unit, survivor_id));
  ACCOMPANY_CHECK(require_child(unit, merged_id));
  boost::json::array moved;
  ACCOMPANY_CHECK(move_records<Address>(unit, merged_id, survivor_id, moved));
  ACCOMPANY_CHECK(move_records<CustodyEvent>(unit, merged_id, survivor_id, moved));
  ACCOMPANY_CHECK(move_records<NoticeToAppear>(unit, merged_id, survivor_id, moved));
  ACCOMPANY_CHECK(move_records<Hearing>(unit, merged_id, survivor_id, moved));
  ACCOMPANY_CHECK(move_records<WelfareCheck>(unit, merged_id, survivor_id, moved));
  ACCOMPANY_CHECK(move_records<UnlinkedRow>(unit, merged_id, survivor_id, moved));
  ACCOMPANY_TRY(locals, unit.find_by<LocalId>("entity_id", SqlValue(merged_id)));
  for (auto& local : locals) {
    if (local.entity != "children") continue;
    local.entity_id = survivor_id;
    ACCOMPANY_CHECK(unit.update(local));
    moved.push_back(boost::json::array{EntityTable<LocalId>::spec().name, local.id});
  }
  const SqlValue from[] = {merged_id};
  ACCOMPANY_TRY(keys, unit.sql().query("SELECT kind, row_key FROM import_row_keys WHERE child_id = $1", from));
  for (const auto& key : keys) moved.push_back(boost::json::array{"import_row_keys", key.text(0), key.text(1)});
  const SqlValue move_keys[] = {merged_id, survivor_id};
  ACCOMPANY_CHECK(unit.sql().execute("UPDATE import_row_keys SET child_id = $2 WHERE child_id = $1", move_keys));

  const SqlValue params[] = {survivor_id, merged_id, boost::json::serialize(moved), std::string(reason),
                             unit.context().actor, format_timestamp(unit.now())};
  ACCOMPANY_TRY(rows, unit.sql().query("INSERT INTO child_merges (survivor_id, merged_id, moved, reason, merged_by, "
                                       "merged_at, unmerged_by) VALUES ($1, $2, $3, $4, $5, $6, '') RETURNING id",
                                       params));
  ChildMerge merge{rows.at(0).integer(0), survivor_id, merged_id, moved.size()};
  ACCOMPANY_CHECK(unit.record_event("merge", "children", merged_id,
                                    fmt::format("merge={} survivor={} merged={} records_moved={} reason={}", merge.id,
                                                survivor_id, merged_id, merge.records_moved, reason)));
  return merge;
}

Result<ChildMerge> unmerge_children(UnitOfWork& unit, Id merge_id) {
  const SqlValue id[] = {merge_id};
  ACCOMPANY_TRY(rows, unit.sql().query(
                          "SELECT survivor_id, merged_id, moved, unmerged_at FROM child_merges WHERE id = $1", id));
  if (rows.empty()) return make_error(ErrorCode::not_found, fmt::format("there is no merge {}", merge_id));
  if (!rows[0].is_null(3))
    return make_error(ErrorCode::conflict,
                      fmt::format("merge {} was already undone at {}", merge_id, rows[0].text(3)));
  ChildMerge merge{merge_id, rows[0].integer(0), rows[0].integer(1), 0};
  const auto moved = boost::json::parse(rows[0].text(2)).as_array();
  for (const auto& item : moved) {
    const auto& entry = item.as_array();
    const std::string_view table = entry.at(0).as_string();
    if (table == "import_row_keys") {
      const SqlValue params[] = {std::string(entry.at(1).as_string()), std::string(entry.at(2).as_string()),
                                 merge.merged_id};
      ACCOMPANY_CHECK(
          unit.sql().execute("UPDATE import_row_keys SET child_id = $3 WHERE kind = $1 AND row_key = $2", params));
    } else {
      auto it = move_back_by_table().find(table);
      if (it == move_back_by_table().end())
        return make_error(ErrorCode::internal, fmt::format("merge {} lists unknown table {}", merge_id, table));
      ACCOMPANY_CHECK(it->second(unit, entry.at(1).as_int64(), merge.merged_id));
    }
    ++merge.records_moved;
  }
  const SqlValue params[] = {unit.context().actor, format_timestamp(unit.now()), merge_id};
  ACCOMPANY_CHECK(unit.sql().execute("UPDATE child_merges SET unmerged_by = $1, unmerged_at = $2 WHERE id = $3", params));
  ACCOMPANY_CHECK(unit.record_event("unmerge", "children", merge.merged_id,
                                    fmt::format("merge={} survivor={} merged={} records_moved_back={}", merge_id,
                                                merge.survivor_id, merge.merged_id, merge.records_moved)));
  return merge;
}

}  // namespace accompany
