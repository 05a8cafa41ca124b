// Unit tests with a scripted fake model (engine::FakeLlm) on a scripted clock: prompt sizing, token
// accounting, the speed arithmetic (the fake "takes" a known time per token, so every figure is
// exact) and the sequential/parallel detection. Nothing depends on how fast this machine is.
#include "bench/throughput.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>

#include "bench/process.h"
#include "testing/fake_llm.h"

namespace scale::bench {
namespace {

// Time that moves only when a fake model says work was done.
struct ScriptedClock {
  int64_t ns = 0;
  void Advance(double seconds) { ns += static_cast<int64_t>(seconds * 1e9 + 0.5); }
  BenchClock clock() {
    return [this] { return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ns)); };
  }
};

// Answers max_tokens fake tokens. The prompt and the first answer token "take" 10 ms per prompt
// token (100 tokens/s) before the first piece streams; each further token takes 100 ms (10
// tokens/s) after it. Time is read off `clock`.
class TimedFake : public engine::FakeLlm {
 public:
  explicit TimedFake(ScriptedClock& clock)
      : FakeLlm([this](const engine::Request& r) {
          clock_.Advance(CountPromptTokens(r.messages) * 0.01);
          return std::string(static_cast<size_t>(4 * r.sampling.max_tokens), 'x');
        }),
        clock_(clock) {}

  engine::Response Complete(const engine::Request& request) override {
    engine::Request timed = request;
    timed.on_piece = [this, &request](std::string_view piece) {
      bool go_on = request.on_piece(piece);
      clock_.Advance((request.sampling.max_tokens - 1) * 0.1);
      return go_on;
    };
    return FakeLlm::Complete(timed);
  }

 private:
  ScriptedClock& clock_;
};

int PromptTokens(engine::Llm& llm, const std::vector<engine::Request>& asked, size_t from, size_t to) {
  int total = 0;
  for (size_t i = from; i < to; ++i) total += llm.CountPromptTokens(asked[i].messages);
  return total;
}

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
  EXPECT_FALSE(s.tg_from_steps);  // the fake's RunJobs times no steps: the subtraction estimate
}

TEST(MeasureEngine, SpeedsFromScriptedTimings) {
  ScriptedClock clock;
  TimedFake fake(clock);
  EngineSample s = MeasureEngine(fake, 3, 64, 16, 1, clock.clock());
  auto asked = fake.requests();
  ASSERT_EQ(asked.size(), 6u);
  const int pp_prompt = PromptTokens(fake, asked, 0, 3);
  const int full_prompt = PromptTokens(fake, asked, 3, 6);
  ASSERT_GT(pp_prompt, 150);  // ~64 tokens each: the figures below are not trivially zero
  EXPECT_NEAR(s.pp_seconds, pp_prompt * 0.01, 1e-9);
  EXPECT_NEAR(s.total_seconds, full_prompt * 0.01 + 3 * 15 * 0.1, 1e-9);
  // The speeds the fake was scripted with come back: 100 prompt tokens/s; generation 10 tokens/s,
  // which the estimate recovers by removing the prompt time and each job's first token.
  EXPECT_NEAR(s.pp_tps, 100.0, 1e-6);
  EXPECT_NEAR(s.tg_tps, 10.0, 1e-6);
  EXPECT_FALSE(s.tg_from_steps);
  // Jobs run one after another: job i's first token comes after jobs before it and its own prompt.
  double before = 0, ttft = 0;
  for (size_t i = 3; i < 6; ++i) {
    const double prompt = fake.CountPromptTokens(asked[i].messages) * 0.01;
    ttft += (before + prompt) / 3;
    before += prompt + 1.5;
  }
  EXPECT_NEAR(s.ttft_s, ttft, 1e-6);
  EXPECT_EQ(s.concurrency, 1);
}

TEST(MeasureEngine, PrefersTheEnginesStepTiming) {
  // An engine that times its all-generating steps: tg_tps is its tokens / seconds, not the estimate.
  class SteppedFake : public TimedFake {
   public:
    using TimedFake::TimedFake;
    engine::GenerationTiming LastGenerationTiming() const override { return {15, 45, 3.0}; }
  };
  ScriptedClock clock;
  SteppedFake fake(clock);
  EngineSample s = MeasureEngine(fake, 3, 64, 16, 1, clock.clock());
  EXPECT_TRUE(s.tg_from_steps);
  EXPECT_DOUBLE_EQ(s.tg_tps, 15.0);
  EXPECT_NEAR(s.pp_tps, 100.0, 1e-6);
}

TEST(MeasureEngine, SeesJobsGeneratingTogether) {
  // Decodes all jobs in lockstep: every job streams its first piece (1 s apart) before any ends.
  class LockstepFake : public engine::FakeLlm {
   public:
    explicit LockstepFake(ScriptedClock& clock)
        : FakeLlm([](const engine::Request&) { return std::string("xxxx"); }), clock_(clock) {}
    void RunJobs(std::vector<engine::Job>& jobs) override {
      std::vector<engine::Request> requests;
      for (auto& job : jobs) requests.push_back(*job.make());
      for (auto& r : requests) {
        clock_.Advance(1.0);
        r.on_piece("x");
      }
      for (size_t i = 0; i < jobs.size(); ++i) {
        clock_.Advance(1.0);
        engine::Response response;
        response.prompt_tokens = CountPromptTokens(requests[i].messages);
        response.completion_tokens = requests[i].sampling.max_tokens;
        jobs[i].done(response);
      }
    }

   private:
    ScriptedClock& clock_;
  };
  ScriptedClock clock;
  LockstepFake fake(clock);
  EngineSample s = MeasureEngine(fake, 3, 64, 16, 1, clock.clock());
  EXPECT_EQ(s.concurrency, 3);
  EXPECT_NEAR(s.ttft_s, 2.0, 1e-9);  // first pieces at 1, 2 and 3 s
  EXPECT_NEAR(s.total_seconds, 6.0, 1e-9);
  EXPECT_NEAR(s.pp_seconds, 6.0, 1e-9);
  EXPECT_EQ(s.generated_tokens, 48);
  EXPECT_EQ(s.failed, 0);
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
