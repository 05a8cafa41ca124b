// --score on hand-made prediction files; expected values derived by hand below (and equal to
// bench/smooth_bleu_ref.py, an independent re-creation of CodeXGLUE's evaluator, on the same files).
#include "eval/score_file.h"

#include <cmath>

#include <gtest/gtest.h>

#include "eval/report.h"
#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale::eval {
namespace {

// Row "0": pred "returns the sum of two numbers ." (7 tokens) vs "returns the sum of two integers" (6):
//   1-grams 5/7; 2-grams (4+1)/(6+1); 3-grams (3+1)/(5+1); 4-grams (2+1)/(4+1); BP term
//   min(0, 1 - 7/8) = 0  ->  (5/7 * 5/7 * 4/6 * 3/5)^(1/4) = (10/49)^(1/4).
// Row "1": identical -> 1.   Row "2": no tab = empty prediction vs 4 tokens -> exp(-4).
// Row "3": gold only, never scored.
const double kRow0 = std::pow(10.0 / 49.0, 0.25);

TEST(ScorePredictionPairs, CodeXGlueTxtFiles) {
  testing::TempDir dir;
  std::string pred = dir.Write("p.txt", "0\tReturns the sum of two numbers.\n1\tadd\n2\n");
  std::string gold = dir.Write("g.txt", "0\tReturns the sum of two integers\n1\tadd\n2\tReturns the value .\n3\tnot predicted\n");
  std::vector<RowResult> rows = ScorePredictionPairs(pred, gold);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].id, "0");
  EXPECT_NEAR(rows[0].score.bleu, 100 * kRow0, 1e-12);
  EXPECT_DOUBLE_EQ(rows[1].score.bleu, 100.0);
  EXPECT_NEAR(rows[2].score.bleu, 100 * std::exp(-4.0), 1e-12);
  EXPECT_TRUE(rows[2].score.empty);
  Summary s = MakeRunReport("p", "p", "", {}, rows).summary;
  EXPECT_NEAR(s.bleu, (kRow0 + 1.0 + std::exp(-4.0)) * 100.0 / 3.0, 1e-12);
  EXPECT_EQ(s.empty, 1u);
}

TEST(ScorePredictionPairs, RepeatedGoldIdsAreSeveralReferences) {
  // Refs "returns the sum of two integers" + "the numbers .": max counts over both, shortest length 3.
  // 1-grams 7/7; 2-grams (4+1+1)/7 (adds "numbers ."); 3-grams 4/6; 4-grams 3/5; BP term
  // min(0, 1 - 4/8) = 0  ->  (6/7 * 4/6 * 3/5)^(1/4) = (12/35)^(1/4).
  testing::TempDir dir;
  std::string pred = dir.Write("p.txt", "0\tReturns the sum of two numbers.\n");
  std::string gold = dir.Write("g.txt", "0\tReturns the sum of two integers\n0\tthe numbers .\n");
  std::vector<RowResult> rows = ScorePredictionPairs(pred, gold);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NEAR(rows[0].score.bleu, 100 * std::pow(12.0 / 35.0, 0.25), 1e-12);
}

TEST(ScorePredictionPairs, BadGoldLineIsAnInputError) {
  testing::TempDir dir;
  std::string pred = dir.Write("p.txt", "0\tx\n");
  try {
    ScorePredictionPairs(pred, dir.Write("g.txt", "0 no tab here\n"));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitInput);
    EXPECT_NE(std::string(e.what()).find("g.txt:1"), std::string::npos);
  }
  EXPECT_THROW(ScorePredictionPairs(pred, dir.Write("g2.txt", "7\tother id\n")), Error);
}

TEST(ScorePredictionsJsonl, PredictionReferenceRows) {
  testing::TempDir dir;
  std::string path = dir.Write("p.jsonl",
                               R"({"prediction":"Returns the sum of two numbers.","reference":"Returns the sum of two integers"})" "\n"
                               R"({"prediction":"add","reference":"add","id":"x"})" "\n"
                               R"({"prediction":"","references":["Returns the value ."]})" "\n");
  std::vector<RowResult> rows = ScorePredictionsJsonl(path);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].id, "x");
  Summary s = MakeRunReport("p", "p", "", {}, rows).summary;
  EXPECT_NEAR(s.bleu, (kRow0 + 1.0 + std::exp(-4.0)) * 100.0 / 3.0, 1e-12);
  EXPECT_THROW(ScorePredictionsJsonl(dir.Write("bad.jsonl", R"({"prediction":"x"})" "\n")), Error);
}

}  // namespace
}  // namespace scale::eval
