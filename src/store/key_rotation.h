// `accompany keys rotate`: re-encrypts every encrypted field under the current key.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "store/store.h"

namespace accompany {

struct RotationOutcome {
  std::int64_t rows_rewritten = 0;  // rows with at least one value re-encrypted (one audit entry each)
  std::int64_t values_rewritten = 0;
  std::int64_t values_already_current = 0;  // under the current key already: a rerun skips them
};

// In ONE audited transaction, re-encrypts each value of encrypted_columns() that is not under
// the current key (older keys and plain text written before encryption), decrypting with any
// installed key. The caller installs the new key as current and the old one as accepted.
// `progress(table, rows done, rows in table)` is called per table as it goes.
Result<RotationOutcome> reencrypt_fields(
    Store& store, const AuditContext& context,
    const std::function<void(std::string_view table, std::int64_t done, std::int64_t total)>& progress = {});

}  // namespace accompany
