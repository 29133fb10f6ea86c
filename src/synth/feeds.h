// The six agency feeds of docs/feeds.md: their names and headers, and how one true child is
// written into each, with each agency's identifiers, formats and mistakes. Pure: no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "synth/population.h"
#include "synth/rates.h"

namespace accompany::synth {

enum class Feed { cbp_custody, orr_release, ice_nta, eoir_hearings, orr_followup, address_changes };
inline constexpr std::array<Feed, 6> kAllFeeds{Feed::cbp_custody,   Feed::orr_release,  Feed::ice_nta,
                                               Feed::eoir_hearings, Feed::orr_followup, Feed::address_changes};

std::string_view feed_kind(Feed feed);       // "cbp_custody": the import --kind and truth.csv's feed
std::string_view feed_file_name(Feed feed);  // "cbp_custody.csv"
std::string_view feed_header(Feed feed);     // the header line without "\n"; empty for JSONL

struct FeedRow {
  Feed feed = Feed::cbp_custody;
  std::string text;    // one line, without "\n"
  std::string key;     // the row key's fields as written, joined with '|' (truth.csv's row_key)
  bool wrong = false;  // deliberately malformed: a bad date, an unknown code or a wrong field count
};

// Writes children into feed rows. Ids of events, calls, forms and notices are counters, so
// children must be rendered in order. Not thread-safe.
class FeedRenderer {
 public:
  FeedRenderer(const Rates& rates, uint64_t seed);
  // Replaces `rows` with the rows `child` produces across all feeds, noise applied.
  void render(const TrueChild& child, std::vector<FeedRow>& rows);

 private:
  struct Names;  // one agency's rendering of the child's name
  void cbp(const TrueChild& child, Rng& rng, std::vector<FeedRow>& rows);
  void orr(const TrueChild& child, Rng& rng, std::vector<FeedRow>& rows);
  void ice(const TrueChild& child, Rng& rng, std::vector<FeedRow>& rows);
  void eoir(const TrueChild& child, Rng& rng, std::vector<FeedRow>& rows);
  void followup(const TrueChild& child, Rng& rng, std::vector<FeedRow>& rows);
  void address_change(const TrueChild& child, Rng& rng, std::vector<FeedRow>& rows);
  // Corrupts (at the wrong-row rate) and duplicates (at the duplicate rate), then appends.
  void emit(Feed feed, std::vector<std::string> fields, size_t key_a, int key_b, int key_c, Rng& rng,
            std::vector<FeedRow>& rows);
  void emit_json(std::vector<std::pair<std::string, std::string>> members, Rng& rng, std::vector<FeedRow>& rows);

  const Rates& rates_;
  uint64_t seed_;
  uint64_t next_event_ = 0;
  uint64_t next_call_ = 0;
  uint64_t next_form_ = 0;
  std::array<uint64_t, 200> next_nta_{};  // per issue year offset from 1950
};

// RFC 4180: quoted only when the value holds a comma, a quote or a line break.
void append_csv_field(std::string& line, std::string_view value);
// A JSON string literal with the escapes JSON requires.
std::string json_string(std::string_view value);

}  // namespace accompany::synth
