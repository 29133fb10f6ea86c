// Seeded generation of Hispanic names, people and misspelled copies of them, for benchmarks.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "linkage/person_record.h"
#include "linkage/search_index.h"

namespace accompany::bench {

// Given names and surnames read from the public lists in ACCOMPANY_NAMES_DIR (Spanish-speaking
// countries' forenames and surnames; US Census surnames that are mostly Hispanic), each with a weight.
struct NameLists {
  std::vector<std::string> female, male, surnames;
  std::vector<double> surname_weights;
  static NameLists load();
};

struct Person {
  std::string given;  // "María José"
  std::string paternal, maternal;
  Date birth;
  Sex sex = Sex::unknown;
  std::string anumber;  // 9 digits or empty
  std::string phone;    // 10 digits or empty
};

class PeopleGenerator {
 public:
  PeopleGenerator(const NameLists& names, uint64_t seed) : names_(names), rng_(seed) {}
  Person person();
  // The kind of mistake a clerk or a feed makes: one letter changed, dropped or swapped in one word.
  std::string misspell(const std::string& word);
  // A copy of `p` as another agency might write it: typos, accents lost, surnames swapped or one
  // dropped, day/month swapped, A-number with one typo or missing.
  Person corrupted(const Person& p);
  std::mt19937_64& rng() { return rng_; }

 private:
  const NameLists& names_;
  std::mt19937_64 rng_;
};

// Resident memory of this process in bytes (from /proc/self/statm).
size_t resident_bytes();

}  // namespace accompany::bench
