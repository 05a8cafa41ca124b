// Unit tests with a scripted fake model (engine::FakeLlm): prompt sizing, token accounting and the
// sequential/parallel detection. Speeds themselves are never asserted.
#include "bench/throughput.h"

#include <gtest/gtest.h>

#include "bench/process.h"
#include "engine/fake_llm.h"

namespace scale::bench {
namespace {

TEST(FillerMessages, FitsTheTokenBudgetAndDiffersBySalt) {
  engine::FakeLlm fake([](const engine::Request&) { return std::string(); });
  auto a = FillerMessages(fake, 100, 1);
  auto b = FillerMessages(fake, 100, 2);
  int tokens = fake.CountPromptTokens(a);
  EXPECT_LE(tokens, 100);
  EXPECT_GE(tokens, 97);  // one more word (<= 7 bytes + space = 2 fake tokens) would not fit
  EXPECT_NE(a[0].content.substr(0, 20), b[0].content.substr(0, 20));
  EXPECT_EQ(FillerMessages(fake, 100, 1)[0].content, a[0].content);  // deterministic
}

TEST(MeasureEngine, CountsTokensAndSeesSequentialEngines) {
  // FakeLlm runs jobs one at a time (the base Llm::RunJobs) and answers 40 bytes = 10 fake tokens.
  engine::FakeLlm fake([](const engine::Request&) { return std::string(40, 'x'); });
  EngineSample s = MeasureEngine(fake, 3, 64, 16, 1);
  // A prompt-only run (1-token answers) then the full run, with different prompts.
  auto asked = fake.requests();
  ASSERT_EQ(asked.size(), 6u);
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(asked[i].sampling.max_tokens, i < 3 ? 1 : 16);
    EXPECT_EQ(asked[i].sampling.temperature, 0.0f);
  }
  EXPECT_NE(asked[0].messages[0].content, asked[3].messages[0].content);
  EXPECT_EQ(s.jobs, 3);
  EXPECT_EQ(s.generated_tokens, 30);
  EXPECT_EQ(s.prompt_tokens, fake.CountPromptTokens(asked[3].messages) + fake.CountPromptTokens(asked[4].messages) +
                                 fake.CountPromptTokens(asked[5].messages));
  EXPECT_EQ(s.concurrency, 1);
  EXPECT_EQ(s.failed, 0);
  EXPECT_GE(s.pp_seconds, 0.0);
  EXPECT_GE(s.total_seconds, 0.0);
  EXPECT_FALSE(s.tg_from_steps);  // the fake's RunJobs times no steps: the subtraction estimate
}

TEST(MeasureEngine, CountsFailures) {
  engine::FakeLlm fake([](const engine::Request&) { return std::string("x"); }, /*context_size=*/40);
  EngineSample s = MeasureEngine(fake, 2, 64, 16, 1);  // prompts of ~64 > 40: context full, both runs
  EXPECT_EQ(s.failed, 4);
}

TEST(Median, OddEvenEmpty) {
  EXPECT_EQ(Median({3, 1, 2}), 2.0);
  EXPECT_EQ(Median({4, 1, 3, 2}), 2.5);
  EXPECT_EQ(Median({}), 0.0);
}

TEST(Process, RunsAChild) {
  ProcessResult r = RunProcess({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.output.find("out"), std::string::npos);
  EXPECT_NE(r.output.find("err"), std::string::npos);
  EXPECT_EQ(RunProcess({"/nonexistent/binary"}).exit_code, 127);
}

}  // namespace
}  // namespace scale::bench
