#include "eval/metrics.h"

#include <cmath>

#include <gtest/gtest.h>

namespace scale::eval {
namespace {

TEST(ScoreRow, CombinesTheMetrics) {
  RowScore s = ScoreRow("Returns the sum of two integers", "Return the sum of two numbers", false);
  EXPECT_NEAR(s.bleu, 100 * std::pow(2.0 / 15.0, 0.25), 1e-12);  // bleu_test.cc derivation
  EXPECT_NEAR(s.rouge_l, 100 * 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(s.rouge_2, 60.0, 1e-12);
  EXPECT_EQ(s.length, 6);
  EXPECT_FALSE(s.empty);
  EXPECT_FALSE(s.failed);
}

TEST(ScoreRow, FailedRowsScoreAsEmpty) {
  RowScore s = ScoreRow("Returns the value .", "ignored text", true);
  EXPECT_TRUE(s.failed);
  EXPECT_TRUE(s.empty);
  EXPECT_EQ(s.length, 0);
  EXPECT_NEAR(s.bleu, 100 * std::exp(-4.0), 1e-12);
  EXPECT_EQ(s.rouge_l, 0.0);
}

TEST(Summarize, MeansAndCounts) {
  std::vector<RowScore> rows(3);
  rows[0].bleu = 10;
  rows[0].rouge_l = 30;
  rows[0].length = 4;
  rows[1].bleu = 20;
  rows[1].rouge_2 = 9;
  rows[1].length = 8;
  rows[2].empty = true;
  rows[2].failed = true;
  Summary s = Summarize(rows);
  EXPECT_EQ(s.rows, 3u);
  EXPECT_NEAR(s.bleu, 10.0, 1e-12);
  EXPECT_NEAR(s.rouge_l, 10.0, 1e-12);
  EXPECT_NEAR(s.rouge_2, 3.0, 1e-12);
  EXPECT_NEAR(s.mean_length, 4.0, 1e-12);
  EXPECT_EQ(s.empty, 1u);
  EXPECT_EQ(s.failed, 1u);
  EXPECT_EQ(Summarize({}).rows, 0u);
}

std::vector<double> Noisy(size_t n, double shift, unsigned salt) {
  std::vector<double> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = shift + static_cast<double>((i * 37 + salt * 11) % 23);
  return v;
}

TEST(PairedBootstrap, DeterministicAndContainsTheMeanDifference) {
  std::vector<double> a = Noisy(200, 0, 1);
  std::vector<double> b = Noisy(200, 2, 5);
  Difference d1 = PairedBootstrap(a, b, 1000, 7);
  Difference d2 = PairedBootstrap(a, b, 1000, 7);
  EXPECT_EQ(d1.ci_low, d2.ci_low);
  EXPECT_EQ(d1.ci_high, d2.ci_high);
  double mean_a = 0, mean_b = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    mean_a += a[i] / 200;
    mean_b += b[i] / 200;
  }
  EXPECT_NEAR(d1.mean_a, mean_a, 1e-9);
  EXPECT_NEAR(d1.mean_b, mean_b, 1e-9);
  EXPECT_NEAR(d1.diff, mean_b - mean_a, 1e-9);
  EXPECT_LT(d1.ci_low, d1.diff);
  EXPECT_GT(d1.ci_high, d1.diff);
  Difference other = PairedBootstrap(a, b, 1000, 8);  // another seed: another interval, same mean
  EXPECT_EQ(other.diff, d1.diff);
  EXPECT_LE(other.ci_low, other.diff);
  EXPECT_GE(other.ci_high, other.diff);
}

TEST(PairedBootstrap, ConstantDifferenceHasAZeroWidthInterval) {
  std::vector<double> a = Noisy(50, 0, 3);
  std::vector<double> b = a;
  for (double& x : b) x += 1.5;  // every pair differs by exactly 1.5
  Difference d = PairedBootstrap(a, b);
  EXPECT_NEAR(d.diff, 1.5, 1e-12);
  EXPECT_NEAR(d.ci_low, 1.5, 1e-12);
  EXPECT_NEAR(d.ci_high, 1.5, 1e-12);
}

TEST(PairedBootstrap, RejectsUnpairedSamples) {
  EXPECT_ANY_THROW(PairedBootstrap({1, 2}, {1}));
  EXPECT_ANY_THROW(PairedBootstrap({}, {}));
}

}  // namespace
}  // namespace scale::eval
