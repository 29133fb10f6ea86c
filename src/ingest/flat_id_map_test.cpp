#include "ingest/flat_id_map.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <unordered_map>

namespace accompany {
namespace {

TEST(FlatIdMap, FindsWhatWasInsertedAndNothingElse) {
  FlatIdMap map;
  EXPECT_FALSE(map.find("201234567"));
  EXPECT_TRUE(map.insert("201234567", 7));
  EXPECT_TRUE(map.insert("UAC00000001", 8));
  EXPECT_TRUE(map.insert("", 9));  // the empty key is a key like any other
  EXPECT_EQ(map.find("201234567"), std::optional<Id>(7));
  EXPECT_EQ(map.find("UAC00000001"), std::optional<Id>(8));
  EXPECT_EQ(map.find(""), std::optional<Id>(9));
  EXPECT_FALSE(map.find("20123456"));
  EXPECT_FALSE(map.find("2012345678"));
  EXPECT_EQ(map.size(), 3u);
}

TEST(FlatIdMap, ASecondInsertOfAKeyKeepsTheFirstId) {
  FlatIdMap map;
  EXPECT_TRUE(map.insert("CBP000000001", 1));
  EXPECT_FALSE(map.insert("CBP000000001", 2));
  EXPECT_EQ(map.find("CBP000000001"), std::optional<Id>(1));
  EXPECT_EQ(map.size(), 1u);
}

// Many keys that differ only in their last digits (like A-numbers), with and without reserve,
// through several growths: every key is found with its own id, as in std::unordered_map.
TEST(FlatIdMap, AgreesWithUnorderedMapThroughGrowth) {
  for (bool reserved : {false, true}) {
    FlatIdMap map;
    if (reserved) map.reserve(50'000);
    std::unordered_map<std::string, Id> expected;
    for (Id i = 0; i < 50'000; ++i) {
      const std::string key = fmt::format("{:09}", 200'000'000 + i * 7);
      ASSERT_TRUE(map.insert(key, i + 1));
      expected.emplace(key, i + 1);
    }
    EXPECT_EQ(map.size(), expected.size());
    for (const auto& [key, id] : expected) ASSERT_EQ(map.find(key), std::optional<Id>(id)) << key;
    for (Id i = 0; i < 1'000; ++i) EXPECT_FALSE(map.find(fmt::format("{:09}", 200'000'001 + i * 7)));
  }
}

TEST(FlatIdMap, ClearForgetsEveryKey) {
  FlatIdMap map;
  map.insert("a", 1);
  map.clear();
  EXPECT_TRUE(map.empty());
  EXPECT_FALSE(map.find("a"));
  EXPECT_TRUE(map.insert("a", 2));
  EXPECT_EQ(map.find("a"), std::optional<Id>(2));
}

}  // namespace
}  // namespace accompany
