// Context-extension perplexity on the real, trained stories260K (trained context read from its
// GGUF, 2048) through real llama.cpp. Only relations that must hold are asserted, never values.
#include "eval/context_eval.h"

#include <gtest/gtest.h>

#include <cmath>

#include "engine/gguf_check.h"
#include "testing/test_models.h"
#include "util/error.h"

namespace scale::eval {
namespace {

// TinyStories-like English, deterministic: what stories260K was trained on, so its perplexity is
// meaningful and varies with how well positions are handled.
std::string StoryText(size_t min_chars) {
  static const char* kSentences[] = {
      "Once upon a time, there was a little girl named Lily.", "She loved to play outside in the sun.",
      "One day, she saw a big red ball in the park.", "Tom was a happy boy who liked to run.",
      "He had a small dog named Max.", "They went to the park to play with the ball.",
      "The sun was shining and the birds were singing.", "Lily's mom said, \"Be careful!\"",
      "The cat jumped on the table and found a fish.", "They laughed and played all day long.",
      "At night, the moon came out and the stars were bright.", "Ben wanted to help his friend.",
      "\"Thank you,\" said the bird, and it flew away.", "The little boat went down the river.",
      "Sue was sad because she lost her toy.", "Her dad helped her look for it under the bed.",
      "They found it and Sue was very happy.", "The tree was tall and green.",
      "Mom made a big cake for the party.", "Everyone ate the cake and said it was yummy."};
  std::string text;
  uint32_t x = 7;
  while (text.size() < min_chars) {
    x = x * 1103515245u + 12345u;
    text += kSentences[(x >> 16) % 20];
    text += ((x >> 8) % 5 == 0) ? "\n\n" : " ";
  }
  return text;
}

ContextEvalOptions Options() {
  ContextEvalOptions o;
  o.model_path = testing::StoriesModel();
  o.text = StoryText(14000);  // ~4.7k tokens: one window at each length
  o.lengths = {1024, 2048, 4096};
  o.methods = {"none", "linear", "yarn", "ntk"};
  o.max_windows = 1;
  o.threads = 2;
  return o;
}

TEST(ContextEval, ScalingIsANoOpInsideTheTrainedContextAndChangesPerplexityBeyondIt) {
  ContextEvalOptions o = Options();
  const int trained = engine::InspectModelFile(o.model_path).n_ctx_train;
  ASSERT_EQ(trained, 2048);
  ContextEvalReport r = RunContextEval(o);
  EXPECT_EQ(r.trained_context, trained);
  ASSERT_GE(r.text_tokens, 4096);
  for (const auto& c : r.cells) {
    ASSERT_TRUE(c.skipped.empty()) << c.method << "@" << c.length << ": " << c.skipped;
    EXPECT_TRUE(std::isfinite(c.perplexity) && c.perplexity > 1.0) << c.method << "@" << c.length;
    EXPECT_LT(c.perplexity, 512.0);  // better than uniform over the 512-token vocabulary
    EXPECT_EQ(c.scored_tokens, long(c.windows) * (c.length / 2 - 1));
  }
  // Inside the trained context the factor is 1: linear and NTK are exactly the unscaled model.
  for (int length : {1024, 2048}) {
    EXPECT_DOUBLE_EQ(r.Find("linear", length)->perplexity, r.Find("none", length)->perplexity) << length;
    EXPECT_DOUBLE_EQ(r.Find("ntk", length)->perplexity, r.Find("none", length)->perplexity) << length;
    EXPECT_EQ(r.Find("linear", length)->factor, 1.0);
  }
  // At 2x the trained context every method moves the positions differently.
  const double none = r.Find("none", 4096)->perplexity;
  EXPECT_EQ(r.Find("linear", 4096)->factor, 2.0);
  for (const char* m : {"linear", "yarn", "ntk"}) {
    EXPECT_GT(std::fabs(r.Find(m, 4096)->perplexity - none), 1e-3 * none) << m;
  }
}

TEST(ContextEval, IsDeterministicAndExplainsSkippedLengths) {
  ContextEvalOptions o = Options();
  o.text = StoryText(3000);
  o.lengths = {256, 4096};
  o.methods = {"none", "linear"};
  o.max_windows = 1;
  ContextEvalReport a = RunContextEval(o);
  ContextEvalReport b = RunContextEval(o);
  EXPECT_EQ(a.ToJson().dump(), b.ToJson().dump());
  EXPECT_NE(a.Find("none", 4096)->skipped.find("fewer than 4096"), std::string::npos);
  EXPECT_EQ(a.ToJson()["results"][2]["perplexity"], nullptr);
  std::string table = a.Table();
  EXPECT_NE(table.find("256"), std::string::npos);
  EXPECT_NE(table.find("fewer than 4096"), std::string::npos);
}

TEST(ContextEval, RejectsBadInputWithExitCodes) {
  ContextEvalOptions o = Options();
  o.methods = {"sideways"};
  try {
    RunContextEval(o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
  }
  o = Options();
  o.model_path = "/nonexistent.gguf";
  try {
    RunContextEval(o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitModel);
  }
}

}  // namespace
}  // namespace scale::eval
