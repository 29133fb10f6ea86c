// Person search: an inverted index over folded name tokens with typo and sound-alike expansion,
// exact maps for birth date, A-number and phone, and a scorer that says why each hit matched.
#include "linkage/search_index.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
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
// A single edit (a letter changed, dropped, added, or two swapped) is the commonest misspelling
// (Damerau 1964). Jaro–Winkler scores one in a short name low ("ldna" / "luna" 0.83): such a spelling
// is still kept, at this similarity.
constexpr double kOneEditSimilarity = 0.87;
constexpr size_t kOneEditMinLength = 4;
constexpr double kUnmatchedTokenPenalty = 0.3;  // a tie-breaker: under any one name's weight
// Tie-breakers from Hispanic naming, under the penalty above: a person named by one surname is
// most often named by the first (paternal) one, and two surnames are usually written in their order.
constexpr double kPaternalMatchBonus = 0.2;
constexpr double kSurnameOrderBonus = 0.1;
constexpr size_t kMaxQueryNames = 8;  // further words of a query are ignored (names hold at most eight)
// A query that tens of thousands of people match about equally ("garcia" alone, no date) cannot be
// answered by ranking; the agent is expected to ask for a birth date or an A-number. Past this many
// postings read (about 1 ms), the walk stops and the best found so far are returned (SearchStats
// says so). Queries that can be answered stop long before (see walk_names).
constexpr size_t kMaxPostingsRead = 50000;

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

// Whether b is a, or a with one letter changed, dropped, added, or two adjacent letters swapped.
bool within_one_edit(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return true;
  if (a.size() == b.size())
    return a.substr(i + 1) == b.substr(i + 1) ||
           (i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2));
  return a.substr(i) == b.substr(i + 1);
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
  NameRow row;
  const auto names = name_tokens(person.given_names, person.surnames);
  for (const auto& token : names.given) row.push_back(intern(token));
  for (const auto& token : names.surnames) row.push_back(intern(token) | kSurnameBit);
  if (person.birth) {
    slot.birth = pack_birth(*person.birth);
    slot.birth_precision = static_cast<uint8_t>(person.birth->precision);
  }
  slot.anumber = anumber_number(normalize_anumber(person.anumber));
  slot.phone = phone_number(normalize_phone(person.phone));
  for (uint32_t token : row) insert_sorted(postings_[token & ~kSurnameBit], slot_id);
  if (slot.birth) by_birth_[slot.birth].push_back(slot_id);
  if (slot.anumber) by_anumber_[slot.anumber].push_back(slot_id);
  if (slot.phone) by_phone_[slot.phone].push_back(slot_id);
  slots_.push_back(slot);
  names_.push_back(row);
  slot_of_[person.id] = slot_id;
}

bool PersonSearchIndex::remove(Id id) {
  auto found = slot_of_.find(id);
  if (found == slot_of_.end()) return false;
  const uint32_t slot_id = found->second;
  Slot& slot = slots_[slot_id];
  for (uint32_t token : names_[slot_id]) erase_from(postings_[token & ~kSurnameBit], slot_id);
  if (slot.birth) erase_from(by_birth_[slot.birth], slot_id);
  if (slot.anumber) erase_from(by_anumber_[slot.anumber], slot_id);
  if (slot.phone) erase_from(by_phone_[slot.phone], slot_id);
  slot.alive = false;
  names_[slot_id] = NameRow{};
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
    if (similarity < kOneEditSimilarity && std::min(token.size(), tokens_[id].size()) >= kOneEditMinLength &&
        within_one_edit(token, tokens_[id]))
      similarity = kOneEditSimilarity;
    if (similarity >= kMinSimilarity && !postings_[id].empty()) out.push_back({id, similarity});
  }
  return out;
}

// What a query asks, ready for scoring: its names with their spellings in the vocabulary, weighted.
struct PersonSearchIndex::QueryPlan {
  ParsedQuery parsed;
  std::vector<std::string> names;                   // query words as read (a run-together word split)
  std::vector<std::vector<Expansion>> expansions;   // per name: spellings, by similarity
  std::vector<std::vector<Expansion>> weighted;     // per name: similarity x IDF, heaviest first
  std::vector<double> bound;                        // per name: its heaviest spelling's weight
  std::vector<size_t> holders;                      // per name: postings of all its spellings
  double extras_bound = 0;  // the most birth date and identifiers can add to a person not found by them
};

// For each vocabulary token, its weight for each query name (0: not a spelling of it). A table per
// thread indexed by token, reset by a generation stamp rather than cleared, so building it costs
// only the query's own spellings and a lookup is two array reads.
class PersonSearchIndex::TermWeights {
 public:
  TermWeights(size_t vocabulary, const std::vector<std::vector<Expansion>>& weighted) : scratch_(local()) {
    if (scratch_.stamp.size() < vocabulary) {
      scratch_.stamp.resize(vocabulary, 0);
      scratch_.row.resize(vocabulary, 0);
    }
    if (++scratch_.generation == 0) {  // wrapped: forget every stamp
      std::fill(scratch_.stamp.begin(), scratch_.stamp.end(), 0);
      scratch_.generation = 1;
    }
    scratch_.weights.clear();
    for (size_t i = 0; i < weighted.size(); ++i)
      for (const auto& e : weighted[i]) {
        if (scratch_.stamp[e.token] != scratch_.generation) {
          scratch_.stamp[e.token] = scratch_.generation;
          scratch_.row[e.token] = static_cast<uint32_t>(scratch_.weights.size());
          scratch_.weights.emplace_back();
          scratch_.weights.back().fill(0);
        }
        scratch_.weights[scratch_.row[e.token]][i] = e.similarity;
      }
  }
  const double* of(uint32_t token) const {
    token &= ~kSurnameBit;
    return token < scratch_.stamp.size() && scratch_.stamp[token] == scratch_.generation
               ? scratch_.weights[scratch_.row[token]].data()
               : nullptr;
  }

 private:
  struct Scratch {
    std::vector<uint32_t> stamp, row;
    std::vector<std::array<double, kMaxQueryNames>> weights;
    uint32_t generation = 0;
  };
  static Scratch& local() {
    thread_local Scratch scratch;
    return scratch;
  }
  Scratch& scratch_;
};

// The best `limit` persons seen so far: a heap whose top is the worst kept. Ties go to the lower slot
// so that results do not depend on the order persons were looked at in.
class PersonSearchIndex::TopHits {
 public:
  explicit TopHits(size_t limit) : limit_(limit) {}
  // The score a person must beat to be kept.
  double threshold() const {
    if (limit_ == 0) return std::numeric_limits<double>::infinity();
    return heap_.size() < limit_ ? -std::numeric_limits<double>::infinity() : heap_.front().score;
  }
  bool holds(uint32_t slot) const {
    return std::any_of(heap_.begin(), heap_.end(), [&](const Scored& s) { return s.slot == slot; });
  }
  void offer(uint32_t slot, double score) {
    if (limit_ == 0) return;
    const Scored s{slot, score};
    if (heap_.size() < limit_) {
      heap_.push_back(s);
      std::push_heap(heap_.begin(), heap_.end(), better);
    } else if (better(s, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), better);
      heap_.back() = s;
      std::push_heap(heap_.begin(), heap_.end(), better);
    }
  }
  std::vector<Scored> best() && {
    std::sort(heap_.begin(), heap_.end(), better);
    return std::move(heap_);
  }

 private:
  static bool better(const Scored& a, const Scored& b) {
    return a.score != b.score ? a.score > b.score : a.slot < b.slot;
  }
  size_t limit_;
  std::vector<Scored> heap_;
};

namespace {

// A person's score on the names: for each query name, the weight of its best spelling among the
// person's tokens; minus a little for each of the person's tokens that spells no query name (like
// trigram similarity, "david fernandez garcia" is best answered by the name without extra words, not
// by "juan david fernandez garcia"); plus a little when the first surname is among the names asked
// for, and when the two surnames are asked for in their order. `matched` gets one bit per query name
// found.
template <typename Row, typename Weights>
double name_score(const Row& row, const Weights& weights, size_t names, uint32_t& matched) {
  std::array<double, kMaxQueryNames> best{};
  double score = 0;
  constexpr size_t kNone = kMaxQueryNames;
  size_t paternal = kNone, maternal = kNone;  // the query name each surname spells, when it spells one
  bool first_surname = true;
  for (uint32_t t : row) {
    const double* w = weights.of(t);
    size_t spelt = kNone;
    if (w) {
      for (size_t i = 0; i < names; ++i) {
        if (w[i] > 0 && (spelt == kNone || w[i] > w[spelt])) spelt = i;
        best[i] = std::max(best[i], w[i]);
      }
    } else {
      score -= kUnmatchedTokenPenalty;
    }
    if (t & kSurnameBit) {
      (first_surname ? paternal : maternal) = spelt;
      first_surname = false;
    }
  }
  if (paternal != kNone) score += kPaternalMatchBonus;
  if (paternal != kNone && maternal != kNone && paternal < maternal) score += kSurnameOrderBonus;
  matched = 0;
  for (size_t i = 0; i < names; ++i)
    if (best[i] > 0) {
      score += best[i];
      matched |= 1u << i;
    }
  return score;
}

}  // namespace

double PersonSearchIndex::extras_score(const Slot& slot, const QueryPlan& plan) const {
  const auto& parsed = plan.parsed;
  double score = 0;
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
  return score;
}

// Score-bounded top-k over the name postings (in the spirit of MaxScore): the persons holding every
// query name are looked at first, then those holding all but one, and so on, each group only while
// its best possible score (the sum of its names' heaviest spellings) can still beat the k-th best
// found. Within a group, the rarest name's spellings are walked heaviest first, and the walk stops
// as soon as what is left cannot beat the k-th best. So "maria garcia lopez" stops once ten persons
// of that exact name are found, instead of reading every Garcia; a query whose words do not all
// match still finds the persons matching most of them.
size_t PersonSearchIndex::walk_names(const QueryPlan& plan, const TermWeights& weights, TopHits& top) const {
  const size_t names = plan.weighted.size();
  std::vector<uint32_t> groups;  // bit sets of query names, best possible score first
  for (uint32_t set = 1; set < (1u << names); ++set) {
    bool usable = true;
    for (size_t i = 0; i < names; ++i) usable = usable && (!(set & (1u << i)) || plan.bound[i] > 0);
    if (usable) groups.push_back(set);
  }
  auto bound_of = [&](uint32_t set) {
    double sum = plan.extras_bound + kPaternalMatchBonus + kSurnameOrderBonus;
    for (size_t i = 0; i < names; ++i)
      if (set & (1u << i)) sum += plan.bound[i];
    return sum;
  };
  std::stable_sort(groups.begin(), groups.end(), [&](uint32_t a, uint32_t b) { return bound_of(a) > bound_of(b); });

  // Every person read is offered with its true score, whatever group it was read for, so a postings
  // list is never read twice: a later group resumes where an earlier one stopped.
  std::vector<std::pair<uint32_t, size_t>> resume;  // (spelling, postings already read)
  auto position = [&](uint32_t token) -> size_t& {
    for (auto& [t, at] : resume)
      if (t == token) return at;
    return resume.emplace_back(token, 0).second;
  };
  size_t read = 0;
  for (uint32_t set : groups) {
    if (bound_of(set) <= top.threshold()) break;  // groups come best possible score first
    size_t driver = names;
    for (size_t i = 0; i < names; ++i)
      if ((set & (1u << i)) && (driver == names || plan.holders[i] < plan.holders[driver])) driver = i;
    const double others = bound_of(set) - plan.bound[driver];
    for (const auto& spelling : plan.weighted[driver]) {
      const double best_possible = others + spelling.similarity;
      if (best_possible <= top.threshold()) break;  // lighter spellings follow
      const auto& postings = postings_[spelling.token];
      size_t& j = position(spelling.token);
      for (; j < postings.size(); ++j) {
        if (j + 16 < postings.size()) __builtin_prefetch(&names_[postings[j + 16]]);
        if (read == kMaxPostingsRead) return read;
        ++read;
        if ((j & 63) == 0 && best_possible <= top.threshold()) break;
        const uint32_t slot_id = postings[j];
        uint32_t matched = 0;
        const double score = name_score(names_[slot_id], weights, names, matched);
        if (score + plan.extras_bound <= top.threshold() || top.holds(slot_id)) continue;
        top.offer(slot_id, score + extras_score(slots_[slot_id], plan));
      }
    }
  }
  return read;
}

std::vector<std::string> PersonSearchIndex::reasons(uint32_t slot_id, const QueryPlan& plan) const {
  const Slot& slot = slots_[slot_id];
  const auto& parsed = plan.parsed;
  std::vector<std::string> why;
  for (size_t i = 0; i < plan.expansions.size(); ++i) {
    double best = 0;
    uint32_t best_token = 0;
    bool surname = false;
    for (uint32_t t : names_[slot_id])
      for (const auto& e : plan.expansions[i])
        if (e.token == (t & ~kSurnameBit) && e.similarity > best) {
          best = e.similarity;
          best_token = e.token;
          surname = (t & kSurnameBit) != 0;
        }
    if (best == 0) continue;
    const char* part = surname ? "surname" : "given name";
    if (tokens_[best_token] == plan.names[i]) {
      why.push_back(fmt::format("{} '{}' matches", part, plan.names[i]));
    } else {
      why.push_back(fmt::format("'{}' is close to {} '{}' (similarity {:.2f})", plan.names[i], part,
                                tokens_[best_token], best));
    }
  }
  if (parsed.birth && slot.birth) {
    const uint32_t q = pack_birth(*parsed.birth);
    if (q == slot.birth)
      why.push_back("birth date matches");
    else if (swap_day_month(q) == slot.birth)
      why.push_back("birth date matches with day and month swapped");
    else if (q / 10000 == slot.birth / 10000)
      why.push_back("birth year matches");
    else
      why.push_back("birth date differs");
  }
  if (!parsed.anumber.empty() && slot.anumber) {
    if (slot.anumber == anumber_number(parsed.anumber))
      why.push_back("A-number matches");
    else if (compare_digits(fmt::format("{:09}", slot.anumber), parsed.anumber) == DigitAgreement::one_typo)
      why.push_back(fmt::format("A-number is one typo from A{:09}", slot.anumber));
    else
      why.push_back("A-number differs");
  }
  if (!parsed.phone.empty() && slot.phone == phone_number(parsed.phone)) why.push_back("phone matches");
  return why;
}

std::vector<SearchHit> PersonSearchIndex::search(const SearchQuery& query, SearchStats* stats) const {
  QueryPlan plan;
  plan.parsed = parse_query(query);
  const auto& parsed = plan.parsed;

  // Each query word expands to close spellings. A word no spelling reaches may be two names run
  // together by a dropped space ("juanaagustina"): it is read as the two when both halves reach names.
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
        plan.names.push_back(token.substr(0, best_cut));
        plan.expansions.push_back(std::move(best_left));
        name = token.substr(best_cut);
        expansion = std::move(best_right);
      }
    }
    plan.names.push_back(std::move(name));
    plan.expansions.push_back(std::move(expansion));
  }
  if (plan.names.size() > kMaxQueryNames) {
    plan.names.resize(kMaxQueryNames);
    plan.expansions.resize(kMaxQueryNames);
  }

  // Rarer names weigh more: a match on "tzul" says more than one on "garcia". A spelling weighs its
  // similarity times its IDF, but never more IDF than the query word's closest spelling has: a rare
  // near-spelling ("gonzales" for "gonzalez") must not outrank the name that was typed (the same
  // problem Lucene's fuzzy query solves by blending the spellings' document frequencies).
  const double population = static_cast<double>(std::max<size_t>(slot_of_.size(), 1));
  auto idf = [&](uint32_t token) {
    return std::log(1.0 + population / static_cast<double>(std::max<size_t>(postings_[token].size(), 1)));
  };
  for (const auto& expansion : plan.expansions) {
    double closest = 0, cap = 0;
    size_t holders = 0;
    for (const auto& e : expansion) {
      holders += postings_[e.token].size();
      if (e.similarity > closest || (e.similarity == closest && idf(e.token) < cap)) {
        closest = e.similarity;
        cap = idf(e.token);
      }
    }
    auto weighted = expansion;
    for (auto& e : weighted) e.similarity *= std::min(idf(e.token), cap);
    std::sort(weighted.begin(), weighted.end(), [](const Expansion& a, const Expansion& b) {
      return a.similarity != b.similarity ? a.similarity > b.similarity : a.token < b.token;
    });
    plan.bound.push_back(weighted.empty() ? 0 : weighted.front().similarity);
    plan.holders.push_back(holders);
    plan.weighted.push_back(std::move(weighted));
  }
  // Persons the birth date and identifiers do not find can gain at most a matching birth year, or an
  // A-number one typo away that the typo variants looked up below did not reach.
  plan.extras_bound = (parsed.birth ? 2.0 : 0.0) + (parsed.anumber.empty() ? 0.0 : 15.0);

  const TermWeights weights(tokens_.size(), plan.weighted);
  TopHits top(query.limit);

  // Identifiers and the birth date find candidates directly.
  std::vector<uint32_t> direct;
  auto add_all = [&](const auto& map, auto key) {
    if (auto it = map.find(key); it != map.end()) direct.insert(direct.end(), it->second.begin(), it->second.end());
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
  std::sort(direct.begin(), direct.end());
  direct.erase(std::unique(direct.begin(), direct.end()), direct.end());
  const size_t names = plan.weighted.size();
  uint32_t every_name = 0;
  for (size_t i = 0; i < names; ++i)
    if (plan.bound[i] > 0) every_name |= 1u << i;
  // A birth date has few holders (about 150 per date in a million children). When one of them also
  // holds every name, the name postings need not be walked: that person ranks first whatever else.
  bool answered_by_birth = false;
  for (uint32_t slot_id : direct) {
    if (!slots_[slot_id].alive) continue;
    uint32_t matched = 0;
    const double score = name_score(names_[slot_id], weights, names, matched);
    answered_by_birth = answered_by_birth || (parsed.birth && every_name && (matched & every_name) == every_name);
    top.offer(slot_id, score + extras_score(slots_[slot_id], plan));
  }
  const size_t read = !answered_by_birth && every_name ? walk_names(plan, weights, top) : 0;
  if (stats) {
    stats->postings_read = read;
    stats->stopped_early = read >= kMaxPostingsRead;
  }

  // Reasons are written only for the hits returned.
  std::vector<SearchHit> hits;
  for (const auto& s : std::move(top).best()) hits.push_back({slots_[s.slot].id, s.score, reasons(s.slot, plan)});
  return hits;
}

}  // namespace accompany::linkage
