// The data steward's review queue (link_reviews, filled by `link --full`): pairs linkage was unsure
// of, listed with both sides' identity and the score per field; a decision accepts (the two become
// one: two children are merged, a pooled row is attached to the child, two pooled rows are grouped),
// rejects (they stay apart and the pair is never queued again) or defers ("later"). Every decision is
// an audit event; every identity shown is an audited read.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/unit_of_work.h"

namespace accompany {

struct ReviewSide {
  std::string entity;  // "children" or "unlinked_rows"
  Id id = 0;
  std::string given_names, paternal_surname, maternal_surname, birth_date, sex, country, a_number;
  std::string source;  // "child record", or the feed and file line of a pooled row
};

struct LinkReview {
  Id id = 0;
  double probability = 0;
  std::string status;       // open, later, accepted, rejected
  std::string explanation;  // JSON: {"fields":[{"field","agreement","weight"}], "rule"?}
  ReviewSide left, right;
  std::string decided_by, decided_at;
};

// Reviews with `status` (open and later when empty), most probable first after `after_id`... by id.
Result<std::vector<LinkReview>> list_reviews(UnitOfWork& unit, const std::string& status, Id after_id, int limit);

enum class ReviewDecision { accept, reject, later };
Result<ReviewDecision> parse_review_decision(std::string_view text);

// Applies a decision to an open (or deferred) review and returns it as it now stands.
Result<LinkReview> decide_review(UnitOfWork& unit, Id review_id, ReviewDecision decision);

}  // namespace accompany
