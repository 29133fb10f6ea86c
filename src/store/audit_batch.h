// The audit entry of a bulk insert ("insert_batch"): one entry of the hash chain covers up to
// kAuditBatchRows rows of one table written by one unit of work. Its `fields` lists the rows'
// ids as ranges and its after_digest commits to every covered row's own digest, so a hand
// edit, removal or addition of any one of them still fails `audit verify` (docs/security.md).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/ids.h"

namespace accompany {

inline constexpr std::string_view kInsertBatchAction = "insert_batch";
inline constexpr std::int64_t kMaxBatchRows = 1 << 20;

// "rows=5 ids=3-6,9": ascending ids as ranges.
std::string describe_batch_ids(std::span<const Id> ascending_ids);
Result<std::vector<Id>> parse_batch_ids(std::string_view fields);

// The digest over (id, row digest) pairs in ascending id order.
std::string batch_digest(std::string_view table, std::span<const Id> ascending_ids,
                         std::span<const std::string> row_digests);

}  // namespace accompany
