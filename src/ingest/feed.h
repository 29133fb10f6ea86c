// The six agency feeds (docs/feeds.md): each one's kind name, file format and exact header.
#pragma once

#include <string_view>
#include <vector>

#include "domain/enum_names.h"

namespace accompany {

enum class FeedKind { cbp_custody, orr_release, ice_nta, eoir_hearings, orr_followup, address_changes };
inline constexpr EnumTable<FeedKind, 6> kFeedKindNames{{
    {FeedKind::cbp_custody, "cbp_custody"},
    {FeedKind::orr_release, "orr_release"},
    {FeedKind::ice_nta, "ice_nta"},
    {FeedKind::eoir_hearings, "eoir_hearings"},
    {FeedKind::orr_followup, "orr_followup"},
    {FeedKind::address_changes, "address_changes"},
}};

enum class FeedFormat { csv, pipe_delimited, json_lines };

struct FeedSpec {
  FeedKind kind;
  std::string_view name;
  FeedFormat format;
  std::vector<std::string_view> columns;  // the header, in order; empty for JSON lines
};

const FeedSpec& feed_spec(FeedKind kind);

}  // namespace accompany
