// Records the import keeps beside the case: rows held in quarantine, rows not yet linked to a
// child, and the feeds' own identifiers (UAC_ID, SPONSOR_ID ...) mapped to Accompany records.
#pragma once

#include <optional>
#include <string>

#include "common/ids.h"
#include "common/time.h"
#include "domain/enum_names.h"

namespace accompany {

enum class QuarantineStatus { open, imported, duplicate, discarded };
inline constexpr EnumTable<QuarantineStatus, 4> kQuarantineStatusNames{{
    {QuarantineStatus::open, "open"},
    {QuarantineStatus::imported, "imported"},
    {QuarantineStatus::duplicate, "duplicate"},
    {QuarantineStatus::discarded, "discarded"},
}};

// A feed row that did not validate, kept whole so a data steward can fix, retry or discard it.
struct QuarantinedRow {
  Id id = 0;
  std::string kind;       // feed kind, "orr_release"
  std::string file_name;  // as given on the command line
  std::int64_t line = 0;  // 1-based physical line where the row starts
  std::string row_key;    // the feed's row key when it could be read; empty otherwise
  std::string field;      // the feed column (or record field) that is wrong; "(row)" for the row's shape
  std::string value;
  std::string reason;
  std::string raw;  // the row's exact text, without its line end
  QuarantineStatus status = QuarantineStatus::open;
  std::string resolution;  // why it was discarded, or what retry did
  std::string resolved_by;
  Timestamp received_at{};
  std::optional<Timestamp> resolved_at;

  static Status validate(const QuarantinedRow& row);
  bool operator==(const QuarantinedRow&) const = default;
};

enum class UnlinkedStatus { open, linked };
inline constexpr EnumTable<UnlinkedStatus, 2> kUnlinkedStatusNames{{
    {UnlinkedStatus::open, "open"},
    {UnlinkedStatus::linked, "linked"},
}};

// A valid row that names no child Accompany knows (no A-number, or one not yet seen, and no
// known local id): kept with what record linkage needs to attach it later.
struct UnlinkedRow {
  Id id = 0;
  std::string kind;
  std::string file_name;
  std::int64_t line = 0;
  std::string row_key;
  std::string a_number;   // 9 digits, or empty
  std::string local_ids;  // "UAC_ID=UAC00012345;SUBJECT_ID=CBP000000001", in feed order
  // Names normalized for matching: upper case ASCII, accents removed, single spaces.
  std::string given_names;
  std::string paternal_surname;
  std::string maternal_surname;
  std::string birth_date;  // YYYY-MM-DD as the feed gave it, or empty
  std::string sex;         // female, male, unknown
  std::string country;     // ISO 3166-1 alpha-2, or empty
  std::string raw;
  UnlinkedStatus status = UnlinkedStatus::open;
  std::optional<Id> child_id;  // set once linked

  static Status validate(const UnlinkedRow& row);
  bool operator==(const UnlinkedRow&) const = default;
};

// One feed identifier (namespace "UAC_ID", "SUBJECT_ID", "SPONSOR_ID") and the record it names.
struct LocalId {
  Id id = 0;
  std::string id_namespace;
  std::string local_id;
  std::string entity;  // "children" or "sponsors"
  Id entity_id = 0;

  static Status validate(const LocalId& local);
  bool operator==(const LocalId&) const = default;
};

}  // namespace accompany
