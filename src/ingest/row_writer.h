// Writes validated feed rows into the store inside one unit of work: claims the row key (a
// key seen before makes the row a duplicate), finds the child by A-number or by the feed's
// local id, creates the child where the feed may, writes the row's records, or else puts the
// row in the unlinked pool. Bad rows go to quarantine. Rules: docs/import.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ingest/link_index.h"
#include "ingest/row_mapper.h"
#include "store/unit_of_work.h"

namespace accompany {

class ArrivalLinking;  // ingest/arrival_hook.h

enum class RowOutcome { imported, duplicate, unlinked, quarantined };

// The unlinked-pool record of a row naming no known child: who it names, normalized for linkage
// (file name and raw text are left for the caller, which alone knows them).
UnlinkedRow unlinked_row_of(const MappedRow& row, std::string_view kind, std::int64_t line);

class RowWriter {
 public:
  // `file_id` is the import_files row of this run; empty on a quarantine retry or a linkage
  // attach, which link one row each and so look children up in the database, not in memory.
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
  // Claims the row's key (false: a duplicate), with its child when known and its custody day.
  Result<bool> claim_key(const MappedRow& row, std::int64_t line, std::optional<Id> child_id);
  // Whether the row key was claimed before (a read: nothing is claimed).
  Result<bool> key_taken(const std::string& key);
  Status add_local_id(std::string_view id_namespace, const std::string& value, std::string_view entity, Id id);
  Status write_records(const MappedRow& row, Id child_id, bool child_created);
  Status note_child(const std::string& row_key, Id child_id);
  Result<RowOutcome> pool(const MappedRow& row, std::int64_t line, std::string_view raw);

  UnitOfWork& unit_;
  FeedKind kind_;
  std::string kind_name_;
  std::string file_name_;
  std::optional<Id> file_id_;
  LinkIndex index_;  // in memory for an import run (file_id set); else every lookup is a query
  ArrivalLinking* arrival_ = nullptr;
};

}  // namespace accompany
