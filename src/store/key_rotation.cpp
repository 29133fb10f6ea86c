#include "store/key_rotation.h"

#include <fmt/format.h>

#include "security/field_cipher.h"
#include "store/unit_of_work.h"

namespace accompany {

Result<RotationOutcome> reencrypt_fields(
    Store& store, const AuditContext& context,
    const std::function<void(std::string_view table, std::int64_t done, std::int64_t total)>& progress) {
  const auto current = current_field_key_id();
  if (!current) return make_error(ErrorCode::invalid_argument, "no new key is installed to re-encrypt under");
  // The tables that hold encrypted columns, each once, in encrypted_columns() order.
  std::vector<const TableSpec*> tables;
  for (const auto& column : encrypted_columns())
    if (tables.empty() || tables.back() != column.table) tables.push_back(column.table);

  RotationOutcome outcome;
  ACCOMPANY_CHECK(store.transact(context, [&](UnitOfWork& unit) -> Status {
    outcome = {};
    for (const TableSpec* table : tables) {
      std::string sql = "SELECT id";
      for (auto column : table->columns) fmt::format_to(std::back_inserter(sql), ", {}", column);
      fmt::format_to(std::back_inserter(sql), " FROM {} ORDER BY id", table->name);
      ACCOMPANY_TRY(rows, unit.sql().query(sql));
      std::int64_t done = 0;
      for (const auto& row : rows) {
        const Id id = row.integer(0);
        std::vector<SqlValue> values(row.values().begin() + 1, row.values().end());
        bool changed = false;
        for (const auto& encrypted : encrypted_columns()) {
          if (encrypted.table != table) continue;
          auto* stored = std::get_if<std::string>(&values.at(encrypted.column));
          if (!stored) continue;  // NULL: nothing to hide
          if (key_id_in(*stored) == *current) {
            ++outcome.values_already_current;
            continue;
          }
          ACCOMPANY_TRY(plain, decrypt_field(*stored, fmt::format("{} row {} field {}", table->name, id,
                                                                  table->columns.at(encrypted.column))));
          *stored = encrypt_field(plain);
          ++outcome.values_rewritten;
          changed = true;
        }
        if (changed) {
          ACCOMPANY_CHECK(unit.rewrite_row(*table, id, std::move(values)));
          ++outcome.rows_rewritten;
        }
        if (progress && (++done % 1000 == 0 || done == static_cast<std::int64_t>(rows.size())))
          progress(table->name, done, static_cast<std::int64_t>(rows.size()));
      }
    }
    return unit.record_event(
        "keys_rotate", "field_keys", 0,
        fmt::format("to key {}: {} values in {} rows re-encrypted, {} already under it", *current,
                    outcome.values_rewritten, outcome.rows_rewritten, outcome.values_already_current));
  }));
  return outcome;
}

}  // namespace accompany
