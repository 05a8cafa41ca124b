#include "remote/protocol.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace scale::remote {
namespace {

using nlohmann::json;

engine::Request Greedy() {
  engine::Request r;
  r.messages = {{engine::Role::kSystem, "You write docs."}, {engine::Role::kUser, "def f(): pass"}};
  r.sampling.max_tokens = 32;
  r.sampling.seed = 7;
  return r;
}

TEST(RemoteProtocol, GreedyChatBodySendsOnlyWhatStrictApisAccept) {
  json body = json::parse(RequestBody(Api::kChat, Greedy(), "m1", "", {"\n\n"}, true));
  EXPECT_EQ(body["model"], "m1");
  ASSERT_EQ(body["messages"].size(), 2u);
  EXPECT_EQ(body["messages"][0]["role"], "system");
  EXPECT_EQ(body["messages"][1]["content"], "def f(): pass");
  EXPECT_EQ(body["max_tokens"], 32);
  EXPECT_EQ(body["temperature"], 0.0);
  EXPECT_EQ(body["seed"], 7);
  EXPECT_EQ(body["stop"], json::array({"\n\n"}));
  EXPECT_EQ(body["stream"], true);
  EXPECT_EQ(body["stream_options"]["include_usage"], true);
  // Greedy: the sampler knobs would only make strict APIs refuse the request.
  EXPECT_FALSE(body.contains("top_k"));
  EXPECT_FALSE(body.contains("min_p"));
  EXPECT_FALSE(body.contains("prompt"));
}

TEST(RemoteProtocol, SampledCompletionBodyCarriesThePromptAndSamplers) {
  engine::Request r = Greedy();
  r.sampling.temperature = 0.7f;
  r.sampling.top_p = 0.9f;
  json body = json::parse(RequestBody(Api::kCompletion, r, "", "<|im_start|>user\nhi", {}, false));
  EXPECT_EQ(body["prompt"], "<|im_start|>user\nhi");
  EXPECT_FALSE(body.contains("messages"));
  EXPECT_FALSE(body.contains("model"));
  EXPECT_FALSE(body.contains("stream"));
  EXPECT_FALSE(body.contains("stop"));
  EXPECT_NEAR(body["top_p"].get<double>(), 0.9, 1e-6);
  EXPECT_EQ(body["top_k"], 40);
}

TEST(RemoteProtocol, InvalidUtf8InAPromptStillMakesABody) {
  engine::Request r = Greedy();
  r.messages[1].content = "caf\xe9";
  json body = json::parse(RequestBody(Api::kChat, r, "m", "", {}, true));
  EXPECT_EQ(body["messages"][1]["content"], "caf\xef\xbf\xbd");
}

// The exact stream llama-server sent on this machine, split at awkward places.
const char* kStream =
    "data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null}}]}\n\n"
    "data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\"Adds \"}}]}\n\n"
    "data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\"two.\"}}]}\r\n\r\n"
    ": keep-alive\n\n"
    "data: {\"choices\":[{\"finish_reason\":\"stop\",\"index\":0,\"delta\":{}}]}\n\n"
    "data: {\"choices\":[],\"usage\":{\"completion_tokens\":3,\"prompt_tokens\":44,\"total_tokens\":47,"
    "\"prompt_tokens_details\":{\"cached_tokens\":40}},\"timings\":{\"cache_n\":43}}\n\n"
    "data: [DONE]\n\n";

TEST(RemoteProtocol, StreamSplitAnywhereGivesTheSameAnswer) {
  const std::string all = kStream;
  for (size_t cut : {size_t{1}, size_t{7}, size_t{64}, all.size()}) {
    std::string pieces;
    StreamParser p([&](std::string_view s) {
      pieces += "[" + std::string(s) + "]";
      return true;
    });
    for (size_t at = 0; at < all.size(); at += cut) ASSERT_TRUE(p.Feed(std::string_view(all).substr(at, cut)));
    p.Finish();
    const Answer& a = p.answer();
    EXPECT_EQ(a.text, "Adds two.");
    EXPECT_EQ(pieces, "[Adds ][two.]");
    EXPECT_EQ(a.finish_reason, "stop");
    EXPECT_TRUE(a.saw_done);
    EXPECT_EQ(a.prompt_tokens, 44);
    EXPECT_EQ(a.cached_tokens, 40);  // usage wins over llama-server's own timings
    EXPECT_EQ(a.completion_tokens, 3);
    EXPECT_TRUE(a.complete());
  }
}

TEST(RemoteProtocol, ACutStreamIsNotComplete) {
  std::string all = kStream;
  StreamParser p;
  p.Feed(all.substr(0, all.find("data: {\"choices\":[{\"finish_reason\":\"stop\"")));
  p.Finish();
  EXPECT_EQ(p.answer().text, "Adds two.");
  EXPECT_TRUE(p.answer().finish_reason.empty());
  EXPECT_FALSE(p.answer().complete());
}

TEST(RemoteProtocol, MalformedEventStopsTheParser) {
  StreamParser p;
  EXPECT_FALSE(p.Feed("data: {\"choices\": [\n\n"));
  EXPECT_FALSE(p.answer().complete());
  EXPECT_NE(p.answer().error.find("not JSON"), std::string::npos);
  EXPECT_FALSE(p.Feed("data: [DONE]\n\n"));
}

TEST(RemoteProtocol, ErrorObjectInTheStreamIsAnError) {
  StreamParser p;
  p.Feed("data: {\"error\":{\"message\":\"slot unavailable\",\"code\":503}}\n\n");
  EXPECT_NE(p.answer().error.find("slot unavailable"), std::string::npos);
  EXPECT_FALSE(p.answer().complete());
}

TEST(RemoteProtocol, PieceCallbackCanStopTheStream) {
  int seen = 0;
  StreamParser p([&](std::string_view) { return ++seen < 1; });
  EXPECT_FALSE(p.Feed(kStream));
  EXPECT_EQ(seen, 1);
  EXPECT_EQ(p.answer().text, "Adds ");
}

TEST(RemoteProtocol, WholeAnswersOfBothApis) {
  Answer chat = ParseWhole(
      "{\"choices\":[{\"finish_reason\":\"length\",\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"}}],"
      "\"usage\":{\"completion_tokens\":8,\"prompt_tokens\":44,\"prompt_tokens_details\":{\"cached_tokens\":0}}}");
  EXPECT_EQ(chat.text, "Hi");
  EXPECT_EQ(chat.finish_reason, "length");
  EXPECT_EQ(chat.cached_tokens, 0);
  EXPECT_TRUE(chat.complete());
  Answer text = ParseWhole("{\"choices\":[{\"text\":\" a time\",\"index\":0,\"finish_reason\":\"stop\"}],"
                           "\"timings\":{\"cache_n\":5}}");
  EXPECT_EQ(text.text, " a time");
  EXPECT_EQ(text.cached_tokens, 5);  // only llama-server's timings said it
  EXPECT_EQ(text.prompt_tokens, -1);
  EXPECT_FALSE(ParseWhole("<html>502 Bad Gateway</html>").complete());
  EXPECT_FALSE(ParseWhole("{\"object\":\"list\"}").complete());
}

TEST(RemoteProtocol, ErrorMessageIsOneLine) {
  EXPECT_EQ(ErrorMessage("{\"error\":{\"message\":\"too\\nlong\",\"type\":\"exceed_context_size_error\"}}"), "too long");
  EXPECT_EQ(ErrorMessage("{\"error\":\"model not found\"}"), "model not found");
  EXPECT_EQ(ErrorMessage("Bad\r\nGateway"), "Bad  Gateway");
}

}  // namespace
}  // namespace scale::remote
