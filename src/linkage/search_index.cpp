// Person search: an inverted index over folded name tokens with typo and sound-alike expansion,
// exact maps for birth date, A-number and phone, and a scorer that says why each hit matched.
#include "linkage/search_index.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "linkage/birth_dates.h"
#include "linkage/identifiers.h"
#include "linkage/jaro_winkler.h"
#include "linkage/person_name.h"
#include "linkage/spanish_phonetic.h"
#include "linkage/text_fold.h"

namespace accompany::linkage {
namespace {

constexpr uint32_t kSurnameBit = 0x80000000u;
constexpr double kMinSimilarity = 0.86;      // Jaro–Winkler below this is another name
constexpr double kPhoneticSimilarity = 0.9;  // a sound-alike counts as much as a close typo
// A query that thousands of people match equally ("maria garcia", no date) cannot be answered by
// ranking: the first kMaxCandidates name matches are ranked and the agent is expected to ask for a
// birth date or an A-number. This bounds the work of the commonest queries.
constexpr size_t kMaxCandidates = 3000;
constexpr size_t kFallbackCandidates = 2000;
constexpr double kUnmatchedTokenPenalty = 0.3;  // a tie-breaker: under any one name's weight
constexpr size_t kMaxRelaxationScan = 50000;  // a second name held by more people is not scanned to relax

uint32_t pack_birth(const BirthDate& b) {
  return static_cast<uint32_t>(static_cast<int>(b.date.year())) * 10000 + static_cast<unsigned>(b.date.month()) * 100 +
         static_cast<unsigned>(b.date.day());
}
uint32_t swap_day_month(uint32_t packed) {
  const uint32_t y = packed / 10000, m = packed / 100 % 100, d = packed % 100;
  return y * 10000 + d * 100 + m;
}
uint64_t phone_number(const std::string& e164) {
  return e164.empty() ? 0 : std::stoull(e164.substr(1));
}
uint32_t anumber_number(const std::string& digits) {
  return digits.empty() ? 0 : static_cast<uint32_t>(std::stoul(digits));
}

void insert_sorted(std::vector<uint32_t>& list, uint32_t value) {
  if (list.empty() || list.back() < value) {
    list.push_back(value);
    return;
  }
  auto it = std::lower_bound(list.begin(), list.end(), value);
  if (it == list.end() || *it != value) list.insert(it, value);
}

std::vector<std::string> deletions_of(const std::string& token) {
  std::vector<std::string> out{token};
  if (token.size() < 3) return out;
  for (size_t i = 0; i < token.size(); ++i) out.push_back(token.substr(0, i) + token.substr(i + 1));
  return out;
}

// The parts of a free-text query.
struct ParsedQuery {
  std::vector<std::string> names;
  std::optional<BirthDate> birth;
  std::string anumber;
  std::string phone;
};

bool is_numeric_chunk(std::string_view chunk) {
  bool digit = false;
  for (char c : chunk) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (std::string_view("-/.()+").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return digit;
}

void read_numbers(const std::string& group, ParsedQuery& parsed) {
  size_t digits = 0;
  for (char c : group) digits += (c >= '0' && c <= '9');
  const bool separated_date = group.find('/') != std::string::npos ||
                              std::count(group.begin(), group.end(), '-') == 2 ||
                              std::count(group.begin(), group.end(), '.') == 2;
  if (separated_date && digits <= 8) {
    if (auto birth = parse_birth_date_loose(group, DateOrder::mdy)) parsed.birth = birth;
    return;
  }
  if (digits == 8) {
    if (auto birth = parse_birth_date_loose(group, DateOrder::ymd);
        birth && birth->precision == BirthDatePrecision::exact && static_cast<int>(birth->date.year()) >= 1950) {
      parsed.birth = birth;
      return;
    }
  }
  if (digits == 8 || digits == 9) {
    parsed.anumber = normalize_anumber(group);
  } else if (digits >= 10) {
    parsed.phone = normalize_phone(group);
  }
}

ParsedQuery parse_query(const SearchQuery& query) {
  ParsedQuery parsed;
  std::string numeric_group, name_text;
  auto flush = [&] {
    if (!numeric_group.empty()) read_numbers(numeric_group, parsed);
    numeric_group.clear();
  };
  size_t start = 0;
  const std::string& text = query.text;
  while (start <= text.size()) {
    size_t end = text.find_first_of(" \t,;", start);
    if (end == std::string::npos) end = text.size();
    const std::string chunk = text.substr(start, end - start);
    start = end + 1;
    if (chunk.empty()) continue;
    if ((chunk[0] == 'A' || chunk[0] == 'a') && chunk.size() > 1 && is_numeric_chunk(chunk.substr(1)) &&
        !normalize_anumber(chunk).empty()) {
      flush();
      parsed.anumber = normalize_anumber(chunk);
    } else if (is_numeric_chunk(chunk)) {
      numeric_group += numeric_group.empty() ? chunk : " " + chunk;
    } else {
      flush();
      name_text += chunk + " ";
    }
  }
  flush();
  for (auto& token : split_tokens(fold_text(name_text)))
    if (!is_name_particle(token)) parsed.names.push_back(std::move(token));
  if (query.birth) parsed.birth = query.birth;
  if (!query.anumber.empty()) parsed.anumber = normalize_anumber(query.anumber);
  if (!query.phone.empty()) parsed.phone = normalize_phone(query.phone);
  return parsed;
}

// Union of sorted lists, sorted. Shortest first, so the one long list (the exact spelling of a common
// name) is walked once, not once per typo variant.
std::vector<uint32_t> merged(std::vector<const std::vector<uint32_t>*> lists) {
  std::sort(lists.begin(), lists.end(), [](const auto* a, const auto* b) { return a->size() < b->size(); });
  if (lists.size() == 1) return *lists.front();
  std::vector<uint32_t> out;
  for (const auto* list : lists) {
    std::vector<uint32_t> next;
    next.reserve(out.size() + list->size());
    std::set_union(out.begin(), out.end(), list->begin(), list->end(), std::back_inserter(next));
    out.swap(next);
  }
  return out;
}

}  // namespace

uint32_t PersonSearchIndex::intern(const std::string& token) {
  auto [it, inserted] = token_ids_.try_emplace(token, static_cast<uint32_t>(tokens_.size()));
  if (!inserted) return it->second;
  tokens_.push_back(token);
  postings_.emplace_back();
  for (auto& variant : deletions_of(token)) deletions_[std::move(variant)].push_back(it->second);
  phonetic_[spanish_phonetic(token)].push_back(it->second);
  return it->second;
}

void PersonSearchIndex::erase_from(std::vector<uint32_t>& postings, uint32_t slot) {
  auto it = std::lower_bound(postings.begin(), postings.end(), slot);
  if (it != postings.end() && *it == slot) postings.erase(it);
}

void PersonSearchIndex::upsert(const SearchablePerson& person) {
  remove(person.id);
  const auto slot_id = static_cast<uint32_t>(slots_.size());
  Slot slot;
  slot.id = person.id;
  slot.alive = true;
  const auto names = name_tokens(person.given_names, person.surnames);
  for (const auto& token : names.given) slot.tokens.push_back(intern(token));
  for (const auto& token : names.surnames) slot.tokens.push_back(intern(token) | kSurnameBit);
  if (person.birth) {
    slot.birth = pack_birth(*person.birth);
    slot.birth_precision = static_cast<uint8_t>(person.birth->precision);
  }
  slot.anumber = anumber_number(normalize_anumber(person.anumber));
  slot.phone = phone_number(normalize_phone(person.phone));
  for (uint32_t token : slot.tokens) insert_sorted(postings_[token & ~kSurnameBit], slot_id);
  if (slot.birth) by_birth_[slot.birth].push_back(slot_id);
  if (slot.anumber) by_anumber_[slot.anumber].push_back(slot_id);
  if (slot.phone) by_phone_[slot.phone].push_back(slot_id);
  slots_.push_back(std::move(slot));
  slot_of_[person.id] = slot_id;
}

bool PersonSearchIndex::remove(Id id) {
  auto found = slot_of_.find(id);
  if (found == slot_of_.end()) return false;
  const uint32_t slot_id = found->second;
  Slot& slot = slots_[slot_id];
  for (uint32_t token : slot.tokens) erase_from(postings_[token & ~kSurnameBit], slot_id);
  if (slot.birth) erase_from(by_birth_[slot.birth], slot_id);
  if (slot.anumber) erase_from(by_anumber_[slot.anumber], slot_id);
  if (slot.phone) erase_from(by_phone_[slot.phone], slot_id);
  slot.alive = false;
  slot.tokens.clear();
  slot_of_.erase(found);
  return true;
}

std::vector<PersonSearchIndex::Expansion> PersonSearchIndex::expand(const std::string& token) const {
  std::vector<uint32_t> candidates;
  for (const auto& variant : deletions_of(token))
    if (auto it = deletions_.find(variant); it != deletions_.end())
      candidates.insert(candidates.end(), it->second.begin(), it->second.end());
  const auto key = spanish_phonetic(token);
  std::unordered_set<uint32_t> sound_alike;
  if (key.size() >= 2)
    if (auto it = phonetic_.find(key); it != phonetic_.end()) {
      candidates.insert(candidates.end(), it->second.begin(), it->second.end());
      sound_alike.insert(it->second.begin(), it->second.end());
    }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  std::vector<Expansion> out;
  for (uint32_t id : candidates) {
    double similarity = tokens_[id] == token ? 1.0 : jaro_winkler(token, tokens_[id]);
    if (similarity < 1.0 && sound_alike.count(id)) similarity = std::max(similarity, kPhoneticSimilarity);
    if (similarity >= kMinSimilarity && !postings_[id].empty()) out.push_back({id, similarity});
  }
  return out;
}

std::vector<SearchHit> PersonSearchIndex::search(const SearchQuery& query) const {
  const auto parsed = parse_query(query);
  std::vector<uint32_t> candidates;

  // Identifiers and the birth date find candidates directly.
  auto add_all = [&](const auto& map, auto key) {
    if (auto it = map.find(key); it != map.end())
      candidates.insert(candidates.end(), it->second.begin(), it->second.end());
  };
  if (!parsed.anumber.empty()) {
    add_all(by_anumber_, anumber_number(parsed.anumber));
    for (const auto& variant : one_typo_variants(parsed.anumber)) add_all(by_anumber_, anumber_number(variant));
  }
  if (!parsed.phone.empty()) add_all(by_phone_, phone_number(parsed.phone));
  if (parsed.birth && parsed.birth->precision == BirthDatePrecision::exact) {
    add_all(by_birth_, pack_birth(*parsed.birth));
    add_all(by_birth_, swap_day_month(pack_birth(*parsed.birth)));
  }

  // Names: each query token expands to close spellings; the persons holding the two rarest tokens
  // are the candidates, relaxed to other pairs of tokens or to one token when that finds too few, so
  // one wrong or extra word never empties the result.
  // A token no spelling reaches may be two names run together by a dropped space
  // ("juanaagustina"): it is read as the two when both halves reach names.
  std::vector<std::vector<Expansion>> expansions;
  std::vector<std::string> names;
  for (const auto& token : parsed.names) {
    auto expansion = expand(token);
    std::string name = token;
    if (expansion.empty() && token.size() >= 6) {
      auto closest = [](const std::vector<Expansion>& e) {
        double best = 0;
        for (const auto& x : e) best = std::max(best, x.similarity);
        return best;
      };
      double best_pair = 0;
      size_t best_cut = 0;
      std::vector<Expansion> best_left, best_right;
      for (size_t cut = 3; cut + 3 <= token.size(); ++cut) {  // the cut whose halves are closest to names
        auto left = expand(token.substr(0, cut)), right = expand(token.substr(cut));
        if (left.empty() || right.empty() || closest(left) + closest(right) <= best_pair) continue;
        best_pair = closest(left) + closest(right);
        best_cut = cut;
        best_left = std::move(left);
        best_right = std::move(right);
      }
      if (best_cut) {
        names.push_back(token.substr(0, best_cut));
        expansions.push_back(std::move(best_left));
        name = token.substr(best_cut);
        expansion = std::move(best_right);
      }
    }
    names.push_back(std::move(name));
    expansions.push_back(std::move(expansion));
  }
  std::vector<std::pair<size_t, size_t>> by_size;  // (postings total, query token)
  for (size_t i = 0; i < expansions.size(); ++i) {
    size_t total = 0;
    for (const auto& e : expansions[i]) total += postings_[e.token].size();
    if (total > 0) by_size.emplace_back(total, i);
  }
  std::sort(by_size.begin(), by_size.end());
  auto union_of = [&](size_t query_token) {
    std::vector<const std::vector<uint32_t>*> lists;
    for (const auto& e : expansions[query_token]) lists.push_back(&postings_[e.token]);
    return merged(lists);
  };
  // Whether a person holds a spelling of query token `i`: a table lookup per token of the person's,
  // cheaper than walking a second long postings list.
  std::vector<std::vector<uint8_t>> spelling(expansions.size());
  for (size_t i = 0; i < expansions.size(); ++i) {
    spelling[i].assign(tokens_.size(), 0);
    for (const auto& e : expansions[i]) spelling[i][e.token] = 1;
  }
  auto holds = [&](uint32_t slot_id, size_t i) {
    for (uint32_t t : slots_[slot_id].tokens)
      if (spelling[i][t & ~kSurnameBit]) return true;
    return false;
  };
  auto holds_all = [&](uint32_t slot_id) {
    for (const auto& entry : by_size)
      if (!holds(slot_id, entry.second)) return false;
    return true;
  };
  // A birth date has few holders (about 150 per date in a million children). When one of them also
  // holds every name, the long name lists need not be walked: that person ranks first whatever else.
  const bool answered_by_birth =
      parsed.birth && !by_size.empty() && std::any_of(candidates.begin(), candidates.end(), holds_all);
  if (!answered_by_birth && by_size.size() == 1) {
    auto only = union_of(by_size[0].second);
    if (only.size() > kMaxCandidates) only.resize(kMaxCandidates);
    candidates.insert(candidates.end(), only.begin(), only.end());
  } else if (!answered_by_birth && by_size.size() >= 2) {
    // The rarest name drives; the others are checked on each of its holders: first all of them, then,
    // when that finds too few, pairs of names, so one wrong or extra word does not empty the result.
    const auto driver = union_of(by_size[0].second);
    std::vector<uint32_t> found;
    auto collect = [&](const std::vector<uint32_t>& from, const std::vector<size_t>& required) {
      for (uint32_t slot_id : from) {
        if (found.size() >= kMaxCandidates) break;
        if (std::all_of(required.begin(), required.end(), [&](size_t i) { return holds(slot_id, i); }))
          found.push_back(slot_id);
      }
    };
    std::vector<size_t> others;
    for (size_t k = 1; k < by_size.size(); ++k) others.push_back(by_size[k].second);
    collect(driver, others);
    if (found.size() < query.limit && by_size.size() >= 3) {
      collect(driver, {by_size[1].second});
      collect(driver, {by_size[2].second});
      if (by_size[1].first <= kMaxRelaxationScan) collect(union_of(by_size[1].second), {by_size[2].second});
    }
    // Nothing holds two of the names: rank the holders of the rarest one (bounded; a birth date or an
    // identifier in the query has already brought its own candidates).
    if (found.empty() && candidates.empty())
      found.insert(found.end(), driver.begin(),
                   driver.begin() + static_cast<std::ptrdiff_t>(std::min(driver.size(), kFallbackCandidates)));
    candidates.insert(candidates.end(), found.begin(), found.end());
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  // Rarer names weigh more: a match on "tzul" says more than one on "garcia". Folded into each
  // expansion's similarity once, so scoring a candidate is comparisons and additions only.
  const double population = static_cast<double>(std::max<size_t>(slot_of_.size(), 1));
  auto weighted = expansions;
  for (auto& expansion : weighted)
    for (auto& e : expansion)
      e.similarity *= std::log(1.0 + population / static_cast<double>(std::max<size_t>(postings_[e.token].size(), 1)));

  struct Scored {
    uint32_t slot;
    double score;
  };
  std::vector<Scored> scored;
  scored.reserve(candidates.size());
  for (uint32_t slot_id : candidates) {
    const Slot& slot = slots_[slot_id];
    if (!slot.alive) continue;
    double score = 0;
    for (const auto& expansion : weighted) {
      double best = 0;
      for (uint32_t t : slot.tokens)
        for (const auto& e : expansion)
          if (e.token == (t & ~kSurnameBit)) best = std::max(best, e.similarity);
      score += best;
    }
    // Like trigram similarity, a name with words the query does not have ranks below the name
    // without them ("david fernandez garcia" is not best answered by "juan david fernandez garcia").
    for (uint32_t t : slot.tokens)
      if (std::none_of(weighted.begin(), weighted.end(), [&](const auto& expansion) {
            return std::any_of(expansion.begin(), expansion.end(),
                               [&](const Expansion& e) { return e.token == (t & ~kSurnameBit); });
          }))
        score -= kUnmatchedTokenPenalty;
    if (parsed.birth && slot.birth) {
      const uint32_t q = pack_birth(*parsed.birth);
      if (q == slot.birth) {
        score += 10;
      } else if (swap_day_month(q) == slot.birth) {
        score += 7;
      } else if (q / 10000 == slot.birth / 10000) {
        score += 2;
      } else {
        score -= 5;
      }
    }
    if (!parsed.anumber.empty() && slot.anumber)
      score += slot.anumber == anumber_number(parsed.anumber)                                                   ? 25
               : compare_digits(fmt::format("{:09}", slot.anumber), parsed.anumber) == DigitAgreement::one_typo ? 15
                                                                                                                : -5;
    if (!parsed.phone.empty() && slot.phone == phone_number(parsed.phone)) score += 20;
    scored.push_back({slot_id, score});
  }
  const size_t keep = std::min(query.limit, scored.size());
  std::partial_sort(
      scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(keep), scored.end(),
      [](const Scored& a, const Scored& b) { return a.score != b.score ? a.score > b.score : a.slot < b.slot; });
  scored.resize(keep);

  // Reasons are written only for the hits returned.
  std::vector<SearchHit> hits;
  for (const auto& s : scored) {
    const Slot& slot = slots_[s.slot];
    SearchHit hit{slot.id, s.score, {}};
    for (size_t i = 0; i < expansions.size(); ++i) {
      double best = 0;
      uint32_t best_token = 0;
      bool surname = false;
      for (uint32_t t : slot.tokens)
        for (const auto& e : expansions[i])
          if (e.token == (t & ~kSurnameBit) && e.similarity > best) {
            best = e.similarity;
            best_token = e.token;
            surname = (t & kSurnameBit) != 0;
          }
      if (best == 0) continue;
      const char* part = surname ? "surname" : "given name";
      if (tokens_[best_token] == names[i]) {
        hit.why.push_back(fmt::format("{} '{}' matches", part, names[i]));
      } else {
        hit.why.push_back(fmt::format("'{}' is close to {} '{}' (similarity {:.2f})", names[i], part,
                                      tokens_[best_token], best));
      }
    }
    if (parsed.birth && slot.birth) {
      const uint32_t q = pack_birth(*parsed.birth);
      if (q == slot.birth)
        hit.why.push_back("birth date matches");
      else if (swap_day_month(q) == slot.birth)
        hit.why.push_back("birth date matches with day and month swapped");
      else if (q / 10000 == slot.birth / 10000)
        hit.why.push_back("birth year matches");
      else
        hit.why.push_back("birth date differs");
    }
    if (!parsed.anumber.empty() && slot.anumber) {
      if (slot.anumber == anumber_number(parsed.anumber))
        hit.why.push_back("A-number matches");
      else if (compare_digits(fmt::format("{:09}", slot.anumber), parsed.anumber) == DigitAgreement::one_typo)
        hit.why.push_back(fmt::format("A-number is one typo from A{:09}", slot.anumber));
      else
        hit.why.push_back("A-number differs");
    }
    if (!parsed.phone.empty() && slot.phone == phone_number(parsed.phone)) hit.why.push_back("phone matches");
    hits.push_back(std::move(hit));
  }
  return hits;
}

}  // namespace accompany::linkage
