// `scale generate` end to end: the built binary on the real stories260K model.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"

namespace scale::cli {
namespace {

using testing::RunScale;
using testing::RunScaleWith;

size_t Lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

TEST(GenerateCommandTest, StreamsAnAnswerWithRawFormat) {
  auto r = RunScale({"generate", "-t", "1", "-m", testing::StoriesModel(), "--format", "raw", "--max-tokens", "20",
                     "Once upon a time"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(r.out.size(), 20u);
  EXPECT_EQ(r.out.back(), '\n');
  // Greedy by default: the same command prints the same bytes.
  EXPECT_EQ(r.out, RunScale({"generate", "-t", "1", "-m", testing::StoriesModel(), "--format", "raw", "--max-tokens", "20",
                             "Once upon a time"}).out);
}

TEST(GenerateCommandTest, JsonReportsTheAnswerAndCounts) {
  auto r = RunScale({"generate", "-t", "1", "-m", testing::StoriesModel(), "--format", "raw", "--max-tokens", "12", "--json",
                     "Once upon a time"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["finish"], "length");
  EXPECT_EQ(j["completion_tokens"], 12);
  EXPECT_EQ(j["prompt_tokens"], 5);  // BOS + "Once upon a time" in stories260K's vocab
  auto plain = RunScale({"generate", "-t", "1", "-m", testing::StoriesModel(), "--format", "raw", "--max-tokens", "12",
                         "Once upon a time"});
  EXPECT_EQ(j["text"].get<std::string>() + "\n", plain.out);
}

TEST(GenerateCommandTest, CountTokensMatchesTheJsonPromptTokens) {
  auto count = RunScale({"generate", "-t", "1", "-m", testing::StoriesModel(), "--format", "chatml", "--system", "Be nice.",
                         "--count-tokens", "Tell me a story"});
  ASSERT_EQ(count.exit_code, 0) << count.err;
  auto json = RunScale({"generate", "-t", "1", "-m", testing::StoriesModel(), "--format", "chatml", "--system", "Be nice.",
                        "--max-tokens", "1", "--json", "Tell me a story"});
  EXPECT_EQ(std::stoi(count.out), nlohmann::json::parse(json.out)["prompt_tokens"].get<int>());
}

TEST(GenerateCommandTest, PromptFromFileAndStdin) {
  testing::TempDir dir;
  std::string file = dir.Write("prompt.txt", "Once upon a time");
  auto a = RunScale({"generate", "-t", "1", "-m", testing::StoriesModel(), "--format", "raw", "--max-tokens", "8", "--prompt-file", file});
  auto b = RunScale({"generate", "-t", "1", "-m", testing::StoriesModel(), "--format", "raw", "--max-tokens", "8", "-"},
                    "Once upon a time");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
}

TEST(GenerateCommandTest, MissingModelIsExit3WithOneLine) {
  auto r = RunScale({"generate", "-m", "/nonexistent", "x"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(Lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("/nonexistent"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(GenerateCommandTest, NoModelAnywhereSaysHowToGiveOne) {
  auto r = RunScaleWith({"generate", "x"}, {{"SCALE_MODEL", ""}, {"SCALE_OFFLINE", "1"}});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("or pass -m FILE.gguf"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("$SCALE_MODEL"), std::string::npos) << r.err;
  auto env = RunScaleWith({"generate", "-t", "1", "--format", "raw", "--max-tokens", "4", "Once"},
                          {{"SCALE_MODEL", testing::StoriesModel()}});
  EXPECT_EQ(env.exit_code, 0) << env.err;
}

TEST(GenerateCommandTest, ContextFullIsExit4WithTheNumbers) {
  auto r = RunScale({"generate", "-t", "1", "-m", testing::StoriesModel(), "--format", "raw", "-c", "16", "--max-tokens", "40",
                     "Once upon a time"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("context of 16 tokens"), std::string::npos) << r.err;
  EXPECT_EQ(Lines(r.err), 1u) << r.err;
}

TEST(GenerateCommandTest, BadFlagsAreUsageErrors) {
  EXPECT_EQ(RunScale({"generate", "-t", "1", "-m", testing::StoriesModel(), "--format", "nosuch", "x"}).exit_code, 2);
  EXPECT_EQ(RunScale({"generate", "-m", testing::StoriesModel(), "--rope-scaling", "sideways", "x"}).exit_code, 2);
  EXPECT_EQ(RunScale({"generate", "-m", testing::StoriesModel()}).exit_code, 2);  // no prompt
}

TEST(GenerateCommandTest, StopFlagEndsTheAnswerBeforeIt) {
  auto full = RunScale({"generate", "-t", "1", "-m", testing::StoriesModel(), "--format", "raw", "--max-tokens", "30", "--json",
                        "Once upon a time"});
  std::string text = nlohmann::json::parse(full.out)["text"];
  ASSERT_NE(text.find("Lily"), std::string::npos) << text;
  auto cut = RunScale({"generate", "-t", "1", "-m", testing::StoriesModel(), "--format", "raw", "--max-tokens", "30", "--json",
                       "--stop", "Lily", "Once upon a time"});
  auto j = nlohmann::json::parse(cut.out);
  EXPECT_EQ(j["text"], text.substr(0, text.find("Lily")));
  EXPECT_EQ(j["finish"], "stop");
}

TEST(GenerateCommandTest, MaxMemoryPicksSizesOrRefuses) {
  auto ok = RunScale({"generate", "-t", "1", "-m", testing::StoriesModel(), "--format", "raw", "--max-memory", "200M",
                      "--max-tokens", "4", "-v", "Once"});  // above the 150 MB runtime allowance (model_facts.h)
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.err.find("--max-memory 200M: "), std::string::npos) << ok.err;
  auto tiny = RunScale({"generate", "-t", "1", "-m", testing::StoriesModel(), "--max-memory", "1M", "Once"});
  EXPECT_EQ(tiny.exit_code, 3);
  EXPECT_NE(tiny.err.find("too small"), std::string::npos) << tiny.err;
  EXPECT_EQ(RunScale({"generate", "-m", testing::StoriesModel(), "--max-memory", "lots", "Once"}).exit_code, 2);
}

}  // namespace
}  // namespace scale::cli
