#include "util/peak_rss.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace scale {
namespace {

TEST(PeakRss, GrowsWhenMemoryIsTouched) {
  uint64_t before = PeakRssBytes();
  ASSERT_GT(before, 0u);
  std::vector<char> block(64u << 20);
  std::memset(block.data(), 1, block.size());  // touch every page so it becomes resident
  EXPECT_GE(PeakRssBytes(), before + (48u << 20));
  EXPECT_EQ(block[block.size() / 2], 1);
}

TEST(PeakRss, CurrentFollowsTouchedMemoryAndStaysUnderThePeak) {
  const uint64_t before = CurrentRssBytes();
  ASSERT_GT(before, 0u);
  std::vector<char> block(64u << 20);
  std::memset(block.data(), 1, block.size());
  const uint64_t now = CurrentRssBytes();
  EXPECT_GE(now, before + (48u << 20));
  EXPECT_LE(now, PeakRssBytes());
  EXPECT_EQ(block[block.size() / 3], 1);
}

}  // namespace
}  // namespace scale
