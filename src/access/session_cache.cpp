#include "access/session_cache.h"

#include <mutex>

namespace accompany {

std::optional<Principal> SessionCache::find(const std::string& token_digest, Timestamp now) const {
  if (ttl_.count() <= 0) return std::nullopt;
  std::shared_lock lock(mutex_);
  auto found = entries_.find(token_digest);
  if (found == entries_.end() || now >= found->second.fresh_until) return std::nullopt;
  return found->second.who;
}

std::uint64_t SessionCache::generation() const {
  std::shared_lock lock(mutex_);
  return generation_;
}

void SessionCache::remember(const std::string& token_digest, const Principal& who, Timestamp session_expires,
                            Timestamp now, std::uint64_t generation_before_read) {
  if (ttl_.count() <= 0) return;
  const Timestamp fresh_until =
      std::min(session_expires, now + ttl_);
  std::unique_lock lock(mutex_);
  if (generation_ != generation_before_read) return;
  // Bounded: when full, start over (entries are only seconds old, and refilled on demand).
  if (entries_.size() >= kMaxEntries && !entries_.contains(token_digest)) entries_.clear();
  entries_.insert_or_assign(token_digest, Entry{who, fresh_until});
}

void SessionCache::forget(const std::string& token_digest) {
  std::unique_lock lock(mutex_);
  ++generation_;
  entries_.erase(token_digest);
}

void SessionCache::forget_user(Id user_id) {
  std::unique_lock lock(mutex_);
  ++generation_;
  std::erase_if(entries_, [user_id](const auto& entry) { return entry.second.who.user_id == user_id; });
}

}  // namespace accompany
