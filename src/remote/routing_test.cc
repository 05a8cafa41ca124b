#include "remote/routing.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace scale::remote {
namespace {

TEST(RemoteRouting, SameKeySameOrderEveryTime) {
  const std::vector<double> w = {1, 1, 1};
  auto a = RankEndpoints("src/a.py", w);
  EXPECT_EQ(a, RankEndpoints("src/a.py", w));
  ASSERT_EQ(a.size(), 3u);
  EXPECT_NE(a[0], a[1]);
  EXPECT_NE(a[1], a[2]);
}

TEST(RemoteRouting, FilesSpreadInProportionToWeight) {
  std::map<size_t, int> first;
  const int n = 6000;
  for (int i = 0; i < n; ++i) ++first[RankEndpoints("dir/file" + std::to_string(i) + ".c", {1, 2, 1})[0]];
  // Expected 1500 / 3000 / 1500; binomial standard deviation about 39.
  EXPECT_NEAR(first[0], 1500, 200);
  EXPECT_NEAR(first[1], 3000, 200);
  EXPECT_NEAR(first[2], 1500, 200);
}

TEST(RemoteRouting, RemovingAServerMovesOnlyItsKeys) {
  // Rendezvous: dropping endpoint 2 (the last weight) keeps every other key where it was.
  int moved = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::string key = "f" + std::to_string(i);
    const size_t before = RankEndpoints(key, {1, 1, 1})[0];
    const size_t after = RankEndpoints(key, {1, 1})[0];
    if (before != 2) moved += before != after;
  }
  EXPECT_EQ(moved, 0);
}

}  // namespace
}  // namespace scale::remote
