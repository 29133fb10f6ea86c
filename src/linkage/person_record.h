// The record linkage works on: one feed row reduced to the parts of a person's identity.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/identity.h"

namespace accompany::linkage {

// One row of one feed, normalized. Every field may be missing (empty / nullopt): feeds differ in
// what they carry. `attributes` holds dataset-specific fields (ORR's case id for children, a
// benchmark's address or social security number) that a LinkageSpec names by index.
struct PersonRecord {
  std::string source;  // feed kind ("cbp_custody") or dataset name
  uint32_t line = 0;   // physical line in the source file (header = 1)
  std::string key;     // the row's own key in its source (EVENT_ID, rec_id ...)

  std::vector<std::string> given;     // folded tokens, particles dropped
  std::vector<std::string> surnames;  // folded tokens, any order, particles dropped
  std::optional<BirthDate> birth;
  Sex sex = Sex::unknown;
  std::string country;  // ISO 3166-1 alpha-2, or empty
  std::string anumber;  // 9 digits, or empty
  std::string phone;    // E.164, or empty
  std::vector<std::string> attributes;
};

}  // namespace accompany::linkage
