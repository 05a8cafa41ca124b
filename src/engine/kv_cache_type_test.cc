// The KV cache type's one text spelling: every name round-trips, anything else is refused.
#include "engine/kv_cache_type.h"

#include <gtest/gtest.h>

namespace scale::engine {
namespace {

TEST(KvCacheTypeTest, NamesRoundTripAndOthersAreRefused) {
  ASSERT_EQ(KvCacheTypes().size(), 3u);
  for (const std::string& name : KvCacheTypes()) {
    auto type = ParseKvCacheType(name);
    ASSERT_TRUE(type.has_value()) << name;
    EXPECT_EQ(KvCacheTypeName(*type), name);
  }
  EXPECT_EQ(ParseKvCacheType("q8_0"), KvCacheType::kQ8_0);
  EXPECT_FALSE(ParseKvCacheType("q5_1").has_value());
  EXPECT_FALSE(ParseKvCacheType("F16").has_value());
  EXPECT_FALSE(ParseKvCacheType("").has_value());
}

}  // namespace
}  // namespace scale::engine
