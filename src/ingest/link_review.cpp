#include "ingest/link_review.h"

#include <fmt/format.h>

#include "ingest/child_merge.h"
#include "ingest/population_linkage.h"

namespace accompany {
namespace {

constexpr std::string_view kReviewColumns =
    "id, probability, status, explanation, left_entity, left_id, right_entity, right_id, decided_by, decided_at";

// Reads one side's identity; an audited read, since it shows a child's (or a feed row's) identity.
Result<ReviewSide> load_side(UnitOfWork& unit, const std::string& entity, Id id, Id review_id) {
  ReviewSide side;
  side.entity = entity;
  side.id = id;
  const std::string why = fmt::format("identity (link review {})", review_id);
  if (entity == "children") {
    ACCOMPANY_TRY(child, unit.find<Child>(id));
    if (!child) return make_error(ErrorCode::not_found, fmt::format("there is no child {}", id));
    side.given_names = child->name.given_names;
    side.paternal_surname = child->name.paternal_surname;
    side.maternal_surname = child->name.maternal_surname;
    side.birth_date = child->birth_date.describe();
    side.sex = enum_name(kSexNames, child->sex);
    side.country = child->country_of_birth;
    side.a_number = child->a_number ? child->a_number->digits() : "";
    side.source = "child record";
    ACCOMPANY_CHECK(unit.record_read("children", id, why));
  } else {
    ACCOMPANY_TRY(row, unit.find<UnlinkedRow>(id));
    if (!row) return make_error(ErrorCode::not_found, fmt::format("there is no unlinked row {}", id));
    side.given_names = row->given_names;
    side.paternal_surname = row->paternal_surname;
    side.maternal_surname = row->maternal_surname;
    side.birth_date = row->birth_date;
    side.sex = row->sex;
    side.country = row->country;
    side.a_number = row->a_number;
    side.source = fmt::format("{} row, {} line {}", row->kind, row->file_name, row->line);
    ACCOMPANY_CHECK(unit.record_read("unlinked_rows", id, why));
  }
  return side;
}

Result<LinkReview> review_of(UnitOfWork& unit, const SqlRow& row) {
  LinkReview review;
  review.id = row.integer(0);
  review.probability = std::get<double>(row.at(1));
  review.status = row.text(2);
  review.explanation = row.text(3);
  ACCOMPANY_TRY(left, load_side(unit, row.text(4), row.integer(5), review.id));
  ACCOMPANY_TRY(right, load_side(unit, row.text(6), row.integer(7), review.id));
  review.left = std::move(left);
  review.right = std::move(right);
  review.decided_by = row.text(8);
  review.decided_at = row.optional_text(9).value_or("");
  return review;
}

// Two pooled rows are one person: every row of either group joins the group of the smaller id.
Status group_pooled(UnitOfWork& unit, Id a, Id b) {
  auto person_of = [&](Id id) -> Result<Id> {
    const SqlValue params[] = {id};
    ACCOMPANY_TRY(rows, unit.sql().query("SELECT person FROM unlinked_persons WHERE unlinked_row_id = $1", params));
    return rows.empty() ? id : rows[0].integer(0);
  };
  ACCOMPANY_TRY(pa, person_of(a));
  ACCOMPANY_TRY(pb, person_of(b));
  const Id person = std::min(pa, pb);
  for (Id row : {a, b}) {
    const SqlValue params[] = {row, person};
    ACCOMPANY_CHECK(unit.sql().execute(
        "INSERT INTO unlinked_persons (unlinked_row_id, person) VALUES ($1, $2) ON CONFLICT (unlinked_row_id) DO "
        "UPDATE SET person = excluded.person",
        params));
  }
  const SqlValue params[] = {std::max(pa, pb), person};
  ACCOMPANY_CHECK(unit.sql().execute("UPDATE unlinked_persons SET person = $2 WHERE person = $1", params));
  return {};
}

}  // namespace

Result<std::vector<LinkReview>> list_reviews(UnitOfWork& unit, const std::string& status, Id after_id, int limit) {
  std::vector<SqlValue> params{after_id, std::int64_t{limit}};
  std::string where = "status IN ('open', 'later')";
  if (!status.empty()) {
    params.emplace_back(status);
    where = "status = $3";
  }
  ACCOMPANY_TRY(rows, unit.sql().query(fmt::format("SELECT {} FROM link_reviews WHERE id > $1 AND {} ORDER BY id "
                                                   "LIMIT $2",
                                                   kReviewColumns, where),
                                       params));
  std::vector<LinkReview> reviews;
  for (const auto& row : rows) {
    ACCOMPANY_TRY(review, review_of(unit, row));
    reviews.push_back(std::move(review));
  }
  return reviews;
}

Result<ReviewDecision> parse_review_decision(std::string_view text) {
  if (text == "accept") return ReviewDecision::accept;
  if (text == "reject") return ReviewDecision::reject;
  if (text == "later") return ReviewDecision::later;
  return invalid("decision", text, "use accept, reject or later");
}

Result<LinkReview> decide_review(UnitOfWork& unit, Id review_id, ReviewDecision decision) {
  const SqlValue id[] = {review_id};
  ACCOMPANY_TRY(rows, unit.sql().query(fmt::format("SELECT {} FROM link_reviews WHERE id = $1", kReviewColumns), id));
  if (rows.empty()) return make_error(ErrorCode::not_found, fmt::format("there is no link review {}", review_id));
  ACCOMPANY_TRY(review, review_of(unit, rows[0]));
  if (review.status == "accepted" || review.status == "rejected")
    return make_error(ErrorCode::conflict,
                      fmt::format("link review {} was already {} by {}", review_id, review.status, review.decided_by));
  const char* status = decision == ReviewDecision::accept   ? "accepted"
                       : decision == ReviewDecision::reject ? "rejected"
                                                            : "later";
  std::string done = "none";
  if (decision == ReviewDecision::accept) {
    const bool left_child = review.left.entity == "children", right_child = review.right.entity == "children";
    if (left_child && right_child) {
      ACCOMPANY_TRY(merge, merge_children(unit, review.left.id, review.right.id,
                                          fmt::format("link review {} accepted", review_id)));
      done = fmt::format("merge {}", merge.id);
    } else if (left_child || right_child) {
      const Id child = left_child ? review.left.id : review.right.id;
      const Id row = left_child ? review.right.id : review.left.id;
      ACCOMPANY_CHECK(attach_pooled_row(unit, row, child));
      done = fmt::format("unlinked row {} attached to child {}", row, child);
    } else {
      ACCOMPANY_CHECK(group_pooled(unit, review.left.id, review.right.id));
      done = fmt::format("unlinked rows {} and {} grouped", review.left.id, review.right.id);
    }
  }
  const std::string now = format_timestamp(unit.now());
  const SqlValue params[] = {std::string(status), unit.context().actor, now, review_id};
  ACCOMPANY_CHECK(unit.sql().execute(
      "UPDATE link_reviews SET status = $1, decided_by = $2, decided_at = $3 WHERE id = $4", params));
  ACCOMPANY_CHECK(unit.record_event("review", "link_reviews", review_id,
                                    fmt::format("decision={} probability={:.3f} {}={} {}={} done={}", status,
                                                review.probability, review.left.entity, review.left.id,
                                                review.right.entity, review.right.id, done)));
  review.status = status;
  review.decided_by = unit.context().actor;
  review.decided_at = now;
  return review;
}

}  // namespace accompany
