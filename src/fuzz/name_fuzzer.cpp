// libFuzzer target for the name normalizer: ICU folding and tokenizing, Hispanic name tokens
// with particles, and the one-field full-name split. Input: given|paternal|maternal.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "linkage/person_name.h"
#include "linkage/text_fold.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace accompany::linkage;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto folded = fold_text(input);
  (void)split_tokens(folded);
  const auto first = input.find('|');
  const auto given = input.substr(0, first);
  const auto rest = first == std::string_view::npos ? std::string_view() : input.substr(first + 1);
  const auto second = rest.find('|');
  const auto paternal = rest.substr(0, second);
  const auto maternal = second == std::string_view::npos ? std::string_view() : rest.substr(second + 1);
  (void)name_tokens(given, rest);
  (void)name_tokens(given, paternal, maternal);
  (void)split_full_name(input);
  for (const auto& token : split_tokens(folded)) (void)is_name_particle(token);
  return 0;
}
