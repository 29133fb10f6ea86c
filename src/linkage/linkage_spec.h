// What to compare and how to block, per dataset: the child feeds and the FEBRL benchmark are two specs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "linkage/person_record.h"

namespace accompany::linkage {

enum class Comparator {
  given_names,  // NameAgreement levels (5)
  surnames,     // NameAgreement levels (5)
  birth_date,   // DateAgreement levels (6)
  digits,       // DigitAgreement levels (3): the A-number, or an attribute when `attribute` >= 0
  phone,        // different / same last 7 digits / exact (3)
  sex,          // different / same (2); unknown is missing
  country,      // different / same (2)
  text,         // attribute: different / JW >= 0.85 / JW >= 0.94 / exact (4)
  exact,        // attribute: different / same (2)
  days_apart,   // attribute holding a YYYY-MM-DD day: more than 3 days apart / within 3 days / same day (3)
};

struct FieldSpec {
  std::string name;  // shown in score breakdowns: "surnames", "soc_sec_id"
  Comparator comparator = Comparator::exact;
  int attribute = -1;  // index into PersonRecord::attributes for attribute comparators
};

// Number of agreement levels the comparator yields (level 0 = disagree, highest = agree exactly).
int level_count(Comparator comparator);
// The agreement level of one field for a pair, or -1 when either record lacks the field.
int compare_field(const FieldSpec& field, const PersonRecord& a, const PersonRecord& b);
// Plain-language name of a level ("exact", "day/month swapped", "one typo").
std::string level_name(Comparator comparator, int level);

enum class BlockingKey {
  surname_phonetic_birth_year,     // each surname token's phonetic key + birth year
  given_phonetic_birth_day_month,  // first given name's phonetic key + day and month in either order
  birth_date_any_order,            // year + day and month in either order (day/month swaps meet)
  given_surname_phonetic,          // first given name's + each surname token's phonetic keys
  anumber,
  phone,
  attribute,                // the value of `attribute`
  attribute_given_initial,  // the value of `attribute` + the first letter of the first given name
};

struct BlockingRule {
  BlockingKey key = BlockingKey::anumber;
  int attribute = -1;
};

struct LinkageSpec {
  std::string name;
  std::vector<FieldSpec> fields;
  std::vector<BlockingRule> blocking;
  // Blocks larger than this are not compared all-pairs: full linkage compares each record with its
  // `window` neighbours in name order inside the block; incremental linkage skips the block (the
  // other, finer keys still reach the match).
  size_t max_block_size = 400;
  size_t window = 24;
  // Thresholds on the match probability: auto-link at or above `link_probability`, send to the
  // review queue at or above `review_probability`, otherwise leave apart.
  double link_probability = 0.9;
  double review_probability = 0.5;
  // A human decides, whatever the score, when one of `review_if_different` disagrees outright
  // (level 0) and none of `unless_agreeing` agrees exactly: two children with one first name and one
  // birthday but other surnames are a common coincidence the model's independence assumption
  // over-scores. Field indexes into `fields`.
  std::vector<size_t> review_if_different;
  std::vector<size_t> unless_agreeing;
  // Clustering guard: two clusters merge only if the mean match probability over all their cross
  // pairs reaches this (average linkage), so a chain A=B, B=C does not pull in a C that is plainly
  // not A.
  double min_mean_cross_probability = 0.5;
  size_t max_cluster_size = 64;
  // u probabilities come from random pairs (almost all non-matches); EM then estimates m and the
  // prior. With `em_updates_u` EM re-estimates u on the candidate pairs too.
  bool em_updates_u = false;
  size_t u_sample_pairs = 200000;
  // Weigh name agreement by how common the shared names are (see pair_weight).
  bool term_frequencies = true;
  // m is trained per blocking rule on at most this many of the rule's pairs (see docs/linkage.md).
  size_t training_pairs_per_rule = 200000;
  // Margin rule (0 = off): a pair in the review band is not queued when one of its two records has
  // an auto-link to another record at least this many bits of match weight stronger. That row
  // already has a clear match; the weaker candidate is a namesake, not a question for a steward.
  double margin_bits = 0;
};

// Whether a pair scored at or above the auto-link threshold must still go to review (see above).
bool needs_review(const LinkageSpec& spec, const std::vector<int8_t>& comparison);

// Whether the margin rule drops a review-band pair of probability `review_probability` because one
// of its records auto-links elsewhere with `best_link_probability` (spec.margin_bits stronger).
bool beaten_by_margin(const LinkageSpec& spec, double review_probability, double best_link_probability);

// The fields (indexes into spec.fields) whose agreement a blocking rule forces: EM trained on that
// rule's pairs cannot learn their m, since every pair agrees on them by construction.
std::vector<size_t> fields_used_by(const LinkageSpec& spec, const BlockingRule& rule);

// The spec for children's feed rows: names, birth date, sex, country, A-number, phone.
LinkageSpec child_linkage_spec();

}  // namespace accompany::linkage
