// The importer's hook for linking a row on arrival. RowWriter asks it about a row that names no
// known child (no A-number or feed id it knows) before pooling the row, and tells it when the row
// was pooled after all. ArrivalLinker (ingest/arrival_linker.h) implements it with record linkage;
// the importer knows only this interface.
#pragma once

#include <optional>
#include <string_view>

#include "ingest/row_mapper.h"
#include "store/unit_of_work.h"

namespace accompany {

class ArrivalLinking {
 public:
  virtual ~ArrivalLinking() = default;
  // The child `row` (of feed `kind`, at `line`) is, or none: then the row is pooled. When a child
  // is returned the writer attaches the row to it as import does for a known child.
  virtual Result<std::optional<Id>> child_for(UnitOfWork& unit, const MappedRow& row, std::string_view kind,
                                              std::int64_t line) = 0;
  // The row last asked about went to the pool as unlinked row `unlinked_row_id`.
  virtual Status pooled(UnitOfWork& unit, Id unlinked_row_id) = 0;
};

}  // namespace accompany
