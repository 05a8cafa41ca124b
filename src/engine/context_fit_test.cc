// Context fitting. FitMaxTokens is pure; ShrinkToFit is a unit test with the scripted FakeLlm
// (bytes/4 token counts), the real engine's guard is tested in llama_engine_test.cc.
#include "engine/context_fit.h"

#include <gtest/gtest.h>

#include "testing/fake_llm.h"

namespace scale::engine {
namespace {

TEST(ContextFitTest, FitMaxTokens) {
  EXPECT_EQ(FitMaxTokens(100, 50, 1000, 10), 50);   // fits as asked
  EXPECT_EQ(FitMaxTokens(980, 50, 1000, 10), 20);   // shrunk to the room left
  EXPECT_EQ(FitMaxTokens(995, 50, 1000, 10), std::nullopt);  // fewer than min_tokens left
  EXPECT_EQ(FitMaxTokens(1000, 50, 1000, 0), std::nullopt);  // never zero tokens
}

TEST(ContextFitTest, ShrinkToFitWithScriptedFake) {
  FakeLlm fake([](const Request&) { return std::string("x"); }, /*context_size=*/100);
  Request request;
  request.messages = {{Role::kUser, std::string(200, 'a')}};  // 50 + 4 fake tokens
  request.sampling.max_tokens = 80;
  ASSERT_TRUE(ShrinkToFit(fake, &request, 16));
  EXPECT_EQ(request.sampling.max_tokens, 46);
  request.sampling.max_tokens = 80;
  EXPECT_FALSE(ShrinkToFit(fake, &request, 47));
  EXPECT_EQ(request.sampling.max_tokens, 80);  // unchanged on failure
}

TEST(ContextFitTest, MessageNamesTheNumbers) {
  std::string m = ContextFullMessage(900, 200, 1024);
  EXPECT_NE(m.find("900"), std::string::npos);
  EXPECT_NE(m.find("200"), std::string::npos);
  EXPECT_NE(m.find("1024"), std::string::npos);
  EXPECT_NE(m.find("--ctx-size"), std::string::npos);
  EXPECT_EQ(m.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace scale::engine
