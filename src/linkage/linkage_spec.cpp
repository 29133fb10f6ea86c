// Field comparators and the child linkage spec.
#include "linkage/linkage_spec.h"

#include <cmath>
#include <cstdlib>

#include "common/time.h"
#include "linkage/birth_dates.h"
#include "linkage/identifiers.h"
#include "linkage/jaro_winkler.h"
#include "linkage/name_compare.h"

namespace accompany::linkage {
namespace {

const std::string* attribute_of(const PersonRecord& r, int index) {
  if (index < 0 || static_cast<size_t>(index) >= r.attributes.size()) return nullptr;
  const auto& value = r.attributes[static_cast<size_t>(index)];
  return value.empty() ? nullptr : &value;
}

// Log-odds in bits of a probability: the match weight it came from (infinite at 0 and 1).
double weight_of(double probability) {
  return std::log2(probability) - std::log2(1.0 - probability);
}

}  // namespace

int level_count(Comparator comparator) {
  switch (comparator) {
    case Comparator::given_names:
    case Comparator::surnames:
      return 5;
    case Comparator::birth_date:
      return 6;
    case Comparator::digits:
    case Comparator::phone:
    case Comparator::days_apart:
      return 3;
    case Comparator::text:
      return 4;
    case Comparator::sex:
    case Comparator::country:
    case Comparator::exact:
      return 2;
  }
  return 2;
}

int compare_field(const FieldSpec& field, const PersonRecord& a, const PersonRecord& b) {
  switch (field.comparator) {
    case Comparator::given_names:
      if (a.given.empty() || b.given.empty()) return -1;
      return static_cast<int>(compare_names(a.given, b.given));
    case Comparator::surnames:
      if (a.surnames.empty() || b.surnames.empty()) return -1;
      return static_cast<int>(compare_names(a.surnames, b.surnames));
    case Comparator::birth_date:
      if (!a.birth || !b.birth) return -1;
      return static_cast<int>(compare_birth_dates(*a.birth, *b.birth));
    case Comparator::digits: {
      const std::string* x = field.attribute >= 0 ? attribute_of(a, field.attribute) : &a.anumber;
      const std::string* y = field.attribute >= 0 ? attribute_of(b, field.attribute) : &b.anumber;
      if (!x || !y || x->empty() || y->empty()) return -1;
      return static_cast<int>(compare_digits(*x, *y));
    }
    case Comparator::phone: {
      if (a.phone.empty() || b.phone.empty()) return -1;
      if (a.phone == b.phone) return 2;
      const auto tail = [](const std::string& p) { return p.size() > 7 ? p.substr(p.size() - 7) : p; };
      return tail(a.phone) == tail(b.phone) ? 1 : 0;
    }
    case Comparator::sex:
      if (a.sex == Sex::unknown || b.sex == Sex::unknown) return -1;
      return a.sex == b.sex ? 1 : 0;
    case Comparator::country:
      if (a.country.empty() || b.country.empty()) return -1;
      return a.country == b.country ? 1 : 0;
    case Comparator::text: {
      const auto *x = attribute_of(a, field.attribute), *y = attribute_of(b, field.attribute);
      if (!x || !y) return -1;
      if (*x == *y) return 3;
      const double similarity = jaro_winkler(*x, *y);
      return similarity >= 0.94 ? 2 : (similarity >= 0.85 ? 1 : 0);
    }
    case Comparator::exact: {
      const auto *x = attribute_of(a, field.attribute), *y = attribute_of(b, field.attribute);
      if (!x || !y) return -1;
      return *x == *y ? 1 : 0;
    }
    case Comparator::days_apart: {
      const auto *x = attribute_of(a, field.attribute), *y = attribute_of(b, field.attribute);
      if (!x || !y) return -1;
      const auto day_x = parse_date(field.name, *x), day_y = parse_date(field.name, *y);
      if (!day_x || !day_y) return -1;
      const int apart = std::abs(days_between(*day_x, *day_y));
      return apart == 0 ? 2 : (apart <= 3 ? 1 : 0);
    }
  }
  return -1;
}

std::string level_name(Comparator comparator, int level) {
  if (level < 0) return "missing";
  switch (comparator) {
    case Comparator::given_names:
    case Comparator::surnames: {
      static const char* kNames[] = {"different", "weakly similar", "similar (typo or sound-alike)",
                                     "one contains the other", "exact (any order)"};
      return kNames[level];
    }
    case Comparator::birth_date: {
      static const char* kNames[] = {"different",
                                     "same year",
                                     "one of year/month/day differs",
                                     "day and month swapped",
                                     "same estimated year (1 January or flagged estimated)",
                                     "exact"};
      return kNames[level];
    }
    case Comparator::digits: {
      static const char* kNames[] = {"different", "one typo apart", "exact"};
      return kNames[level];
    }
    case Comparator::phone: {
      static const char* kNames[] = {"different", "same last 7 digits", "exact"};
      return kNames[level];
    }
    case Comparator::text: {
      static const char* kNames[] = {"different", "similar", "very similar", "exact"};
      return kNames[level];
    }
    case Comparator::days_apart: {
      static const char* kNames[] = {"more than 3 days apart", "within 3 days", "same day"};
      return kNames[level];
    }
    case Comparator::sex:
    case Comparator::country:
    case Comparator::exact:
      return level == 1 ? "same" : "different";
  }
  return "?";
}

bool beaten_by_margin(const LinkageSpec& spec, double review_probability, double best_link_probability) {
  if (spec.margin_bits <= 0) return false;
  return weight_of(best_link_probability) - weight_of(review_probability) >= spec.margin_bits;
}

bool needs_review(const LinkageSpec& spec, const std::vector<int8_t>& comparison) {
  for (size_t f : spec.unless_agreeing)
    if (f < comparison.size() && comparison[f] == level_count(spec.fields[f].comparator) - 1) return false;
  for (size_t f : spec.review_if_different)
    if (f < comparison.size() && comparison[f] == 0) return true;
  return false;
}

std::vector<size_t> fields_used_by(const LinkageSpec& spec, const BlockingRule& rule) {
  std::vector<size_t> used;
  for (size_t f = 0; f < spec.fields.size(); ++f) {
    const auto& field = spec.fields[f];
    const bool given = field.comparator == Comparator::given_names;
    const bool surnames = field.comparator == Comparator::surnames;
    const bool birth = field.comparator == Comparator::birth_date;
    bool uses = false;
    switch (rule.key) {
      case BlockingKey::surname_phonetic_birth_year:
        uses = surnames || birth;
        break;
      case BlockingKey::given_phonetic_birth_day_month:
        uses = given || birth;
        break;
      case BlockingKey::birth_date_any_order:
        uses = birth;
        break;
      case BlockingKey::given_surname_phonetic:
        uses = given || surnames;
        break;
      case BlockingKey::anumber:
        uses = field.comparator == Comparator::digits && field.attribute < 0;
        break;
      case BlockingKey::phone:
        uses = field.comparator == Comparator::phone;
        break;
      case BlockingKey::attribute:
        uses = field.attribute == rule.attribute && field.attribute >= 0;
        break;
      case BlockingKey::attribute_given_initial:
        uses = (field.attribute == rule.attribute && field.attribute >= 0) || given;
        break;
    }
    if (uses) used.push_back(f);
  }
  return used;
}

LinkageSpec child_linkage_spec() {
  LinkageSpec spec;
  spec.name = "children";
  // Children share few names and a narrow span of birth years, so blocks grow fast with the
  // population; small blocks and a short window keep 450,000 rows within a few comparisons each.
  spec.max_block_size = 60;
  spec.window = 10;
  // Merging two children's records would send one child's notices and welfare calls to another, so
  // automatic links need near-certainty; the band below goes to the data steward's review queue.
  spec.link_probability = 0.9;
  spec.review_if_different = {1};    // surnames
  spec.unless_agreeing = {5, 6, 7};  // A-number, phone, ORR case id
  // Ten bits is a likelihood ratio of about 1000: a row whose best match outscores a review-band
  // candidate by that much does not leave the steward a real choice (docs/linkage.md, margin rule).
  spec.margin_bits = 10;
  spec.fields = {
      {"given_names", Comparator::given_names, -1},
      {"surnames", Comparator::surnames, -1},
      {"birth_date", Comparator::birth_date, -1},
      {"sex", Comparator::sex, -1},
      {"country", Comparator::country, -1},
      {"a_number", Comparator::digits, -1},
      {"phone", Comparator::phone, -1},
      {"uac_id", Comparator::exact, 0},  // ChildAttribute::uac_id (feed_records.h): ORR's own case id
      // ChildAttribute::custody_date: the day CBP held or transferred the child, the day ORR admitted
      // it. Two children with one common name and birthday seldom entered custody the same week.
      {"custody_date", Comparator::days_apart, 1},
  };
  spec.blocking = {
      {BlockingKey::surname_phonetic_birth_year, -1},
      {BlockingKey::given_phonetic_birth_day_month, -1},
      {BlockingKey::birth_date_any_order, -1},
      {BlockingKey::given_surname_phonetic, -1},
      {BlockingKey::anumber, -1},
      {BlockingKey::phone, -1},
      {BlockingKey::attribute, 0},  // uac_id
  };
  return spec;
}

}  // namespace accompany::linkage
