// A short-lived in-memory cache of signed-in sessions, so an authenticated request does not
// read the sessions table every time. An entry lives at most `ttl` (and never past its
// session's expiry). Sign-out, disabling an account and resetting its password drop the
// entries in this process at once; a change made by another process (`accompany user
// disable` from the command line) takes effect here within `ttl`. That bound is the whole
// trade-off, documented in docs/security.md ("Session cache"). Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "common/time.h"
#include "security/accounts.h"

namespace accompany {

class SessionCache {
 public:
  static constexpr std::chrono::seconds kDefaultTtl{2};
  static constexpr std::size_t kMaxEntries = 10'000;

  explicit SessionCache(std::chrono::seconds ttl = kDefaultTtl) : ttl_(ttl) {}

  // The principal cached for a session token's digest, if still fresh at `now`.
  std::optional<Principal> find(const std::string& token_digest, Timestamp now) const;
  // Read before looking a session up in the database, passed back to remember(): an entry read
  // before a forget() that ran meanwhile is not cached (it may be the session just ended).
  std::uint64_t generation() const;
  void remember(const std::string& token_digest, const Principal& who, Timestamp session_expires, Timestamp now,
                std::uint64_t generation_before_read);
  void forget(const std::string& token_digest);
  void forget_user(Id user_id);

  std::chrono::seconds ttl() const { return ttl_; }

 private:
  struct Entry {
    Principal who;
    Timestamp fresh_until;  // min(cached at + ttl, the session's expiry)
  };
  std::chrono::seconds ttl_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // by token digest; guarded by mutex_
  std::uint64_t generation_ = 0;                     // forget() calls so far; guarded by mutex_
};

}  // namespace accompany
