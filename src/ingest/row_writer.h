// Writes validated feed rows into the store inside one unit of work: claims the row key (a
// key seen before makes the row a duplicate), finds the child by A-number or by the feed's
// local id, creates the child where the feed may, writes the row's records, or else puts the
// row in the unlinked pool. Bad rows go to quarantine. Rules: docs/import.md.
#pragma once

#include <optional>
#include <vector>
#include <string>

#include "ingest/row_mapper.h"
#include "store/unit_of_work.h"

namespace accompany {

class ArrivalLinking;  // ingest/arrival_hook.h

enum class RowOutcome { imported, duplicate, unlinked, quarantined };

class RowWriter {
 public:
  // `file_id` is the import_files row of this run; empty on a quarantine retry.
  RowWriter(UnitOfWork& unit, FeedKind kind, std::string file_name, std::optional<Id> file_id);

  // Takes a valid row in: duplicate, imported (linked to a child) or unlinked (pooled).
  Result<RowOutcome> write(const MappedRow& row, std::int64_t line, std::string_view raw);
  // Keeps a bad row in quarantine, unless its key was already taken in or the same row is
  // already waiting there (then it is a duplicate).
  Result<RowOutcome> quarantine(const Error& why, const std::string& row_key, std::int64_t line, std::string_view raw);
  // Attaches a pooled row to the child record linkage found for it: maps its local ids (those not
  // yet mapped), writes its records as import would have, and notes the child on its row key.
  Status attach(const MappedRow& row, Id child_id);
  // Rows naming no known child are offered to `linker` before they are pooled (null: always pooled).
  void link_on_arrival(ArrivalLinking* linker) { arrival_ = linker; }

 private:
  // What linking needs to know about a row before writing it.
  struct Found {
    bool fresh = false;                      // its key was not taken before
    std::optional<Id> by_a_number;           // the child with its A-number
    std::vector<std::optional<Id>> local_ids;  // the entity each of its local ids names
  };
  Result<Found> claim_and_find(const MappedRow& row, std::int64_t line);
  Result<bool> claim_key(const std::string& key, std::int64_t line);
  Result<std::optional<Id>> child_by_a_number(const ANumber& a_number);
  Result<std::optional<Id>> local_id(std::string_view id_namespace, const std::string& value);
  Status add_local_id(std::string_view id_namespace, const std::string& value, std::string_view entity, Id id);
  Status write_records(const MappedRow& row, Id child_id, bool child_created);
  Status note_child(const std::string& row_key, Id child_id);
  Result<RowOutcome> pool(const MappedRow& row, std::int64_t line, std::string_view raw);

  UnitOfWork& unit_;
  FeedKind kind_;
  std::string kind_name_;
  std::string file_name_;
  std::optional<Id> file_id_;
  ArrivalLinking* arrival_ = nullptr;
};

}  // namespace accompany
