// LlamaEngine on the real stories260K model through real llama.cpp: loading, determinism, exact
// stop-string cuts, token counting, the context guard, time limit and cancellation.
#include "engine/llama_engine.h"

#include <gtest/gtest.h>

#include <optional>

#include "engine/context_fit.h"
#include "engine/gguf_check.h"
#include "engine/scheduler.h"
#include "llama.h"
#include "testing/test_models.h"
#include "util/error.h"

namespace scale::engine {
namespace {

std::unique_ptr<LlamaEngine> Stories(ChatFormat format = ChatFormat::kRaw, int ctx_size = 256) {
  EngineParams p;
  p.model_path = testing::StoriesModel();
  p.format = format;
  p.ctx_size = ctx_size;
  p.threads = 1;
  return LlamaEngine::Load(p);
}

Request Ask(const std::string& text, int max_tokens = 40) {
  Request r;
  r.messages = {{Role::kUser, text}};
  r.sampling.max_tokens = max_tokens;
  return r;
}

TEST(LlamaEngineTest, LoadsAndReportsItself) {
  auto engine = Stories(ChatFormat::kRaw, 200);
  EXPECT_EQ(engine->ContextSize(), 200);
  EXPECT_EQ(engine->format(), ChatFormat::kRaw);
  EXPECT_NE(engine->Fingerprint().find("format:raw"), std::string::npos) << engine->Fingerprint();
  EXPECT_EQ(engine->Fingerprint(), Stories(ChatFormat::kRaw, 200)->Fingerprint());
  EXPECT_NE(engine->Fingerprint(), Stories(ChatFormat::kChatML, 200)->Fingerprint());
}

TEST(LlamaEngineTest, QuantisedKvCacheIsSmallerAndStillAnswers) {
  auto state_bytes = [](KvCacheType cache_type, std::string* text, std::string* fingerprint) {
    EngineParams p;
    p.model_path = testing::TinyWideHeadModel();
    p.ctx_size = 256;
    p.threads = 1;
    p.cache_type = cache_type;
    auto engine = LlamaEngine::Load(p);
    *fingerprint = engine->Fingerprint();
    Response r = engine->Complete(Ask("Once upon a time, there was a little girl", 8));
    *text = r.ok() ? r.text : "error: " + r.error;
    // Then the same prompt straight into sequence 0, to weigh what its KV takes.
    std::vector<llama_token> tokens = engine->Tokenize("Once upon a time, there was a little girl", true, false);
    llama_memory_seq_rm(llama_get_memory(engine->context()), -1, -1, -1);
    EXPECT_EQ(llama_decode(engine->context(), llama_batch_get_one(tokens.data(), static_cast<int32_t>(tokens.size()))), 0);
    return llama_state_seq_get_size(engine->context(), 0);
  };
  std::string f16_text, q8_text, f16_fp, q8_fp;
  size_t f16 = state_bytes(KvCacheType::kF16, &f16_text, &f16_fp);
  size_t q8 = state_bytes(KvCacheType::kQ8_0, &q8_text, &q8_fp);
  EXPECT_EQ(q8_text.rfind("error", 0), std::string::npos) << q8_text;
  EXPECT_EQ(f16_text.rfind("error", 0), std::string::npos) << f16_text;
  ASSERT_GT(f16, 0u);
  EXPECT_LT(q8, f16 * 3 / 4) << "q8_0 stores about 1.06 bytes per value against f16's 2";
  // The memory estimate (scale hw, --max-memory) predicts llama.cpp's own ratio; the state also
  // carries positions and sequence ids per cell, hence the tolerance.
  GgufInfo info = InspectModelFile(testing::TinyWideHeadModel());
  double predicted = double(KvCacheBytes(info, 1000, KvCacheType::kQ8_0)) / double(KvCacheBytes(info, 1000, KvCacheType::kF16));
  EXPECT_NEAR(double(q8) / double(f16), predicted, 0.05);
  EXPECT_NE(q8_fp, f16_fp) << "prefixes stored on disk must not cross cache types";
  EXPECT_FALSE(ParseKvCacheType("q5_9").has_value()) << "unknown types stop at the settings edge";
}

TEST(LlamaEngineTest, AutoFormatWithoutTemplateFallsBackToChatML) {
  auto engine = Stories(ChatFormat::kAuto);
  EXPECT_EQ(engine->format(), ChatFormat::kChatML);
  EXPECT_EQ(engine->FormatPrompt({{Role::kUser, "hi"}}), "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n");
}

TEST(LlamaEngineTest, GreedyIsDeterministicAndKvIsClearedBetweenRequests) {
  auto engine = Stories();
  Response a1 = engine->Complete(Ask("Once upon a time"));
  ASSERT_TRUE(a1.ok()) << a1.error;
  EXPECT_FALSE(a1.text.empty());
  EXPECT_GT(a1.completion_tokens, 0);
  Response b = engine->Complete(Ask("The little dog"));
  Response a2 = engine->Complete(Ask("Once upon a time"));
  EXPECT_EQ(a1.text, a2.text);  // the earlier request left nothing behind in the cache
  EXPECT_NE(a1.text, b.text);
  EXPECT_EQ(a1.text, Stories()->Complete(Ask("Once upon a time")).text);  // and across loads
}

TEST(LlamaEngineTest, GreedyArgmaxPicksWhatLlamaCppsGreedySamplerPicks) {
  auto engine = Stories();
  SamplingParams greedy;
  ASSERT_EQ(engine->MakeSampler(greedy), nullptr);  // plain greedy needs no chain
  llama_sampler* reference = llama_sampler_chain_init(llama_sampler_chain_default_params());
  llama_sampler_chain_add(reference, llama_sampler_init_greedy());
  llama_context* ctx = engine->context();
  llama_memory_clear(llama_get_memory(ctx), true);
  std::vector<llama_token> tokens = engine->Tokenize("Once upon a time", true, false);
  int pos = 0;
  for (int step = 0; step < 24; ++step) {
    llama_batch batch = llama_batch_get_one(tokens.data() + pos, static_cast<int32_t>(tokens.size()) - pos);
    ASSERT_EQ(llama_decode(ctx, batch), 0);
    pos = static_cast<int>(tokens.size());
    llama_token ours = engine->SampleNext(nullptr, ctx, -1);
    EXPECT_EQ(ours, llama_sampler_sample(reference, ctx, -1)) << "step " << step;
    tokens.push_back(ours);
  }
  llama_sampler_free(reference);
  llama_memory_clear(llama_get_memory(ctx), true);
  // Anything beyond plain greedy still goes through a llama.cpp chain.
  SamplingParams penalised;
  penalised.repeat_penalty = 1.3f;
  llama_sampler* chain = engine->MakeSampler(penalised);
  EXPECT_NE(chain, nullptr);
  llama_sampler_free(chain);
}

TEST(LlamaEngineTest, SeededSamplingIsDeterministic) {
  auto engine = Stories();
  auto sampled = [&](uint32_t seed) {
    Request r = Ask("Once upon a time", 30);
    r.sampling.temperature = 0.9f;
    r.sampling.top_k = 0;
    r.sampling.min_p = 0;
    r.sampling.seed = seed;
    return engine->Complete(r).text;
  };
  EXPECT_EQ(sampled(7), sampled(7));
  // Over 30 tokens at temperature 0.9 some seed among these must pick differently.
  bool any_differs = false;
  for (uint32_t seed : {8u, 9u, 10u}) any_differs |= sampled(seed) != sampled(7);
  EXPECT_TRUE(any_differs);
}

TEST(LlamaEngineTest, LengthFinishAndTokenAccounting) {
  auto engine = Stories();
  Request r = Ask("Once upon a time", 5);
  Response resp = engine->Complete(r);
  // stories260K rarely ends a story within 5 tokens; if it did, finish would be kStop.
  if (resp.finish == FinishReason::kLength) {
    EXPECT_EQ(resp.completion_tokens, 5);
  }
  EXPECT_LE(resp.completion_tokens, 5);
  EXPECT_EQ(resp.prompt_tokens, engine->CountPromptTokens(r.messages));
  EXPECT_GT(resp.seconds, 0);
}

TEST(LlamaEngineTest, StreamedPiecesAddUpToTheText) {
  auto engine = Stories();
  Request r = Ask("Once upon a time");
  std::string streamed;
  int calls = 0;
  r.on_piece = [&](std::string_view piece) {
    streamed += piece;
    ++calls;
    return true;
  };
  Response resp = engine->Complete(r);
  EXPECT_EQ(streamed, resp.text);
  EXPECT_GT(calls, 1);
}

// Observes the greedy answer piece by piece, then sets stop strings inside it and checks the
// answer ends exactly before them, for a stop inside one token and one spanning two tokens.
TEST(LlamaEngineTest, StopStringsCutExactly) {
  auto engine = Stories();
  std::vector<std::string> pieces;
  Request probe = Ask("Once upon a time", 40);
  probe.on_piece = [&](std::string_view p) {
    pieces.emplace_back(p);
    return true;
  };
  const std::string full = engine->Complete(probe).text;
  ASSERT_GE(pieces.size(), 8u) << full;

  // Spanning: the last 2 bytes of one piece + the first 2 of the next (pieces of >= 2 bytes).
  std::string spanning;
  for (size_t i = 3; i + 1 < pieces.size() && spanning.empty(); ++i) {
    if (pieces[i].size() >= 2 && pieces[i + 1].size() >= 2) {
      spanning = pieces[i].substr(pieces[i].size() - 2) + pieces[i + 1].substr(0, 2);
    }
  }
  ASSERT_FALSE(spanning.empty()) << full;
  const std::string inside = pieces[5].size() >= 3 ? pieces[5].substr(1, 2) : pieces[5];

  for (const std::string& stop : {spanning, inside}) {
    Request r = Ask("Once upon a time", 40);
    r.stop = {stop};
    std::string streamed;
    r.on_piece = [&](std::string_view p) {
      streamed += p;
      return true;
    };
    Response resp = engine->Complete(r);
    EXPECT_EQ(resp.finish, FinishReason::kStop) << stop;
    EXPECT_EQ(resp.text, full.substr(0, full.find(stop))) << "stop: '" << stop << "'";
    EXPECT_EQ(streamed, resp.text);
  }
}

TEST(LlamaEngineTest, TokenCountsMatchLlamaTokenize) {
  auto engine = Stories(ChatFormat::kChatML);
  const std::string text = "Lily saw a big red ball in the park. She was happy!";
  std::vector<llama_token> direct(256);
  int n = llama_tokenize(engine->vocab(), text.c_str(), static_cast<int>(text.size()), direct.data(),
                         static_cast<int>(direct.size()), false, false);
  ASSERT_GT(n, 5);
  EXPECT_EQ(engine->CountTokens(text), n);
  EXPECT_EQ(engine->CountTokens(""), 0);
  std::vector<Message> messages = {{Role::kSystem, "Tell a story."}, {Role::kUser, text}};
  EXPECT_EQ(engine->CountPromptTokens(messages),
            static_cast<int>(engine->Tokenize(engine->FormatPrompt(messages), true, true).size()));
  EXPECT_GT(engine->CountPromptTokens(messages), n);
}

TEST(LlamaEngineTest, RefusalsComeBackInTheResponse) {
  auto engine = Stories();
  Request none = Ask("Once upon a time", 0);
  Response r = engine->Complete(none);
  EXPECT_EQ(r.finish, FinishReason::kError);
  EXPECT_EQ(r.error, "max_tokens must be at least 1");
  EXPECT_EQ(r.prompt_tokens, engine->CountPromptTokens(none.messages));
  EXPECT_EQ(r.completion_tokens, 0);
  EXPECT_TRUE(engine->Complete(Ask("Once upon a time", 3)).ok()) << "a refusal leaves nothing behind";
}

TEST(LlamaEngineTest, ContextGuardRefusesInsteadOfTruncating) {
  auto engine = Stories(ChatFormat::kRaw, 64);
  Request r = Ask("Once upon a time there was a girl named Lily", 60);
  int prompt = engine->CountPromptTokens(r.messages);
  Response resp = engine->Complete(r);
  EXPECT_EQ(resp.finish, FinishReason::kContextFull);
  EXPECT_TRUE(resp.text.empty());
  EXPECT_EQ(resp.completion_tokens, 0);
  EXPECT_NE(resp.error.find("context of 64 tokens"), std::string::npos) << resp.error;
  EXPECT_NE(resp.error.find(std::to_string(prompt) + " tokens"), std::string::npos) << resp.error;

  ASSERT_TRUE(ShrinkToFit(*engine, &r, 8));
  EXPECT_EQ(r.sampling.max_tokens, 64 - prompt);
  Response fitted = engine->Complete(r);
  EXPECT_TRUE(fitted.ok()) << fitted.error;
  EXPECT_FALSE(ShrinkToFit(*engine, &r, 64));
}

// Complete runs on the scheduler's default options; this swaps in a scripted clock for one test.
class ScriptedClock {
 public:
  ScriptedClock() : saved_(DefaultSchedulerOptions()) {
    SchedulerOptions o = saved_;
    o.clock = [this] { return now; };
    SetDefaultSchedulerOptions(o);
  }
  ~ScriptedClock() { SetDefaultSchedulerOptions(saved_); }
  double now = 0;

 private:
  SchedulerOptions saved_;
};

TEST(LlamaEngineTest, TimeLimitKeepsTheTextSoFar) {
  auto engine = Stories();
  ScriptedClock clock;  // one second passes per streamed piece: the 2.5 s limit hits at the third
  Request r = Ask("Once upon a time", 200);
  r.time_limit_s = 2.5;
  std::string streamed;
  int pieces = 0;
  r.on_piece = [&](std::string_view p) {
    streamed += p;
    ++pieces;
    clock.now += 1;
    return true;
  };
  Response resp = engine->Complete(r);
  EXPECT_EQ(resp.finish, FinishReason::kTimeout);
  EXPECT_EQ(pieces, 3);
  EXPECT_GE(resp.completion_tokens, 3);
  EXPECT_LT(resp.completion_tokens, 200);
  EXPECT_FALSE(resp.text.empty());
  EXPECT_EQ(resp.text, streamed);
  EXPECT_DOUBLE_EQ(resp.seconds, 3.0);  // measured on the same clock
  // Without a limit the same clock changes nothing.
  r.time_limit_s = 0;
  r.sampling.max_tokens = 6;
  EXPECT_TRUE(engine->Complete(r).ok());
}

TEST(LlamaEngineTest, OnPieceReturningFalseCancels) {
  auto engine = Stories();
  Request r = Ask("Once upon a time", 40);
  int calls = 0;
  std::string streamed;
  r.on_piece = [&](std::string_view p) {
    streamed += p;
    return ++calls < 3;
  };
  Response resp = engine->Complete(r);
  EXPECT_EQ(resp.finish, FinishReason::kCancelled);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(resp.text, streamed);
  EXPECT_TRUE(engine->Complete(Ask("Once upon a time", 5)).ok());  // the engine is still usable
}

TEST(LlamaEngineTest, CancelFlagStopsGenerationAndLaterRequests) {
  auto engine = Stories();
  Request r = Ask("Once upon a time", 40);
  r.on_piece = [&](std::string_view) {
    engine->Cancel();  // as the Ctrl-C handler does
    return true;
  };
  Response resp = engine->Complete(r);
  EXPECT_EQ(resp.finish, FinishReason::kCancelled);
  EXPECT_LE(resp.completion_tokens, 2);
  EXPECT_EQ(engine->Complete(Ask("Once upon a time", 5)).finish, FinishReason::kCancelled);
}

// RoPE settings reach llama.cpp: they change greedy answers exactly when they should. (YaRN
// leaves the high-frequency dimensions alone, so answers part only after a few dozen tokens.)
TEST(LlamaEngineTest, RopeScalingIsAppliedOnlyWhenAskedOrNeeded) {
  auto answer = [](RopeScaling rope, int ctx_size, float scale) {
    EngineParams p;
    p.model_path = testing::StoriesModel();
    p.format = ChatFormat::kRaw;
    p.threads = 1;
    p.ctx_size = ctx_size;
    p.rope_scaling = rope;
    p.rope_scale = scale;
    auto engine = LlamaEngine::Load(p);
    return engine->Complete(Ask("Once upon a time", 60)).text;
  };
  const std::string plain = answer(RopeScaling::kNone, 256, 0);
  EXPECT_NE(answer(RopeScaling::kLinear, 256, 4.0f), plain);
  EXPECT_NE(answer(RopeScaling::kYarn, 256, 16.0f), plain);
  EXPECT_EQ(answer(RopeScaling::kAuto, 256, 0), plain);  // 256 <= trained 2048: nothing to extend
  // Past the trained context, auto is YaRN by ctx/trained; plain RoPE there is left as is.
  EXPECT_EQ(answer(RopeScaling::kNone, 4096, 0), plain);
  const std::string extended = answer(RopeScaling::kAuto, 4096, 0);
  EXPECT_EQ(extended, answer(RopeScaling::kYarn, 4096, 2.0f));
  EXPECT_NE(extended, plain);
}

TEST(LlamaEngineTest, LongPromptsAreDecodedInBatchSizedChunks) {
  EngineParams p;
  p.model_path = testing::StoriesModel();
  p.format = ChatFormat::kRaw;
  p.threads = 1;
  p.ctx_size = 256;
  p.batch_size = 4;  // the 12-token prompt takes three llama_decode calls
  Request r = Ask("Once upon a time there was a girl named Lily", 20);
  Response chunked = LlamaEngine::Load(p)->Complete(r);
  ASSERT_TRUE(chunked.ok()) << chunked.error;
  EXPECT_GT(chunked.prompt_tokens, 8);
  EXPECT_EQ(chunked.text, Stories()->Complete(r).text);
}

TEST(LlamaEngineTest, RunJobsPassesAnswersAlongTheGraph) {
  auto engine = Stories();
  std::vector<std::string> answers(2);
  std::vector<Job> jobs(2);
  jobs[0].make = [] { return std::optional<Request>(Ask("Once upon a time", 8)); };
  jobs[0].done = [&](const Response& r) { answers[0] = r.text; };
  jobs[1].deps = {0};
  jobs[1].make = [&] { return std::optional<Request>(Ask(answers[0], 8)); };
  jobs[1].done = [&](const Response& r) { answers[1] = r.text; };
  engine->RunJobs(jobs);
  EXPECT_EQ(answers[0], engine->Complete(Ask("Once upon a time", 8)).text);
  EXPECT_EQ(answers[1], engine->Complete(Ask(answers[0], 8)).text);
}

}  // namespace
}  // namespace scale::engine
