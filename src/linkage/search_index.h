// In-memory person search: free-text names in any order with typos, plus birth date, A-number, phone.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/ids.h"
#include "domain/identity.h"

namespace accompany::linkage {

// What the index holds about one person (the store's child id and identity fields).
struct SearchablePerson {
  Id id = 0;
  std::string given_names;  // as written, any script and accents
  std::string surnames;     // both surnames, any order; particles allowed
  std::optional<BirthDate> birth;
  std::string anumber;  // any usual writing; unreadable values are ignored
  std::string phone;    // any usual writing; unreadable values are ignored
};

struct SearchQuery {
  // "garsia maria jose 04/02/2008 A201-234-567": names in any order; a date, an A-number or a phone
  // written in the text are recognized and used as such.
  std::string text;
  std::optional<BirthDate> birth;
  std::string anumber;
  std::string phone;
  size_t limit = 10;
};

struct SearchHit {
  Id id = 0;
  double score = 0;
  std::vector<std::string> why;  // one reason per matching part, for the agent to judge the hit
};

// What one search did, for tests and benchmarks.
struct SearchStats {
  size_t postings_read = 0;  // name postings read while looking for the best hits
  bool stopped_early = false;  // so many persons matched about equally that the walk gave up (see .cpp)
};

// Kept current by insert/update/remove on every write. Not thread-safe: callers hold a shared lock
// for search and an exclusive one for changes.
class PersonSearchIndex {
 public:
  // Adds the person, or replaces what the index had for the same id.
  void upsert(const SearchablePerson& person);
  // Forgets the person; false when the id was not indexed.
  bool remove(Id id);
  std::vector<SearchHit> search(const SearchQuery& query, SearchStats* stats = nullptr) const;
  size_t size() const { return slot_of_.size(); }
  size_t vocabulary_size() const { return tokens_.size(); }

 private:
  // A person's name tokens (vocabulary ids; high bit set for a surname token), unused places
  // kNoToken, held apart from the rest of the slot in 32 aligned bytes: checking a candidate's names
  // while walking a postings list is then one cache line, which is what bounds search time. Names
  // longer than eight tokens keep their first eight.
  struct alignas(32) NameRow {
    static constexpr uint32_t kNoToken = 0xFFFFFFFFu;
    std::array<uint32_t, 8> ids;
    NameRow() { ids.fill(kNoToken); }
    void push_back(uint32_t id) {
      for (auto& place : ids)
        if (place == kNoToken) {
          place = id;
          return;
        }
    }
    const uint32_t* begin() const { return ids.data(); }
    const uint32_t* end() const {
      const uint32_t* e = ids.data();
      while (e != ids.data() + ids.size() && *e != kNoToken) ++e;
      return e;
    }
  };
  struct Slot {
    Id id = 0;
    uint32_t birth = 0;  // yyyymmdd, 0 when unknown
    uint8_t birth_precision = 0;
    uint32_t anumber = 0;  // 9 digits as a number, 0 when none
    uint64_t phone = 0;    // E.164 digits as a number, 0 when none
    bool alive = false;
  };
  struct Expansion {
    uint32_t token;
    double similarity;
  };
  struct Scored {
    uint32_t slot;
    double score;
  };
  class TopHits;
  class TermWeights;
  struct QueryPlan;

  uint32_t intern(const std::string& token);
  std::vector<Expansion> expand(const std::string& token) const;
  static void erase_from(std::vector<uint32_t>& postings, uint32_t slot);
  double extras_score(const Slot& slot, const QueryPlan& plan) const;
  size_t walk_names(const QueryPlan& plan, const TermWeights& weights, TopHits& top) const;
  std::vector<std::string> reasons(uint32_t slot, const QueryPlan& plan) const;

  std::vector<std::string> tokens_;
  std::unordered_map<std::string, uint32_t> token_ids_;
  std::vector<std::vector<uint32_t>> postings_;  // token id -> sorted slots
  // Deletion neighbourhood (SymSpell): every vocabulary token and its one-character deletions map
  // to the token, so a query token finds spellings within about two edits in a few hash lookups.
  std::unordered_map<std::string, std::vector<uint32_t>> deletions_;
  std::unordered_map<std::string, std::vector<uint32_t>> phonetic_;  // Spanish phonetic key -> tokens
  std::unordered_map<uint32_t, std::vector<uint32_t>> by_birth_;
  std::unordered_map<uint32_t, std::vector<uint32_t>> by_anumber_;
  std::unordered_map<uint64_t, std::vector<uint32_t>> by_phone_;
  std::vector<Slot> slots_;  // append-only; an update takes a new slot so postings stay sorted
  std::vector<NameRow> names_;  // by slot
  std::unordered_map<Id, uint32_t> slot_of_;
};

}  // namespace accompany::linkage
