// A string -> Id map for the link index: open addressing with linear probing over one array of
// slots, the keys' bytes packed in one buffer. Built for a bulk import's lookups (hundreds of
// thousands of short keys, looked up once or twice each, never erased): one allocation per
// array instead of one node per key, and a probe touches one or two cache lines where
// std::unordered_map follows a bucket pointer, a node and the key's own heap block.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/ids.h"

namespace accompany {

class FlatIdMap {
 public:
  // Room for `entries` keys without growing (a load factor of at most one half).
  void reserve(std::size_t entries);
  // Adds `key` -> `id`; false (and no change) when the key is already there.
  bool insert(std::string_view key, Id id);
  std::optional<Id> find(std::string_view key) const;
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Frees everything.
  void clear();

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t offset = kEmpty;  // of the key's bytes in keys_; kEmpty: no key here
    std::uint32_t length = 0;
    Id id = 0;
  };
  static constexpr std::uint32_t kEmpty = UINT32_MAX;

  static std::uint64_t hash_of(std::string_view key);
  std::size_t home(std::uint64_t hash) const { return static_cast<std::size_t>(hash) & (slots_.size() - 1); }
  std::string_view key_of(const Slot& slot) const { return std::string_view(keys_).substr(slot.offset, slot.length); }
  void grow_to(std::size_t slot_count);

  std::vector<Slot> slots_;  // a power of two in size, or empty
  std::string keys_;
  std::size_t size_ = 0;
};

}  // namespace accompany
