#include "ingest/population_linkage.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <unordered_map>

#include "ingest/arrival_linker.h"
#include "ingest/row_mapper.h"
#include "ingest/row_writer.h"
#include "linkage/birth_dates.h"
#include "linkage/csv_fields.h"
#include "linkage/feed_records.h"
#include "linkage/linker.h"
#include "linkage/person_name.h"

namespace accompany {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string select_columns(const TableSpec& spec) {
  std::string columns = "id";
  for (auto column : spec.columns) columns += fmt::format(", {}", column);
  return columns;
}

// "UAC_ID=UAC00012345;SUBJECT_ID=CBP000000001" -> {"UAC_ID=UAC00012345", "SUBJECT_ID=CBP000000001"}
std::vector<std::string_view> local_id_items(std::string_view ids) {
  std::vector<std::string_view> items;
  while (!ids.empty()) {
    const auto end = ids.find(';');
    items.push_back(ids.substr(0, end));
    if (end == std::string_view::npos) break;
    ids.remove_prefix(end + 1);
  }
  return items;
}

}  // namespace

Result<LinkagePopulation> load_linkage_population(SqlConnection& sql) {
  LinkagePopulation population;
  std::unordered_map<Id, std::vector<std::string>> uac_ids;
  std::unordered_map<Id, std::string> custody_dates;  // child id -> day of its first transfer to ORR
  ACCOMPANY_CHECK(([&]() -> Status {
    ACCOMPANY_TRY(children, sql.query(fmt::format("SELECT {} FROM children ORDER BY id",
                                                  select_columns(EntityTable<Child>::spec()))));
    for (const auto& row : children) {
      ACCOMPANY_TRY(child, EntityTable<Child>::from_row(row));
      population.children.push_back(std::move(child));
    }
    ACCOMPANY_TRY(locals, sql.query("SELECT id_namespace, local_id, entity_id FROM local_ids WHERE entity = "
                                    "'children' ORDER BY id"));
    for (const auto& row : locals) {
      if (row.text(0) == "UAC_ID") uac_ids[row.integer(2)].push_back(row.text(1));
      population.child_of_local_id.emplace(fmt::format("{}={}", row.text(0), row.text(1)), row.integer(2));
    }
    // A child's custody date: its first transfer to ORR, as CBP's transfer event or ORR's admission
    // date on a release row attached to it (kept with the row's key, migration 0011). Timestamps
    // and days are ISO 8601 text, so the smallest is the earliest and ten characters are the day.
    ACCOMPANY_TRY(transfers,
                  sql.query("SELECT child_id, MIN(day) FROM (SELECT child_id, custody_day AS day FROM import_row_keys "
                            "WHERE kind = 'orr_release' AND child_id IS NOT NULL AND custody_day IS NOT NULL "
                            "UNION ALL SELECT child_id, substr(occurred_at, 1, 10) AS day FROM custody_events WHERE "
                            "kind = 'transferred_to_orr') AS days GROUP BY child_id"));
    for (const auto& row : transfers) custody_dates[row.integer(0)] = row.text(1);
    ACCOMPANY_TRY(pooled, sql.query(fmt::format("SELECT {} FROM unlinked_rows WHERE status = 'open' ORDER BY id",
                                                select_columns(EntityTable<UnlinkedRow>::spec()))));
    for (const auto& row : pooled) {
      ACCOMPANY_TRY(record, EntityTable<UnlinkedRow>::from_row(row));
      population.pooled.push_back(std::move(record));
    }
    return {};
  }()));
  population.records.reserve(population.children.size() + population.pooled.size());
  static const std::vector<std::string> kNone;
  static const std::string kNoDate;
  for (const auto& child : population.children) {
    auto it = uac_ids.find(child.id);
    auto date = custody_dates.find(child.id);
    population.records.push_back(child_person(child, it == uac_ids.end() ? kNone : it->second,
                                              date == custody_dates.end() ? kNoDate : date->second));
  }
  for (const auto& row : population.pooled) population.records.push_back(pooled_person(row));
  return population;
}

std::string explanation_json(const linkage::LinkageSpec& spec, const linkage::MatchModel& model,
                             const linkage::PersonRecord& a, const linkage::PersonRecord& b) {
  const auto comparison = linkage::compare_records(spec, a, b);
  boost::json::array fields;
  for (size_t f = 0; f < spec.fields.size(); ++f) {
    const int level = comparison[f];
    boost::json::object field{{"field", spec.fields[f].name}};
    if (level < 0) {
      field["agreement"] = "missing";
      field["weight"] = 0.0;
    } else {
      field["agreement"] = linkage::level_name(spec.fields[f].comparator, level);
      field["weight"] = std::round(model.field_weight(f, level) * 100) / 100;
    }
    fields.push_back(std::move(field));
  }
  boost::json::object out{{"fields", std::move(fields)}};
  if (linkage::needs_review(spec, comparison))
    out["rule"] = "surnames disagree outright and no identifier agrees: a data steward decides";
  return boost::json::serialize(out);
}

Result<bool> queue_link_review(UnitOfWork& unit, const std::pair<std::string, Id>& left,
                               const std::pair<std::string, Id>& right, double probability,
                               const std::string& explanation) {
  const SqlValue params[] = {
      left.first, left.second, right.first, right.second, probability, explanation, format_timestamp(unit.now())};
  ACCOMPANY_TRY(added, unit.sql().execute(
                           "INSERT INTO link_reviews (left_entity, left_id, right_entity, right_id, probability, "
                           "explanation, status, created_at, decided_by) VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, "
                           "'') ON CONFLICT DO NOTHING",
                           params));
  return added > 0;
}

namespace {

// A child from a pooled ORR release row, as import creates one from a release row that carries
// an A-number (docs/import.md): the row's names, birth date, sex, country and language.
Result<Id> create_child_from(UnitOfWork& unit, const UnlinkedRow& row) {
  RowScratch scratch;
  std::string key;
  auto mapped = map_record(FeedKind::orr_release, row.raw, scratch, unit.today(), key);
  if (!mapped)
    return mapped.error().within(fmt::format("unlinked row {} ({} line {})", row.id, row.file_name, row.line));
  if (!mapped->child)
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("unlinked row {} ({} line {}) describes no child", row.id, row.file_name, row.line));
  return unit.insert(*mapped->child);
}

Status attach_row(UnitOfWork& unit, UnlinkedRow row, Id child_id) {
  ACCOMPANY_TRY(kind, parse_enum(kFeedKindNames, "kind", row.kind));
  RowScratch scratch;
  std::string key;
  auto mapped = map_record(kind, row.raw, scratch, unit.today(), key);
  if (!mapped)
    return mapped.error().within(fmt::format("unlinked row {} ({} line {})", row.id, row.file_name, row.line));
  RowWriter writer(unit, kind, row.file_name, std::nullopt);
  ACCOMPANY_CHECK(writer.attach(*mapped, child_id));
  row.status = UnlinkedStatus::linked;
  row.child_id = child_id;
  ACCOMPANY_CHECK(unit.update(row));
  return {};
}

}  // namespace

Status attach_pooled_row(UnitOfWork& unit, Id unlinked_row_id, Id child_id) {
  ACCOMPANY_TRY(row, unit.find<UnlinkedRow>(unlinked_row_id));
  if (!row) return make_error(ErrorCode::not_found, fmt::format("there is no unlinked row {}", unlinked_row_id));
  if (row->status != UnlinkedStatus::open)
    return make_error(ErrorCode::conflict, fmt::format("unlinked row {} is already linked to child {}", unlinked_row_id,
                                                       row->child_id.value_or(0)));
  ACCOMPANY_TRY(child, unit.find<Child>(child_id));
  if (!child) return make_error(ErrorCode::not_found, fmt::format("there is no child {}", child_id));
  return attach_row(unit, std::move(*row), child_id);
}

std::string FullLinkSummary::describe() const {
  return fmt::format(
      "linked {} children and {} pooled rows: {} candidate pairs, {} auto-links ({} refused by the chain guard); "
      "{} pooled rows attached to a child, {} children created from pooled ORR release rows, {} groups of pooled "
      "rows with no child, {} new pairs for review; {:.1f} s loading, {:.1f} s linking, {:.1f} s writing",
      children, pooled, candidate_pairs, auto_links, guard_refusals, attached, children_created, pooled_persons,
      reviews_added, seconds_loading, seconds_linking, seconds_writing);
}

linkage::PersonRecord child_person(const Child& child, const std::vector<std::string>& uac_ids,
                                   const std::string& custody_date) {
  linkage::PersonRecord r;
  r.source = "children";
  r.key = std::to_string(child.id);
  auto names = linkage::name_tokens(child.name.given_names, child.name.paternal_surname, child.name.maternal_surname);
  r.given = std::move(names.given);
  r.surnames = std::move(names.surnames);
  r.birth = child.birth_date;
  r.sex = child.sex;
  r.country = child.country_of_birth;
  if (child.a_number) r.anumber = child.a_number->digits();
  r.attributes.resize(linkage::child_attribute_count);
  // A re-keyed child has several; the first (its oldest) is compared.
  if (!uac_ids.empty()) r.attributes[linkage::uac_id] = uac_ids.front();
  r.attributes[linkage::custody_date] = custody_date;
  return r;
}

linkage::PersonRecord pooled_person(const UnlinkedRow& row) {
  linkage::PersonRecord r;
  r.source = row.kind;
  r.line = static_cast<uint32_t>(row.line);
  r.key = row.row_key;
  auto names = linkage::name_tokens(row.given_names, row.paternal_surname, row.maternal_surname);
  r.given = std::move(names.given);
  r.surnames = std::move(names.surnames);
  r.birth = linkage::parse_birth_date_loose(row.birth_date, linkage::DateOrder::ymd);
  r.sex = row.sex == "female" ? Sex::female : row.sex == "male" ? Sex::male : Sex::unknown;
  r.country = row.country;
  r.anumber = row.a_number;
  r.attributes.resize(linkage::child_attribute_count);
  for (auto item : local_id_items(row.local_ids))
    if (item.starts_with("UAC_ID=")) r.attributes[linkage::uac_id] = std::string(item.substr(7));
  // Only these two feeds carry a custody date; the others' raw rows are not split for nothing.
  if (row.kind == "cbp_custody" || row.kind == "orr_release")
    r.attributes[linkage::custody_date] = linkage::custody_day(row.kind, linkage::split_csv_line(row.raw));
  return r;
}

Result<FullLinkSummary> link_full(Store& store, const AuditContext& context, unsigned threads) {
  FullLinkSummary summary;
  auto started = std::chrono::steady_clock::now();
  LinkagePopulation population;
  std::unordered_map<Id, Id> earlier_person;  // pooled row id -> its group from an earlier run
  ACCOMPANY_CHECK(store.read([&](SqlConnection& sql) -> Status {
    ACCOMPANY_TRY(loaded, load_linkage_population(sql));
    population = std::move(loaded);
    ACCOMPANY_TRY(groups, sql.query("SELECT unlinked_row_id, person FROM unlinked_persons"));
    for (const auto& row : groups) earlier_person[row.integer(0)] = row.integer(1);
    return {};
  }));
  const size_t n_children = population.children.size();
  summary.children = n_children;
  summary.pooled = population.pooled.size();
  summary.seconds_loading = seconds_since(started);

  started = std::chrono::steady_clock::now();
  const auto spec = linkage::child_linkage_spec();
  const auto result = linkage::link_records(spec, population.records, threads);
  summary.candidate_pairs = result.candidate_pairs;
  summary.auto_links = result.links.size();
  summary.guard_refusals = result.guard_refusals;
  summary.seconds_linking = seconds_since(started);

  // The feeds' own ids are identity, as on import (docs/import.md, linking rules): pooled rows
  // sharing a UAC_ID or SUBJECT_ID are one child, and a pooled row whose id is now mapped to a child
  // (mapped after the row was pooled) is that child. These join the linker's clusters.
  started = std::chrono::steady_clock::now();
  const size_t n = population.records.size();
  std::unordered_map<Id, uint32_t> record_of_child;
  for (uint32_t c = 0; c < n_children; ++c) record_of_child[population.children[c].id] = c;
  linkage::Clusters persons(n);
  for (uint32_t i = 0; i < n; ++i) persons.merge(i, result.cluster_of[i]);
  std::unordered_map<std::string_view, uint32_t> first_holder;
  std::vector<std::optional<uint32_t>> known_child(n);  // pooled record -> child record, by local id
  for (uint32_t i = static_cast<uint32_t>(n_children); i < n; ++i)
    for (auto item : local_id_items(population.pooled[i - n_children].local_ids)) {
      if (auto it = population.child_of_local_id.find(std::string(item)); it != population.child_of_local_id.end())
        known_child[i] = record_of_child.at(it->second);
      auto [holder, fresh] = first_holder.emplace(item, i);
      if (!fresh) persons.merge(i, holder->second);
    }
  for (uint32_t i = static_cast<uint32_t>(n_children); i < n; ++i)
    if (known_child[i]) persons.merge(i, *known_child[i]);
  // Pooled rows an earlier run (or a steward) grouped stay one person: a model re-estimated on the
  // smaller pool left over must not undo that run's work.
  std::unordered_map<Id, uint32_t> first_of_group;
  for (uint32_t i = static_cast<uint32_t>(n_children); i < n; ++i) {
    auto group = earlier_person.find(population.pooled[i - n_children].id);
    if (group == earlier_person.end()) continue;
    auto [holder, fresh] = first_of_group.emplace(group->second, i);
    if (!fresh) persons.merge(i, holder->second);
  }
  const auto label = persons.labels();  // smallest record id: a child's when the person has one

  // Where each pooled row goes. Children come first, so a label below n_children is a child; a
  // person may hold more than one child only through pooled rows between them (children are
  // never merged here).
  std::vector<uint32_t> children_in(n, 0), pooled_in(n, 0);
  for (size_t i = 0; i < n; ++i) ++(i < n_children ? children_in : pooled_in)[label[i]];
  // For clusters with several children: each pooled row goes to the child it links to most strongly.
  std::unordered_map<uint32_t, std::pair<double, uint32_t>> strongest_child;
  std::vector<linkage::ScoredPair> child_pairs;  // two children the linker would join: for review
  for (const auto& link : result.links) {
    const bool a_child = link.a < n_children, b_child = link.b < n_children;
    if (a_child && b_child) {
      child_pairs.push_back(link);
    } else if (a_child != b_child) {
      const uint32_t row = a_child ? link.b : link.a, child = a_child ? link.a : link.b;
      auto& best = strongest_child[row];
      if (link.probability > best.first) best = {link.probability, child};
    }
  }
  constexpr std::optional<uint32_t> kNoChild = std::nullopt;  // links to several children: undecided
  std::vector<std::optional<uint32_t>> attach_to(n);          // pooled record -> child record
  for (size_t i = n_children; i < n; ++i) {
    if (label[i] >= n_children) continue;
    if (known_child[i]) {
      attach_to[i] = known_child[i];
    } else if (children_in[label[i]] == 1) {
      attach_to[i] = label[i];
    } else if (auto it = strongest_child.find(static_cast<uint32_t>(i)); it != strongest_child.end()) {
      attach_to[i] = it->second.second;
    }
  }
  // A person of pooled rows only (the chain guard kept it from a child: rows with little to compare,
  // such as follow-up calls carrying only a UAC_ID, pull the mean cross probability down) goes to a
  // child when its rows' direct auto-links to children all name that one child.
  std::unordered_map<uint32_t, std::optional<uint32_t>> child_of_pooled_person;
  for (size_t i = n_children; i < n; ++i) {
    if (label[i] < n_children) continue;
    auto it = strongest_child.find(static_cast<uint32_t>(i));
    if (it == strongest_child.end()) continue;
    auto [entry, fresh] = child_of_pooled_person.emplace(label[i], it->second.second);
    if (!fresh && entry->second != it->second.second) entry->second = kNoChild;
  }
  for (size_t i = n_children; i < n; ++i) {
    if (label[i] < n_children) continue;
    auto it = child_of_pooled_person.find(label[i]);
    if (it != child_of_pooled_person.end() && it->second != kNoChild) attach_to[i] = it->second;
  }
  // A person of pooled rows with no child that holds an ORR release row is a child ORR released
  // whose release row carried no A-number: the first such row creates it.
  std::unordered_map<uint32_t, size_t> creator_of_person;  // person label -> pooled record
  for (size_t i = n_children; i < n; ++i)
    if (!attach_to[i] && label[i] >= n_children && population.pooled[i - n_children].kind == "orr_release")
      creator_of_person.emplace(label[i], i);
  // Another person of pooled rows with no child (often the notices and hearings that carry an
  // A-number the store never saw) goes with such a person when its rows' direct auto-links to
  // other pooled persons all name that one, as for existing children above.
  std::unordered_map<uint32_t, std::optional<uint32_t>> joins_person;  // person label -> creator person
  for (const auto& link : result.links) {
    if (link.a < n_children || link.b < n_children || attach_to[link.a] || attach_to[link.b]) continue;
    for (auto [from, to] : {std::pair{label[link.a], label[link.b]}, std::pair{label[link.b], label[link.a]}}) {
      if (from == to || from < n_children || creator_of_person.contains(from) || !creator_of_person.contains(to))
        continue;
      auto [entry, fresh] = joins_person.emplace(from, to);
      if (!fresh && entry->second != to) entry->second = kNoChild;
    }
  }
  auto created_person_of = [&](size_t i) -> std::optional<uint32_t> {
    if (attach_to[i] || label[i] < n_children) return std::nullopt;
    if (creator_of_person.contains(label[i])) return label[i];
    auto it = joins_person.find(label[i]);
    if (it != joins_person.end()) return it->second;
    return std::nullopt;
  };
  // The entity each record ends up as, so a review pair already inside one entity is skipped.
  auto final_entity = [&](uint32_t i) -> uint32_t {
    if (i < n_children) return i;
    if (attach_to[i]) return *attach_to[i];
    if (auto person = created_person_of(i)) return *person;
    return label[i];
  };

  ACCOMPANY_CHECK(store.transact(context, [&](UnitOfWork& unit) -> Status {
    summary.attached = 0;
    summary.pooled_persons = 0;
    summary.reviews_added = 0;
    for (size_t i = n_children; i < n; ++i) {
      if (!attach_to[i]) continue;
      ACCOMPANY_CHECK(attach_row(unit, population.pooled[i - n_children], population.children[*attach_to[i]].id));
      ++summary.attached;
    }
    std::unordered_map<uint32_t, Id> created;  // creator person label -> new child id
    for (size_t i = n_children; i < n; ++i) {
      const auto person = created_person_of(i);
      if (!person) continue;
      auto [entry, fresh] = created.emplace(*person, 0);
      if (fresh) {
        ACCOMPANY_TRY(id, create_child_from(unit, population.pooled[creator_of_person.at(*person) - n_children]));
        entry->second = id;
        ++summary.children_created;
      }
      ACCOMPANY_CHECK(attach_row(unit, population.pooled[i - n_children], entry->second));
      ++summary.attached;
    }
    ACCOMPANY_CHECK(unit.sql().execute("DELETE FROM unlinked_persons"));
    for (size_t i = n_children; i < n; ++i) {
      const uint32_t person = label[i];
      if (attach_to[i] || person < n_children || pooled_in[person] < 2 || created_person_of(i)) continue;
      if (person == i) ++summary.pooled_persons;
      const SqlValue params[] = {population.pooled[i - n_children].id, population.pooled[person - n_children].id};
      ACCOMPANY_CHECK(
          unit.sql().execute("INSERT INTO unlinked_persons (unlinked_row_id, person) VALUES ($1, $2)", params));
    }
    std::vector<linkage::ScoredPair> reviews = result.review;
    reviews.insert(reviews.end(), child_pairs.begin(), child_pairs.end());
    for (auto pair : reviews) {
      if (final_entity(pair.a) == final_entity(pair.b)) continue;
      if (pair.b < n_children && pair.a >= n_children) std::swap(pair.a, pair.b);  // the child on the left
      auto entity = [&](uint32_t i) -> std::pair<std::string, Id> {
        return i < n_children ? std::pair<std::string, Id>{"children", population.children[i].id}
                              : std::pair<std::string, Id>{"unlinked_rows", population.pooled[i - n_children].id};
      };
      const auto [left_entity, left_id] = entity(pair.a);
      const auto [right_entity, right_id] = entity(pair.b);
      ACCOMPANY_TRY(added, queue_link_review(unit, {left_entity, left_id}, {right_entity, right_id}, pair.probability,
                                             explanation_json(spec, result.model, population.records[pair.a],
                                                              population.records[pair.b])));
      summary.reviews_added += added ? 1 : 0;
    }
    // Rows imported from now on are linked on arrival with this model (ingest/arrival_linker.h).
    ACCOMPANY_CHECK(save_linkage_model(unit, spec, result.model, n));
    return unit.record_event("link", "link_reviews", 0,
                             fmt::format("full re-link: children={} pooled={} attached={} pooled_persons={} "
                                         "reviews_added={} auto_links={} guard_refusals={}",
                                         summary.children, summary.pooled, summary.attached, summary.pooled_persons,
                                         summary.reviews_added, summary.auto_links, summary.guard_refusals));
  }));
  summary.seconds_writing = seconds_since(started);
  return summary;
}

Result<std::map<std::pair<std::string, std::string>, std::string>> stored_entities(Store& store) {
  std::map<std::pair<std::string, std::string>, std::string> where;
  ACCOMPANY_CHECK(store.read([&](SqlConnection& sql) -> Status {
    ACCOMPANY_TRY(keys, sql.query("SELECT kind, row_key, child_id FROM import_row_keys WHERE child_id IS NOT NULL"));
    for (const auto& row : keys) where[{row.text(0), row.text(1)}] = fmt::format("child {}", row.integer(2));
    ACCOMPANY_TRY(pooled, sql.query("SELECT u.kind, u.row_key, u.id, u.child_id, p.person FROM unlinked_rows u "
                                    "LEFT JOIN unlinked_persons p ON p.unlinked_row_id = u.id"));
    for (const auto& row : pooled) {
      const auto child = row.optional_integer(3);
      const auto person = row.optional_integer(4);
      where[{row.text(0), row.text(1)}] = child    ? fmt::format("child {}", *child)
                                          : person ? fmt::format("pooled person {}", *person)
                                                   : fmt::format("pooled row {}", row.integer(2));
    }
    return {};
  }));
  return where;
}

Result<StoredLinkageEvaluation> evaluate_stored_linkage(Store& store, std::string_view truth_csv) {
  ACCOMPANY_TRY(where, stored_entities(store));
  StoredLinkageEvaluation evaluation;
  std::vector<std::string> truth;
  std::vector<uint32_t> predicted;
  std::map<std::string, uint32_t> entity_ids;
  size_t line_number = 0;
  while (!truth_csv.empty()) {
    const auto end = truth_csv.find('\n');
    const std::string line(truth_csv.substr(0, end));
    truth_csv.remove_prefix(end == std::string_view::npos ? truth_csv.size() : end + 1);
    if (++line_number == 1 || line.empty()) continue;
    // feed,line,row_key,child_key: row keys hold no commas
    const auto c1 = line.find(','), c2 = line.find(',', c1 + 1), c3 = line.rfind(',');
    if (c1 == std::string::npos || c2 == std::string::npos || c3 <= c2)
      return invalid("line", std::to_string(line_number), "truth file: expected feed,line,row_key,child_key");
    auto it = where.find({line.substr(0, c1), line.substr(c2 + 1, c3 - c2 - 1)});
    if (it == where.end()) {
      ++evaluation.absent;
      continue;
    }
    predicted.push_back(entity_ids.emplace(it->second, static_cast<uint32_t>(entity_ids.size())).first->second);
    truth.push_back(line.substr(c3 + 1));
  }
  evaluation.rows = truth.size();
  evaluation.entities = entity_ids.size();
  evaluation.pairs = linkage::pair_scores(predicted, truth);
  evaluation.clusters = linkage::cluster_scores(predicted, truth);
  return evaluation;
}

}  // namespace accompany
