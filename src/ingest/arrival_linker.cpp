#include "ingest/arrival_linker.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <ctime>
#include <limits>
#include <map>

#include "ingest/feed_codes.h"
#include "ingest/population_linkage.h"
#include "ingest/row_writer.h"
#include "linkage/feed_records.h"

namespace accompany {
namespace {

// CPU time of the calling thread: what linking costs, whatever else the shared machine runs.
double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// The row as the pool would hold it, read by linkage exactly as link --full will read it.
// The pool keeps the custody date only inside the raw row, which the arriving row has not got yet.
linkage::PersonRecord arriving_person(const MappedRow& row, std::string_view kind, std::int64_t line) {
  auto record = pooled_person(unlinked_row_of(row, kind, line));
  record.attributes[linkage::custody_date] = row.who.custody_date;
  return record;
}

boost::json::array to_json(const std::vector<double>& values) {
  boost::json::array out;
  for (double v : values) out.push_back(v);
  return out;
}

std::vector<double> doubles_from(const boost::json::value& value) {
  std::vector<double> out;
  for (const auto& v : value.as_array()) out.push_back(v.to_number<double>());
  return out;
}

const char* entity_table(bool child) {
  return child ? "children" : "unlinked_rows";
}

}  // namespace

Status save_linkage_model(UnitOfWork& unit, const linkage::LinkageSpec& spec, const linkage::MatchModel& model,
                          size_t records) {
  boost::json::array fields;
  for (size_t f = 0; f < model.fields.size(); ++f)
    fields.push_back(boost::json::object{
        {"field", spec.fields[f].name}, {"m", to_json(model.fields[f].m)}, {"u", to_json(model.fields[f].u)}});
  const boost::json::object json{{"prior", model.prior}, {"fields", std::move(fields)}};
  const SqlValue params[] = {spec.name, boost::json::serialize(json), static_cast<std::int64_t>(records),
                             format_timestamp(unit.now())};
  ACCOMPANY_CHECK(unit.sql().execute(
      "INSERT INTO linkage_models (spec, model, records, created_at) VALUES ($1, $2, $3, $4)", params));
  return {};
}

Result<std::optional<linkage::MatchModel>> load_linkage_model(SqlConnection& sql, const linkage::LinkageSpec& spec) {
  const SqlValue params[] = {spec.name};
  ACCOMPANY_TRY(rows, sql.query("SELECT model FROM linkage_models WHERE spec = $1 ORDER BY id DESC LIMIT 1", params));
  if (rows.empty()) return std::optional<linkage::MatchModel>();
  linkage::MatchModel model;
  try {
    const auto json = boost::json::parse(rows[0].text(0)).as_object();
    model.prior = json.at("prior").to_number<double>();
    const auto& fields = json.at("fields").as_array();
    for (size_t f = 0; f < fields.size(); ++f) {
      const auto& field = fields[f].as_object();
      linkage::FieldProbabilities p{doubles_from(field.at("m")), doubles_from(field.at("u"))};
      // A model saved for other fields or comparison levels (an older build) cannot score today's
      // comparisons: treat it as absent until the next link --full.
      if (f >= spec.fields.size() || field.at("field").as_string() != spec.fields[f].name ||
          p.m.size() != static_cast<size_t>(linkage::level_count(spec.fields[f].comparator)) ||
          p.u.size() != p.m.size())
        return std::optional<linkage::MatchModel>();
      model.fields.push_back(std::move(p));
    }
    if (model.fields.size() != spec.fields.size()) return std::optional<linkage::MatchModel>();
  } catch (const std::exception& e) {
    return make_error(ErrorCode::internal, fmt::format("linkage_models: the saved model cannot be read: {}", e.what()));
  }
  return std::optional<linkage::MatchModel>(std::move(model));
}

std::string ArrivalLinker::Stats::describe() const {
  if (!model_found) return "linked on arrival: no saved model yet (run `accompany link --full`): rows were pooled";
  return fmt::format(
      "linked on arrival: {} of {} rows attached to a child ({} pooled rows followed them), {} grouped with pooled "
      "rows, {} pairs for review; {:.2f} s loading {} records, {:.3f} ms per row linking (CPU)",
      attached, rows, pooled_rows_attached, grouped, reviews, seconds_loading, population,
      rows ? seconds_linking * 1000.0 / static_cast<double>(rows) : 0.0);
}

ArrivalLinker::ArrivalLinker() : spec_(linkage::child_linkage_spec()), index_(spec_) {}

uint32_t ArrivalLinker::add_record(linkage::PersonRecord record, Entity entity) {
  const auto id = static_cast<uint32_t>(records_.size());
  records_.push_back(std::move(record));
  entities_.push_back(entity);
  index_.add(id, records_.back());
  (entity.child ? record_of_child_ : record_of_pooled_).emplace(entity.id, id);
  return id;
}

Status ArrivalLinker::load(UnitOfWork& unit) {
  const double started = thread_cpu_seconds();
  loaded_ = true;
  ACCOMPANY_TRY(model, load_linkage_model(unit.sql(), spec_));
  if (!model) return {};
  model_ = std::move(*model);
  stats_.model_found = true;
  ACCOMPANY_TRY(population, load_linkage_population(unit.sql()));
  records_.reserve(population.records.size() + 1024);
  for (size_t i = 0; i < population.records.size(); ++i) {
    const bool child = i < population.children.size();
    const Id id = child ? population.children[i].id : population.pooled[i - population.children.size()].id;
    add_record(std::move(population.records[i]), Entity{child, id});
  }
  ACCOMPANY_TRY(persons, unit.sql().query("SELECT unlinked_row_id, person FROM unlinked_persons"));
  for (const auto& row : persons) {
    if (!record_of_pooled_.contains(row.integer(0))) continue;  // linked since
    person_of_pooled_[row.integer(0)] = row.integer(1);
    rows_of_person_[row.integer(1)].push_back(row.integer(0));
  }
  if (spec_.term_frequencies) frequencies_ = linkage::TokenFrequencies::count(records_);
  stats_.population = records_.size();
  stats_.seconds_loading = thread_cpu_seconds() - started;
  return {};
}

double ArrivalLinker::probability(const linkage::PersonRecord& a, const linkage::PersonRecord& b,
                                  bool* auto_link) const {
  const auto comparison = linkage::compare_records(spec_, a, b);
  const double p = linkage::MatchModel::probability(
      linkage::pair_weight(spec_, model_, spec_.term_frequencies ? &frequencies_ : nullptr, comparison, a, b));
  if (auto_link) *auto_link = p >= spec_.link_probability && !linkage::needs_review(spec_, comparison);
  if (std::all_of(comparison.begin(), comparison.end(), [](int8_t level) { return level < 0; }))
    return std::numeric_limits<double>::quiet_NaN();  // nothing to compare: no evidence (see ClusterGuard)
  return p;
}

bool ArrivalLinker::guard_allows(const std::vector<uint32_t>& members,
                                 const std::vector<const linkage::PersonRecord*>& with) const {
  if (members.size() + with.size() > spec_.max_cluster_size) return false;
  double total = 0;
  size_t judged = 0;
  for (uint32_t m : members)
    for (const auto* w : with) {
      const double p = probability(records_[m], *w, nullptr);
      if (std::isnan(p)) continue;
      total += p;
      ++judged;
    }
  return judged == 0 || total / static_cast<double>(judged) >= spec_.min_mean_cross_probability;
}

std::vector<uint32_t> ArrivalLinker::pooled_person_members(uint32_t record) const {
  const Id row = entities_[record].id;
  auto person = person_of_pooled_.find(row);
  if (person == person_of_pooled_.end()) return {record};
  std::vector<uint32_t> members;
  for (Id member : rows_of_person_.at(person->second)) members.push_back(record_of_pooled_.at(member));
  return members;
}

Status ArrivalLinker::queue_review(UnitOfWork& unit, Entity left, const linkage::PersonRecord& left_record,
                                   Entity right, const linkage::PersonRecord& right_record, double probability) {
  ACCOMPANY_TRY(added,
                queue_link_review(unit, {entity_table(left.child), left.id}, {entity_table(right.child), right.id},
                                  probability, explanation_json(spec_, model_, left_record, right_record)));
  stats_.reviews += added ? 1 : 0;
  return {};
}

Result<std::optional<Id>> ArrivalLinker::child_for(UnitOfWork& unit, const MappedRow& row, std::string_view kind,
                                                   std::int64_t line) {
  ++stats_.rows;
  pending_.reset();
  if (!loaded_) ACCOMPANY_CHECK(load(unit));
  if (!stats_.model_found) return std::optional<Id>();
  const double started = thread_cpu_seconds();
  auto record = arriving_person(row, kind, line);
  std::map<Id, Scored> child_links;  // by child id: the strongest link
  std::vector<Scored> pooled_links, reviews;
  for (const uint32_t candidate : index_.candidates_for(record)) {
    bool link = false;
    const double p = probability(record, records_[candidate], &link);
    if (std::isnan(p)) continue;
    const Entity entity = entities_[candidate];
    if (link && entity.child) {
      auto& best = child_links[entity.id];
      if (p > best.probability) best = {candidate, p};
    } else if (link) {
      pooled_links.push_back({candidate, p});
    } else if (p >= spec_.review_probability && (!entity.child || candidate == record_of_child_.at(entity.id))) {
      reviews.push_back({candidate, p});
    }
  }
  // The margin rule, as link --full applies it: a review-band candidate far weaker than the row's
  // best auto-link is a namesake, not a question.
  double best_link = 0;
  for (const auto& [child, link] : child_links) best_link = std::max(best_link, link.probability);
  for (const auto& link : pooled_links) best_link = std::max(best_link, link.probability);
  std::erase_if(reviews,
                [&](const Scored& review) { return linkage::beaten_by_margin(spec_, review.probability, best_link); });
  if (child_links.size() != 1) {
    // None, or several children: two children are never joined here (a data steward decides).
    for (const auto& [child, link] : child_links) reviews.push_back({record_of_child_.at(child), link.probability});
    pending_ = Pending{std::move(record), std::move(pooled_links), std::move(reviews)};
    stats_.seconds_linking += thread_cpu_seconds() - started;
    return std::optional<Id>();
  }
  const Id child = child_links.begin()->first;
  const double probability_to_child = child_links.begin()->second.probability;
  // Pooled rows the row links to are the same child now (A=B, B=C): they follow it, a pooled person
  // at a time, when the guard's mean probability against the row and the child allows.
  const std::vector<const linkage::PersonRecord*> with = {&record, &records_[record_of_child_.at(child)]};
  size_t followed = 0;
  for (const auto& link : pooled_links) {
    if (entities_[link.record].child) continue;  // already followed with its person
    const auto members = pooled_person_members(link.record);
    if (!guard_allows(members, with)) continue;
    for (uint32_t member : members) {
      const Id row_id = entities_[member].id;
      ACCOMPANY_CHECK(attach_pooled_row(unit, row_id, child));
      const SqlValue params[] = {row_id};
      ACCOMPANY_CHECK(unit.sql().execute("DELETE FROM unlinked_persons WHERE unlinked_row_id = $1", params));
      person_of_pooled_.erase(row_id);
      record_of_pooled_.erase(row_id);
      entities_[member] = Entity{true, child};
      ++followed;
    }
  }
  stats_.pooled_rows_attached += followed;
  ++stats_.attached;
  ACCOMPANY_CHECK(unit.record_event(
      "link", "children", child,
      fmt::format("linked on arrival: {} line {} (row key {}) with probability {:.4f}; {} pooled rows followed it",
                  kind, line, row.row_key, probability_to_child, followed)));
  add_record(std::move(record), Entity{true, child});
  stats_.seconds_linking += thread_cpu_seconds() - started;
  return std::optional<Id>(child);
}

Status ArrivalLinker::pooled(UnitOfWork& unit, Id unlinked_row_id) {
  if (!pending_) return {};
  const double started = thread_cpu_seconds();
  Pending pending = std::move(*pending_);
  pending_.reset();
  const uint32_t me = add_record(std::move(pending.record), Entity{false, unlinked_row_id});
  // Group with the pooled persons the row links to (guard permitting); the person is named by its
  // smallest row id, as link --full names it.
  std::vector<Id> rows = {unlinked_row_id};
  for (const auto& link : pending.pooled_links) {
    const Id other = entities_[link.record].id;
    if (std::find(rows.begin(), rows.end(), other) != rows.end()) continue;
    const auto members = pooled_person_members(link.record);
    if (!guard_allows(members, {&records_[me]})) continue;
    for (uint32_t member : members) rows.push_back(entities_[member].id);
  }
  if (rows.size() > 1) {
    const Id person = *std::min_element(rows.begin(), rows.end());
    for (Id row : rows) {
      if (auto old = person_of_pooled_.find(row); old != person_of_pooled_.end() && old->second != person)
        rows_of_person_.erase(old->second);
      person_of_pooled_[row] = person;
      const SqlValue params[] = {row, person};
      ACCOMPANY_CHECK(unit.sql().execute(
          "INSERT INTO unlinked_persons (unlinked_row_id, person) VALUES ($1, $2) ON CONFLICT (unlinked_row_id) DO "
          "UPDATE SET person = excluded.person",
          params));
    }
    rows_of_person_[person] = rows;
    ++stats_.grouped;
  }
  const size_t reviews_before = stats_.reviews;
  for (const auto& review : pending.reviews) {
    const Entity other = entities_[review.record];
    if (!other.child && person_of_pooled_.contains(other.id) && person_of_pooled_.contains(unlinked_row_id) &&
        person_of_pooled_[other.id] == person_of_pooled_[unlinked_row_id])
      continue;  // grouped with it after all
    ACCOMPANY_CHECK(queue_review(unit, other, records_[review.record], Entity{false, unlinked_row_id}, records_[me],
                                 review.probability));
  }
  if (rows.size() > 1 || stats_.reviews > reviews_before)
    ACCOMPANY_CHECK(unit.record_event("link", "unlinked_rows", unlinked_row_id,
                                      fmt::format("pooled on arrival: grouped with {} pooled rows, {} pairs for review",
                                                  rows.size() - 1, stats_.reviews - reviews_before)));
  stats_.seconds_linking += thread_cpu_seconds() - started;
  return {};
}

}  // namespace accompany
