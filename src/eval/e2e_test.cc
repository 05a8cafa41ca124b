// End to end through the built `scale` binary and the real llama.cpp engine (stories260K, a real
// tiny model), plus the CLI paths that need no model (--score, errors).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/fs.h"

namespace scale::eval {
namespace {

using scale::testing::RunScale;

const std::string kRuby = std::string(SCALE_SHARED_DIR) + "/data/codexglue-ruby/test.jsonl";

TEST(EvalCli, FiveRubyRowsThroughTheRealEngine) {
  testing::TempDir dir;
  std::vector<std::string> args = {"eval", "-m", testing::StoriesModel(), "--format", "raw", "--max-tokens", "16",
                                   kRuby,  "--limit", "5", "--out", dir.file("out"), "--json"};
  auto first = RunScale(args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  nlohmann::json j = nlohmann::json::parse(first.out);
  EXPECT_EQ(j["summary"]["rows"], 5);
  EXPECT_EQ(j["summary"]["unparsed"], 0);  // every row went through the Ruby worker's routine prompt
  EXPECT_EQ(j["summary"]["parsed_with_errors"], 0);
  ASSERT_EQ(j["rows"].size(), 5u);
  for (const auto& row : j["rows"]) {
    EXPECT_FALSE(row["reference"].get<std::string>().empty());
    EXPECT_GE(row["bleu"].get<double>(), 0.0);
    EXPECT_LE(row["bleu"].get<double>(), 100.0);
  }
  EXPECT_EQ(j["rows"][0]["reference"], "Outputs the deferred summary information saved via");
  std::string md = ReadFile(dir.file("out/report.md"));
  EXPECT_NE(md.find("| stories260K.gguf | 5 |"), std::string::npos) << md;
  EXPECT_EQ(nlohmann::json::parse(ReadFile(dir.file("out/report.json"))), j);

  // Same command again: every row comes from the results log, the report is byte-identical.
  auto second = RunScale(args);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, first.out);
  EXPECT_NE(second.err.find("0 rows generated, 5 reused"), std::string::npos) << second.err;
}

TEST(EvalCli, ScoresAPredictionFile) {
  testing::TempDir dir;
  // Hand-made pairs: identical (100) and empty vs 4 tokens (100 * e^-4 = 1.8316): mean 50.92.
  std::string pred = dir.Write("p.txt", "0\tReturns the value.\n1\n");
  std::string gold = dir.Write("g.txt", "0\tReturns the value .\n1\tReturns the value .\n");
  auto r = RunScale({"eval", "--score", pred, "--ref", gold});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("| predictions | 2 | 50.92 |"), std::string::npos) << r.out;
  auto j = RunScale({"eval", "--score", pred, "--ref", gold, "--json", "--out", dir.file("rep")});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  EXPECT_NEAR(nlohmann::json::parse(j.out)["summary"]["bleu"].get<double>(), (100 + 100 * 0.018315638888734179) / 2,
              1e-9);
  EXPECT_TRUE(std::filesystem::exists(dir.file("rep/report.md")));
}

TEST(EvalCli, UsageAndInputErrors) {
  testing::TempDir dir;
  auto no_ref = RunScale({"eval", "--score", dir.Write("p.txt", "0\tx\n")});
  EXPECT_EQ(no_ref.exit_code, 2);
  auto missing = RunScale({"eval", "--score", dir.file("missing.jsonl")});
  EXPECT_EQ(missing.exit_code, 4);
  EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1) << missing.err;
  auto nothing = RunScale({"eval"});
  EXPECT_EQ(nothing.exit_code, 2);
}

}  // namespace
}  // namespace scale::eval
