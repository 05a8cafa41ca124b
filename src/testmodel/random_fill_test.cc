#include "testmodel/random_fill.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace scale::testmodel {
namespace {

std::vector<float> Draw(uint64_t seed, const char* name, int n, float mean = 0, float sd = 1) {
  std::vector<float> v(n);
  WeightRng(seed, name).Fill(v.data(), n, mean, sd);
  return v;
}

TEST(WeightRng, SameSeedAndNameGiveTheSameValues) {
  EXPECT_EQ(Draw(1, "blk.0.attn_q.weight", 1000), Draw(1, "blk.0.attn_q.weight", 1000));
  EXPECT_NE(Draw(1, "blk.0.attn_q.weight", 1000), Draw(2, "blk.0.attn_q.weight", 1000));
  EXPECT_NE(Draw(1, "blk.0.attn_q.weight", 1000), Draw(1, "blk.0.attn_k.weight", 1000));
}

TEST(WeightRng, ChunkedFillEqualsOneFill) {
  // The stream writer fills a tensor in row chunks; the values must not depend on the chunking.
  std::vector<float> whole = Draw(5, "t", 1000), parts(1000);
  WeightRng rng(5, "t");
  rng.Fill(parts.data(), 300, 0, 1);
  rng.Fill(parts.data() + 300, 700, 0, 1);
  EXPECT_EQ(whole, parts);
}

TEST(WeightRng, HasTheRequestedMeanAndSpread) {
  const int n = 200000;
  std::vector<float> v = Draw(9, "x", n, 1.0f, 0.05f);
  double sum = 0, sq = 0;
  for (float x : v) {
    sum += x;
    sq += (x - 1.0) * (x - 1.0);
    EXPECT_LE(std::fabs(x - 1.0f), 0.05f * 1.7320508f + 1e-6f);
  }
  EXPECT_NEAR(sum / n, 1.0, 0.001);
  EXPECT_NEAR(std::sqrt(sq / n), 0.05, 0.001);
}

}  // namespace
}  // namespace scale::testmodel
