// Tests of the scripted OpenAI-compatible stub (tests/testing/openai_stub.h) itself, through libcurl as a
// real client would see it: every scripted action, the llama-server wire shapes, recording and stopping.
#include "testing/openai_stub.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace scale::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

struct Reply {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string headers, body;
};

struct Sink {
  std::string* out;
  std::function<void(const std::string&)> on_data;  // called after each piece curl hands over
};

size_t WriteCb(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  sink->out->append(data, size * n);
  if (sink->on_data) sink->on_data(*sink->out);
  return size * n;
}

size_t HeaderCb(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

// GET when body is empty, else POST of JSON.
Reply Fetch(const std::string& url, const std::string& body = "", std::vector<std::string> headers = {},
            std::function<void(const std::string&)> on_data = nullptr) {
  Reply r;
  Sink sink{&r.body, std::move(on_data)};
  CURL* curl = curl_easy_init();
  curl_slist* list = nullptr;
  headers.push_back("Content-Type: application/json");
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  if (!body.empty()) curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteCb);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, HeaderCb);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);  // a safety net only: no test relies on it
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  r.code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return r;
}

std::string Chat(bool stream, bool usage = false, const std::string& model = "m") {
  json j = {{"model", model}, {"messages", {{{"role", "user"}, {"content", "Say hi"}}}}, {"stream", stream}};
  if (usage) j["stream_options"] = {{"include_usage", true}};
  return j.dump();
}

// The JSON payloads of "data: ..." SSE lines ("[DONE]" kept as the string).
std::vector<std::string> Events(const std::string& body) {
  std::vector<std::string> out;
  size_t at = 0;
  while ((at = body.find("data: ", at)) != std::string::npos) {
    size_t end = body.find("\n\n", at);
    if (end == std::string::npos) break;
    out.push_back(body.substr(at + 6, end - at - 6));
    at = end + 2;
  }
  return out;
}

TEST(OpenAIStub, NonStreamingChatHasLlamaServerShape) {
  OpenAIStub stub;
  EXPECT_EQ(stub.url(), "http://127.0.0.1:" + std::to_string(stub.port()));
  stub.Script(OpenAIStub::Answer("Hello there", "length", {44, 8, 3}));
  Reply r = Fetch(stub.url() + "/v1/chat/completions", Chat(false));
  ASSERT_EQ(r.code, CURLE_OK);
  ASSERT_EQ(r.status, 200);
  json j = json::parse(r.body);
  EXPECT_EQ(j["object"], "chat.completion");
  EXPECT_EQ(j["choices"][0]["finish_reason"], "length");
  EXPECT_EQ(j["choices"][0]["message"]["role"], "assistant");
  EXPECT_EQ(j["choices"][0]["message"]["content"], "Hello there");
  EXPECT_EQ(j["usage"]["prompt_tokens"], 44);
  EXPECT_EQ(j["usage"]["completion_tokens"], 8);
  EXPECT_EQ(j["usage"]["total_tokens"], 52);
  EXPECT_EQ(j["usage"]["prompt_tokens_details"]["cached_tokens"], 3);
  EXPECT_EQ(j["timings"]["cache_n"], 3);
  EXPECT_EQ(j["timings"]["prompt_n"], 41);
}

TEST(OpenAIStub, DerivedUsageFollowsTheTokenRule) {
  OpenAIStub stub;
  stub.Script(OpenAIStub::Answer("one two three"));
  Reply r = Fetch(stub.url() + "/v1/completions", json{{"prompt", "0123456789"}}.dump());
  json j = json::parse(r.body);
  EXPECT_EQ(j["usage"]["prompt_tokens"], 3);      // ceil(10 / 4)
  EXPECT_EQ(j["usage"]["completion_tokens"], 3);  // three pieces
  EXPECT_EQ(j["choices"][0]["text"], "one two three");
  EXPECT_EQ(j["choices"][0]["finish_reason"], "stop");
}

TEST(OpenAIStub, StreamingChatSendsLlamaServerEvents) {
  OpenAIStub stub;
  stub.Script(OpenAIStub::Answer("Hello there friend", "stop", {10, 3, 0}));
  stub.Script(OpenAIStub::Answer("Hello there friend"));
  Reply r = Fetch(stub.url() + "/v1/chat/completions", Chat(true, /*usage=*/true));
  ASSERT_EQ(r.code, CURLE_OK);
  EXPECT_NE(r.headers.find("text/event-stream"), std::string::npos);
  auto ev = Events(r.body);
  ASSERT_EQ(ev.size(), 7u);  // role, 3 pieces, finish, usage, [DONE]
  json first = json::parse(ev[0]);
  EXPECT_EQ(first["object"], "chat.completion.chunk");
  EXPECT_EQ(first["choices"][0]["delta"]["role"], "assistant");
  EXPECT_TRUE(first["choices"][0]["delta"]["content"].is_null());
  std::string text;
  for (int i = 1; i <= 3; ++i) {
    json c = json::parse(ev[i]);
    EXPECT_TRUE(c["choices"][0]["finish_reason"].is_null());
    text += c["choices"][0]["delta"]["content"].get<std::string>();
  }
  EXPECT_EQ(text, "Hello there friend");
  json fin = json::parse(ev[4]);
  EXPECT_EQ(fin["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(fin["choices"][0]["delta"], json::object());
  json usage = json::parse(ev[5]);
  EXPECT_TRUE(usage["choices"].empty());
  EXPECT_EQ(usage["usage"]["total_tokens"], 13);
  EXPECT_EQ(ev[6], "[DONE]");
  EXPECT_EQ(r.body.substr(r.body.size() - 14), "data: [DONE]\n\n");

  Reply plain = Fetch(stub.url() + "/v1/chat/completions", Chat(true, /*usage=*/false));
  EXPECT_EQ(Events(plain.body).size(), 6u) << "no usage chunk without stream_options.include_usage";
}

TEST(OpenAIStub, StreamingCompletionPutsUsageInTheFinishingChunk) {
  OpenAIStub stub;
  OpenAIStub::Action a = OpenAIStub::Answer("", "length");
  a.pieces = {" a", " time", ","};
  stub.Script(a);
  Reply r = Fetch(stub.url() + "/v1/completions", json{{"prompt", "Once upon"}, {"stream", true}}.dump());
  auto ev = Events(r.body);
  ASSERT_EQ(ev.size(), 5u);
  EXPECT_EQ(json::parse(ev[1])["choices"][0]["text"], " time");
  json last = json::parse(ev[3]);
  EXPECT_EQ(last["object"], "text_completion");
  EXPECT_EQ(last["choices"][0]["finish_reason"], "length");
  EXPECT_EQ(last["choices"][0]["text"], "");
  EXPECT_EQ(last["usage"]["completion_tokens"], 3);
  EXPECT_EQ(ev[4], "[DONE]");
}

TEST(OpenAIStub, StatusCarriesRetryAfterAndBody) {
  OpenAIStub stub;
  stub.Script(OpenAIStub::Status(429, "7"));
  stub.Script(OpenAIStub::Status(500, "", "boom"));
  Reply r = Fetch(stub.url() + "/v1/chat/completions", Chat(false));
  EXPECT_EQ(r.status, 429);
  EXPECT_NE(r.headers.find("Retry-After: 7"), std::string::npos) << r.headers;
  EXPECT_EQ(json::parse(r.body)["error"]["code"], 429);
  Reply r2 = Fetch(stub.url() + "/v1/chat/completions", Chat(false));
  EXPECT_EQ(r2.status, 500);
  EXPECT_EQ(r2.body, "boom");
  EXPECT_EQ(r2.headers.find("Retry-After"), std::string::npos);
}

TEST(OpenAIStub, MalformedBodyIsNotJson) {
  OpenAIStub stub;
  stub.Script(OpenAIStub::Malformed());
  Reply r = Fetch(stub.url() + "/v1/chat/completions", Chat(false));
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(json::parse(r.body, nullptr, false).is_discarded()) << r.body;
}

TEST(OpenAIStub, TruncatedStreamClosesAfterKChunks) {
  OpenAIStub stub;
  stub.Script(OpenAIStub::Truncated("a b c d e", 2));
  Reply r = Fetch(stub.url() + "/v1/chat/completions", Chat(true, true));
  EXPECT_NE(r.code, CURLE_OK) << "the chunked body never ends properly";
  auto ev = Events(r.body);
  ASSERT_EQ(ev.size(), 3u);  // role + 2 pieces
  EXPECT_EQ(json::parse(ev[2])["choices"][0]["delta"]["content"], "b ");
  EXPECT_EQ(r.body.find("finish_reason\":\"stop"), std::string::npos);
  EXPECT_EQ(r.body.find("[DONE]"), std::string::npos);
}

TEST(OpenAIStub, TruncatedNonStreamingBodyIsShortOfItsLength) {
  OpenAIStub stub;
  stub.Script(OpenAIStub::Truncated("a whole answer", 0));
  Reply r = Fetch(stub.url() + "/v1/chat/completions", Chat(false));
  EXPECT_EQ(r.code, CURLE_PARTIAL_FILE);
  EXPECT_FALSE(r.body.empty());
  EXPECT_TRUE(json::parse(r.body, nullptr, false).is_discarded());
}

TEST(OpenAIStub, DripDeliversTheWholeStream) {
  OpenAIStub stub;
  stub.Script(OpenAIStub::Drip("x y z", 5ms));
  stub.Script(OpenAIStub::Drip("slow body", 5ms));
  Reply r = Fetch(stub.url() + "/v1/chat/completions", Chat(true));
  ASSERT_EQ(r.code, CURLE_OK);
  EXPECT_EQ(Events(r.body).size(), 6u);
  Reply whole = Fetch(stub.url() + "/v1/chat/completions", Chat(false));
  ASSERT_EQ(whole.code, CURLE_OK);
  EXPECT_EQ(json::parse(whole.body)["choices"][0]["message"]["content"], "slow body");
}

// Events come one at a time: stopping the stub after the first one leaves the client a prefix.
TEST(OpenAIStub, DripSendsEventsApartAndStopCutsItShort) {
  auto stub = std::make_unique<OpenAIStub>();
  stub->Script(OpenAIStub::Drip("a b c d e f", 1s));
  const std::string url = stub->url();
  std::promise<void> first;
  bool signalled = false;
  auto client = std::async(std::launch::async, [&] {
    return Fetch(url + "/v1/chat/completions", Chat(true), {}, [&](const std::string& got) {
      if (!signalled && got.find("\n\n") != std::string::npos) {
        signalled = true;
        first.set_value();
      }
    });
  });
  first.get_future().wait();
  stub.reset();  // must not sit out the remaining pauses
  Reply r = client.get();
  EXPECT_NE(r.code, CURLE_OK);
  EXPECT_GE(Events(r.body).size(), 1u);
  EXPECT_EQ(r.body.find("[DONE]"), std::string::npos);
}

TEST(OpenAIStub, HangHoldsUntilRelease) {
  OpenAIStub stub;
  OpenAIStub::Action hang = OpenAIStub::Hang();
  hang.text = "after release";
  stub.Script(hang);
  auto client = std::async(std::launch::async, [&] { return Fetch(stub.url() + "/v1/chat/completions", Chat(false)); });
  ASSERT_TRUE(stub.WaitForRequests(1));
  // Other requests are served meanwhile.
  Reply other = Fetch(stub.url() + "/v1/chat/completions", Chat(false));
  EXPECT_EQ(json::parse(other.body)["choices"][0]["message"]["content"], "ok");
  EXPECT_EQ(client.wait_for(0s), std::future_status::timeout) << "the hung request was answered before Release()";
  stub.Release();
  Reply r = client.get();
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body)["choices"][0]["message"]["content"], "after release");
}

TEST(OpenAIStub, StopWithAHangingRequestReturns) {
  auto stub = std::make_unique<OpenAIStub>();
  stub->SetDefault(OpenAIStub::Hang());
  const std::string url = stub->url();
  auto a = std::async(std::launch::async, [&] { return Fetch(url + "/v1/chat/completions", Chat(false)); });
  auto b = std::async(std::launch::async, [&] { return Fetch(url + "/v1/completions", R"({"prompt":"x"})"); });
  ASSERT_TRUE(stub->WaitForRequests(2));
  stub.reset();
  for (auto* f : {&a, &b}) {
    Reply r = f->get();
    EXPECT_TRUE(r.code != CURLE_OK || r.status == 503) << r.code << " " << r.status;
  }
}

TEST(OpenAIStub, RespondComputesTheAnswerFromTheRequest) {
  OpenAIStub stub;
  stub.SetDefault(OpenAIStub::Respond([](const OpenAIStub::Request& r) {
    return OpenAIStub::Answer("model=" + r.json.value("model", std::string()) + " auth=" + r.header("authorization"));
  }));
  Reply r = Fetch(stub.url() + "/v1/chat/completions", Chat(false, false, "qwen"), {"Authorization: Bearer k1"});
  EXPECT_EQ(json::parse(r.body)["choices"][0]["message"]["content"], "model=qwen auth=Bearer k1");
}

TEST(OpenAIStub, QueueComesFirstThenTheDefault) {
  OpenAIStub stub;
  stub.Script(OpenAIStub::Answer("A"));
  stub.Script(OpenAIStub::Status(503));
  stub.SetDefault(OpenAIStub::Answer("C"));
  std::vector<std::string> got;
  for (int i = 0; i < 4; ++i) {
    // Chat and completions share the queue.
    Reply r = i % 2 ? Fetch(stub.url() + "/v1/completions", R"({"prompt":"p"})")
                    : Fetch(stub.url() + "/v1/chat/completions", Chat(false));
    if (r.status != 200) {
      got.push_back(std::to_string(r.status));
      continue;
    }
    json c = json::parse(r.body)["choices"][0];
    got.push_back(c.contains("text") ? c["text"] : c["message"]["content"]);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"A", "503", "C", "C"}));
}

TEST(OpenAIStub, RecordsEveryRequestInOrder) {
  OpenAIStub stub;
  Fetch(stub.url() + "/health");
  Fetch(stub.url() + "/v1/chat/completions", Chat(false), {"Authorization: Bearer xyz", "X-Trace: 9"});
  Fetch(stub.url() + "/nowhere");
  auto reqs = stub.requests();
  ASSERT_EQ(reqs.size(), 2u) << "unrouted paths are not recorded";
  EXPECT_EQ(reqs[0].seq, 0);
  EXPECT_EQ(reqs[0].method, "GET");
  EXPECT_EQ(reqs[0].path, "/health");
  EXPECT_EQ(reqs[1].seq, 1);
  EXPECT_EQ(reqs[1].method, "POST");
  EXPECT_EQ(reqs[1].header("AUTHORIZATION"), "Bearer xyz");
  EXPECT_EQ(reqs[1].header("x-trace"), "9");
  EXPECT_EQ(reqs[1].header("absent"), "");
  EXPECT_EQ(reqs[1].json["messages"][0]["content"], "Say hi");
  for (const auto& [k, v] : reqs[1].headers) EXPECT_NE(k, "REMOTE_ADDR");
  EXPECT_EQ(stub.requests("/v1/chat/completions").size(), 1u);
}

TEST(OpenAIStub, ServesTheHelperEndpoints) {
  OpenAIStub::Options o;
  o.n_ctx = 1234;
  o.total_slots = 3;
  o.model = "tiny";
  OpenAIStub stub(o);
  json tok = json::parse(Fetch(stub.url() + "/tokenize", R"({"content":"abcdefghi"})").body);
  EXPECT_EQ(tok["tokens"].size(), 3u);
  EXPECT_EQ(tok, json::parse(Fetch(stub.url() + "/tokenize", R"({"content":"abcdefghi"})").body));
  json tpl = json::parse(Fetch(stub.url() + "/apply-template",
                               R"({"messages":[{"role":"system","content":"S"},{"role":"user","content":"hi"}]})")
                             .body);
  EXPECT_EQ(tpl["prompt"], "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n");
  json props = json::parse(Fetch(stub.url() + "/props").body);
  EXPECT_EQ(props["default_generation_settings"]["n_ctx"], 1234);
  EXPECT_EQ(props["total_slots"], 3);
  EXPECT_EQ(json::parse(Fetch(stub.url() + "/v1/models").body)["data"][0]["id"], "tiny");
  Reply health = Fetch(stub.url() + "/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(json::parse(health.body)["status"], "ok");
}

TEST(OpenAIStub, SwitchedOffEndpointsAnswer404) {
  OpenAIStub::Options o;
  o.chat = o.tokenize = o.apply_template = false;
  OpenAIStub stub(o);
  stub.Script(OpenAIStub::Answer("fallback"));
  EXPECT_EQ(Fetch(stub.url() + "/v1/chat/completions", Chat(false)).status, 404);
  EXPECT_EQ(Fetch(stub.url() + "/tokenize", R"({"content":"x"})").status, 404);
  Reply tpl = Fetch(stub.url() + "/apply-template", R"({"messages":[]})");
  EXPECT_EQ(tpl.status, 404);
  EXPECT_EQ(json::parse(tpl.body)["error"]["code"], 404);
  Reply fallback = Fetch(stub.url() + "/v1/completions", R"({"prompt":"x"})");
  EXPECT_EQ(fallback.status, 200);
  EXPECT_EQ(json::parse(fallback.body)["choices"][0]["text"], "fallback") << "the 404 took no scripted action";
  EXPECT_EQ(Fetch(stub.url() + "/unknown").status, 404);
}

TEST(OpenAIStub, PathScriptsOverrideOnePath) {
  OpenAIStub stub;
  stub.ScriptPath("/health", OpenAIStub::Status(503, "", R"({"error":{"code":503,"message":"Loading model"}})"));
  stub.ScriptPath("/props", OpenAIStub::Raw(200, R"({"total_slots":9})"));
  stub.Script(OpenAIStub::Answer("chat"));
  EXPECT_EQ(Fetch(stub.url() + "/health").status, 503);
  EXPECT_EQ(Fetch(stub.url() + "/health").status, 200);
  EXPECT_EQ(json::parse(Fetch(stub.url() + "/props").body)["total_slots"], 9);
  json chat = json::parse(Fetch(stub.url() + "/v1/chat/completions", Chat(false)).body);
  EXPECT_EQ(chat["choices"][0]["message"]["content"], "chat") << "path scripts do not consume the completion queue";
}

}  // namespace
}  // namespace scale::testing
