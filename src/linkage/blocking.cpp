// Blocking keys and the block index; several keys per record so that one typo never hides a match.
#include "linkage/blocking.h"

#include <fmt/format.h>

#include <algorithm>

#include "linkage/spanish_phonetic.h"

namespace accompany::linkage {
namespace {

std::string day_month_any_order(const BirthDate& birth) {
  const unsigned m = static_cast<unsigned>(birth.date.month()), d = static_cast<unsigned>(birth.date.day());
  return fmt::format("{}-{}", std::min(m, d), std::max(m, d));
}

bool exact_date(const PersonRecord& r) {
  return r.birth && r.birth->precision == BirthDatePrecision::exact;
}

std::string surnames_any_order(const PersonRecord& r) {
  std::vector<std::string_view> tokens(r.surnames.begin(), r.surnames.end());
  std::sort(tokens.begin(), tokens.end());
  std::string out;
  for (auto t : tokens) (out += t) += ' ';
  return out;
}

std::string given_names(const PersonRecord& r) {
  std::string out;
  for (const auto& g : r.given) (out += g) += ' ';
  return out;
}

std::string birth_part(const PersonRecord& r, bool year, bool day_month) {
  if (!r.birth) return "~ ";
  std::string out;
  if (year) out += fmt::format("{} ", static_cast<int>(r.birth->date.year()));
  if (day_month) out += day_month_any_order(*r.birth) + ' ';
  return out;
}

// The order of a block too large to compare all-pairs (sorted neighbourhood): by what the block's
// key does not already fix, so the rows of one child that differ in the key's other fields still
// sort side by side. A surname block sorts by birth date then given names, so "José Rodríguez"
// (maternal surname dropped) and "José Rodríguez Martínez" born the same day are neighbours; a
// given-name-and-birthday block sorts by year then surnames in any order (feeds swap them).
std::string sort_key(const PersonRecord& r, BlockingKey rule) {
  switch (rule) {
    case BlockingKey::surname_phonetic_birth_year:
      return birth_part(r, false, true) + given_names(r);
    case BlockingKey::given_phonetic_birth_day_month:
      return birth_part(r, true, false) + surnames_any_order(r) + given_names(r);
    case BlockingKey::birth_date_any_order:
      return given_names(r) + surnames_any_order(r);
    case BlockingKey::given_surname_phonetic:
      return birth_part(r, true, true) + given_names(r);
    default:
      return surnames_any_order(r) + given_names(r);
  }
}

}  // namespace

std::vector<std::string> blocking_keys(const LinkageSpec& spec, const PersonRecord& r) {
  std::vector<std::string> keys;
  for (size_t rule = 0; rule < spec.blocking.size(); ++rule) {
    const auto& b = spec.blocking[rule];
    auto add = [&](const std::string& value) { keys.push_back(fmt::format("{}|{}", rule, value)); };
    switch (b.key) {
      case BlockingKey::surname_phonetic_birth_year:
        if (!r.birth) break;
        for (const auto& s : r.surnames)
          add(fmt::format("{}|{}", spanish_phonetic(s), static_cast<int>(r.birth->date.year())));
        break;
      case BlockingKey::given_phonetic_birth_day_month:
        if (r.given.empty() || !exact_date(r)) break;
        add(fmt::format("{}|{}", spanish_phonetic(r.given.front()), day_month_any_order(*r.birth)));
        break;
      case BlockingKey::birth_date_any_order:
        if (!exact_date(r)) break;
        add(fmt::format("{}|{}", static_cast<int>(r.birth->date.year()), day_month_any_order(*r.birth)));
        break;
      case BlockingKey::given_surname_phonetic:
        if (r.given.empty()) break;
        for (const auto& s : r.surnames)
          add(fmt::format("{}|{}", spanish_phonetic(r.given.front()), spanish_phonetic(s)));
        break;
      case BlockingKey::anumber:
        if (!r.anumber.empty()) add(r.anumber);
        break;
      case BlockingKey::phone:
        if (!r.phone.empty()) add(r.phone);
        break;
      case BlockingKey::attribute:
      case BlockingKey::attribute_given_initial: {
        if (b.attribute < 0 || static_cast<size_t>(b.attribute) >= r.attributes.size()) break;
        const auto& value = r.attributes[static_cast<size_t>(b.attribute)];
        if (value.empty()) break;
        if (b.key == BlockingKey::attribute) {
          add(value);
        } else if (!r.given.empty()) {
          add(fmt::format("{}|{}", value, r.given.front().front()));
        }
        break;
      }
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

void BlockIndex::add(RecordId id, const PersonRecord& record) {
  for (auto& key : blocking_keys(spec_, record)) blocks_[std::move(key)].push_back(id);
}

namespace {

size_t rule_of_key(const std::string& key) { return static_cast<size_t>(std::stoul(key.substr(0, key.find('|')))); }

// splitmix64's finalizer: a well-mixed hash of a pair, so sampling by it is as good as random.
uint64_t mix(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

std::vector<uint64_t> BlockIndex::candidate_pairs(const std::vector<PersonRecord>& records, int only_rule,
                                                  std::vector<std::vector<uint64_t>>* rule_samples,
                                                  size_t per_rule) const {
  std::vector<uint64_t> pairs;
  const std::string prefix = fmt::format("{}|", only_rule);
  const auto pair_count = [&](size_t n) { return n <= spec_.max_block_size ? n * (n - 1) / 2 : n * spec_.window; };
  // Sampling: keep a pair of rule r when its hash falls in 1/stride[r] of the range.
  std::vector<uint64_t> stride(spec_.blocking.size(), 1);
  if (rule_samples) {
    rule_samples->assign(spec_.blocking.size(), {});
    std::vector<size_t> produced(spec_.blocking.size(), 0);
    for (const auto& [key, members] : blocks_) produced[rule_of_key(key)] += pair_count(members.size());
    for (size_t r = 0; r < stride.size(); ++r) stride[r] = std::max<uint64_t>(1, produced[r] / std::max<size_t>(per_rule, 1));
  }
  for (const auto& [key, members] : blocks_) {
    if (only_rule >= 0 && key.rfind(prefix, 0) != 0) continue;
    const size_t rule = rule_of_key(key);
    const auto emit = [&](RecordId a, RecordId b) {
      const uint64_t pair = pack_pair(a, b);
      pairs.push_back(pair);
      if (rule_samples && (stride[rule] == 1 || mix(pair) % stride[rule] == 0)) (*rule_samples)[rule].push_back(pair);
    };
    if (members.size() <= spec_.max_block_size) {
      for (size_t i = 0; i < members.size(); ++i)
        for (size_t j = i + 1; j < members.size(); ++j) emit(members[i], members[j]);
      continue;
    }
    // Sorted neighbourhood inside an oversized block (see sort_key).
    std::vector<std::pair<std::string, RecordId>> sorted;
    sorted.reserve(members.size());
    for (RecordId id : members) sorted.emplace_back(sort_key(records[id], spec_.blocking[rule].key), id);
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < sorted.size(); ++i)
      for (size_t j = i + 1; j < sorted.size() && j <= i + spec_.window; ++j) emit(sorted[i].second, sorted[j].second);
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  if (rule_samples)
    for (auto& sample : *rule_samples) {
      std::sort(sample.begin(), sample.end());
      sample.erase(std::unique(sample.begin(), sample.end()), sample.end());
    }
  return pairs;
}

std::vector<RecordId> BlockIndex::candidates_for(const PersonRecord& record) const {
  std::vector<RecordId> found;
  for (const auto& key : blocking_keys(spec_, record)) {
    auto it = blocks_.find(key);
    if (it == blocks_.end() || it->second.size() > spec_.max_block_size) continue;
    found.insert(found.end(), it->second.begin(), it->second.end());
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

}  // namespace accompany::linkage
