// The session cache: an entry is trusted for at most its lifetime and never past the session's
// expiry; forgetting (sign-out, disable, password reset) drops it at once and keeps a lookup
// that read the database before the forget from caching what it read.
#include "access/session_cache.h"

#include <gtest/gtest.h>

namespace accompany {
namespace {

Timestamp at(std::int64_t seconds) {
  return Timestamp(std::chrono::seconds(1'700'000'000 + seconds));
}

Principal person(Id id, std::string name) {
  return Principal{id, std::move(name), Role::caseworker, "", true, "csrf"};
}

TEST(SessionCache, AnEntryLivesAtMostItsLifetime) {
  SessionCache cache(std::chrono::seconds(2));
  EXPECT_FALSE(cache.find("digest-a", at(0)));
  cache.remember("digest-a", person(1, "ana"), at(3600), at(0), cache.generation());
  ASSERT_TRUE(cache.find("digest-a", at(1)));
  EXPECT_EQ(cache.find("digest-a", at(1))->name, "ana");
  EXPECT_FALSE(cache.find("digest-a", at(2)));  // the database is asked again
  EXPECT_FALSE(cache.find("digest-b", at(1)));
}

TEST(SessionCache, NeverPastTheSessionsExpiry) {
  SessionCache cache(std::chrono::seconds(10));
  cache.remember("digest-a", person(1, "ana"), at(1), at(0), cache.generation());
  EXPECT_TRUE(cache.find("digest-a", at(0)));
  EXPECT_FALSE(cache.find("digest-a", at(1)));
}

TEST(SessionCache, ForgettingDropsTheSessionOrEveryOneOfTheUser) {
  SessionCache cache(std::chrono::seconds(60));
  cache.remember("a1", person(1, "ana"), at(3600), at(0), cache.generation());
  cache.remember("a2", person(1, "ana"), at(3600), at(0), cache.generation());
  cache.remember("b1", person(2, "bea"), at(3600), at(0), cache.generation());
  cache.forget("a1");
  EXPECT_FALSE(cache.find("a1", at(1)));
  EXPECT_TRUE(cache.find("a2", at(1)));
  cache.forget_user(1);
  EXPECT_FALSE(cache.find("a2", at(1)));
  EXPECT_TRUE(cache.find("b1", at(1)));
}

TEST(SessionCache, ALookupThatRacedAForgetIsNotCached) {
  SessionCache cache(std::chrono::seconds(60));
  const auto before = cache.generation();  // a request starts reading the sessions table...
  cache.forget_user(1);                     // ...the account is disabled and its sessions deleted...
  cache.remember("a1", person(1, "ana"), at(3600), at(0), before);  // ...and the request saw the old row
  EXPECT_FALSE(cache.find("a1", at(1)));
}

TEST(SessionCache, ALifetimeOfZeroTurnsItOff) {
  SessionCache cache(std::chrono::seconds(0));
  cache.remember("a1", person(1, "ana"), at(3600), at(0), cache.generation());
  EXPECT_FALSE(cache.find("a1", at(0)));
}

TEST(SessionCache, StaysBounded) {
  SessionCache cache(std::chrono::seconds(60));
  for (std::size_t i = 0; i <= SessionCache::kMaxEntries; ++i)
    cache.remember("digest-" + std::to_string(i), person(static_cast<Id>(i), "u"), at(3600), at(0),
                   cache.generation());
  // The one past the bound started a fresh table: it is there, the first is not.
  EXPECT_TRUE(cache.find("digest-" + std::to_string(SessionCache::kMaxEntries), at(1)));
  EXPECT_FALSE(cache.find("digest-0", at(1)));
}

}  // namespace
}  // namespace accompany
