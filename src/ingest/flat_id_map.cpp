#include "ingest/flat_id_map.h"

#include <bit>
#include <stdexcept>

namespace accompany {

std::uint64_t FlatIdMap::hash_of(std::string_view key) {
  // FNV-1a, then a final mix so the low bits (the slot index) depend on every byte: keys are
  // short ids that differ mostly in their last digits.
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : key) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  hash ^= hash >> 33;
  hash *= 0xff51afd7ed558ccdull;
  hash ^= hash >> 33;
  return hash;
}

void FlatIdMap::reserve(std::size_t entries) {
  const std::size_t wanted = std::bit_ceil(std::max<std::size_t>(16, entries * 2));
  if (wanted > slots_.size()) grow_to(wanted);
}

void FlatIdMap::grow_to(std::size_t slot_count) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(slot_count, Slot{});
  for (const Slot& slot : old) {
    if (slot.offset == kEmpty) continue;
    std::size_t at = home(slot.hash);
    while (slots_[at].offset != kEmpty) at = (at + 1) & (slots_.size() - 1);
    slots_[at] = slot;
  }
}

bool FlatIdMap::insert(std::string_view key, Id id) {
  if ((size_ + 1) * 2 > slots_.size()) grow_to(std::max<std::size_t>(16, slots_.size() * 2));
  const std::uint64_t hash = hash_of(key);
  std::size_t at = home(hash);
  for (; slots_[at].offset != kEmpty; at = (at + 1) & (slots_.size() - 1))
    if (slots_[at].hash == hash && key_of(slots_[at]) == key) return false;
  if (keys_.size() + key.size() >= kEmpty || key.size() >= kEmpty)
    throw std::length_error("FlatIdMap: more than 4 GiB of keys");
  slots_[at] = Slot{hash, static_cast<std::uint32_t>(keys_.size()), static_cast<std::uint32_t>(key.size()), id};
  keys_.append(key);
  ++size_;
  return true;
}

std::optional<Id> FlatIdMap::find(std::string_view key) const {
  if (slots_.empty()) return std::nullopt;
  const std::uint64_t hash = hash_of(key);
  for (std::size_t at = home(hash); slots_[at].offset != kEmpty; at = (at + 1) & (slots_.size() - 1))
    if (slots_[at].hash == hash && key_of(slots_[at]) == key) return slots_[at].id;
  return std::nullopt;
}

void FlatIdMap::clear() {
  slots_ = {};
  keys_ = {};
  size_ = 0;
}

}  // namespace accompany
