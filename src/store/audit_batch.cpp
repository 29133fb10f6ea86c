#include "store/audit_batch.h"

#include <fmt/format.h>

#include <charconv>

#include "security/digest.h"

namespace accompany {

std::string describe_batch_ids(std::span<const Id> ids) {
  std::string out = fmt::format("rows={} ids=", ids.size());
  for (size_t i = 0; i < ids.size();) {
    size_t end = i;
    while (end + 1 < ids.size() && ids[end + 1] == ids[end] + 1) ++end;
    if (i > 0) out += ',';
    if (end == i)
      fmt::format_to(std::back_inserter(out), "{}", ids[i]);
    else
      fmt::format_to(std::back_inserter(out), "{}-{}", ids[i], ids[end]);
    i = end + 1;
  }
  return out;
}

Result<std::vector<Id>> parse_batch_ids(std::string_view fields) {
  auto bad = [&](std::string_view why) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("insert_batch entry fields '{}': {}", fields.substr(0, 80), why));
  };
  auto number = [](std::string_view text, Id& out) {
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc() && end == text.data() + text.size();
  };
  const auto space = fields.find(" ids=");
  Id count = 0;
  if (!fields.starts_with("rows=") || space == std::string_view::npos || !number(fields.substr(5, space - 5), count))
    return bad("expected 'rows=N ids=...'");
  // A batch is at most a few thousand rows; a huge count is a damaged entry, not a reason to
  // allocate without bound.
  if (count < 1 || count > kMaxBatchRows) return bad("the row count is out of range");
  std::vector<Id> ids;
  std::string_view rest = fields.substr(space + 5);
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view range = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const auto dash = range.find('-');
    Id first = 0, last = 0;
    if (!number(range.substr(0, dash), first) ||
        (dash != std::string_view::npos && !number(range.substr(dash + 1), last)))
      return bad("an id range is not a number");
    if (dash == std::string_view::npos) last = first;
    if (last < first || (!ids.empty() && first <= ids.back())) return bad("id ranges are not ascending");
    if (static_cast<Id>(ids.size()) + (last - first + 1) > count) return bad("more ids than rows");
    for (Id id = first; id <= last; ++id) ids.push_back(id);
  }
  if (static_cast<Id>(ids.size()) != count) return bad("fewer ids than rows");
  return ids;
}

std::string batch_digest(std::string_view table, std::span<const Id> ids, std::span<const std::string> row_digests) {
  Digest digest;
  digest.add(kInsertBatchAction).add(table).add(static_cast<std::int64_t>(ids.size()));
  for (size_t i = 0; i < ids.size(); ++i) digest.add(ids[i]).add(row_digests[i]);
  return digest.hex();
}

}  // namespace accompany
