// RemoteLlm against the scripted OpenAI-compatible stub (tests/testing/openai_stub.h): a unit test
// of the client's failure handling with a scripted fake server, for what a real server cannot be
// made to do. The same client against real llama-server processes: remote_e2e_test.cc.
#include "remote/remote_llm.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

#include "testing/openai_stub.h"
#include "util/error.h"

namespace scale::remote {
namespace {

using testing::OpenAIStub;

settings::Backend To(const OpenAIStub& stub, const std::string& extra = "") {
  return settings::ParseBackendFlag(stub.url() + extra);
}

settings::RemoteConfig Config(std::vector<settings::Backend> backends, int retries = 4) {
  settings::RemoteConfig c;
  c.backends = std::move(backends);
  c.retries = retries;
  return c;
}

engine::Request Ask(const std::string& text, const std::string& affinity = "") {
  engine::Request r;
  r.messages = {{engine::Role::kSystem, "Write docs."}, {engine::Role::kUser, text}};
  r.sampling.max_tokens = 16;
  r.affinity = affinity;
  r.id = text;
  return r;
}

std::vector<OpenAIStub::Request> Completions(const OpenAIStub& stub) {
  std::vector<OpenAIStub::Request> out;
  for (const auto& r : stub.requests()) {
    if (r.path == "/v1/chat/completions" || r.path == "/v1/completions") out.push_back(r);
  }
  return out;
}

TEST(RemoteLlm, AnswersWithTheServersUsageNumbers) {
  OpenAIStub stub;
  stub.Script(OpenAIStub::Answer("Adds two numbers.", "stop", {30, 4, 22}));
  auto llm = RemoteLlm::Open(Config({To(stub)}));
  engine::Response r = llm->Complete(Ask("def add(a, b): ..."));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.text, "Adds two numbers.");
  EXPECT_EQ(r.prompt_tokens, 30);
  EXPECT_EQ(r.cached_prompt_tokens, 22);
  EXPECT_EQ(r.completion_tokens, 4);
  EXPECT_EQ(llm->ContextSize(), 4096);
  EXPECT_EQ(llm->Fingerprint(), "remote m");
  auto sent = Completions(stub);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].json["messages"][1]["content"], "def add(a, b): ...");  // the server applies its template
  EXPECT_EQ(sent[0].json["temperature"], 0.0);
  EXPECT_EQ(sent[0].json["stream"], true);
}

TEST(RemoteLlm, LengthFinishIsKept) {
  OpenAIStub stub;
  stub.Script(OpenAIStub::Answer("Adds", "length"));
  auto llm = RemoteLlm::Open(Config({To(stub)}));
  EXPECT_EQ(llm->Complete(Ask("x")).finish, engine::FinishReason::kLength);
}

TEST(RemoteLlm, TooManyRequestsIsRetriedAfterRetryAfter) {
  OpenAIStub stub;
  stub.Script(OpenAIStub::Status(429, "1"));
  stub.Script(OpenAIStub::Answer("Second time lucky."));
  auto llm = RemoteLlm::Open(Config({To(stub)}));
  engine::Response r = llm->Complete(Ask("x"));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.text, "Second time lucky.");
  auto sent = Completions(stub);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].body, sent[1].body);  // the same request again
  EXPECT_FALSE(llm->Stats()[0].alive == false);  // a 429 is a busy server, not a dead one
}

TEST(RemoteLlm, CutAndMalformedAnswersAreNeverUsed) {
  OpenAIStub stub;
  stub.Script(OpenAIStub::Truncated("This answer is cut short", 2));
  stub.Script(OpenAIStub::Malformed());
  stub.Script(OpenAIStub::Answer("Whole answer."));
  auto llm = RemoteLlm::Open(Config({To(stub)}));
  engine::Response r = llm->Complete(Ask("x"));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.text, "Whole answer.");
  EXPECT_EQ(Completions(stub).size(), 3u);
  EXPECT_EQ(llm->Stats()[0].failed, 2);
}

TEST(RemoteLlm, GivesUpAfterTheRetriesWithTheLastError) {
  OpenAIStub stub;
  stub.SetDefault(OpenAIStub::Status(500));
  auto llm = RemoteLlm::Open(Config({To(stub)}, /*retries=*/2));
  engine::Response r = llm->Complete(Ask("x"));
  EXPECT_EQ(r.finish, engine::FinishReason::kError);
  EXPECT_NE(r.error.find("gave up after 3 attempts"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("HTTP 500"), std::string::npos) << r.error;
  EXPECT_EQ(Completions(stub).size(), 3u);
}

TEST(RemoteLlm, ClientErrorsAreNotRetried) {
  OpenAIStub stub;
  stub.Script(OpenAIStub::Status(400, "", R"({"error":{"message":"the request exceeds the available context size","type":"exceed_context_size_error"}})"));
  stub.Script(OpenAIStub::Status(401));
  auto llm = RemoteLlm::Open(Config({To(stub)}));
  EXPECT_EQ(llm->Complete(Ask("x")).finish, engine::FinishReason::kContextFull);
  EXPECT_EQ(llm->Complete(Ask("y")).finish, engine::FinishReason::kError);
  EXPECT_EQ(Completions(stub).size(), 2u);
}

TEST(RemoteLlm, AFailingServersRequestsMoveToALiveOne) {
  OpenAIStub bad, good;
  bad.SetDefault(OpenAIStub::Status(503));
  good.SetDefault(OpenAIStub::Respond([](const OpenAIStub::Request& q) {
    return OpenAIStub::Answer("doc of " + q.json["messages"][1]["content"].get<std::string>());
  }));
  auto llm = RemoteLlm::Open(Config({To(bad), To(good)}));
  std::vector<engine::Job> jobs;
  std::vector<std::string> answers(12);
  for (int i = 0; i < 12; ++i) {
    engine::Job j;
    j.make = [i] { return std::optional<engine::Request>(Ask("f" + std::to_string(i), "file" + std::to_string(i))); };
    j.done = [&answers, i](const engine::Response& r) { answers[i] = r.ok() ? r.text : "error: " + r.error; };
    jobs.push_back(std::move(j));
  }
  llm->RunJobs(jobs);
  for (int i = 0; i < 12; ++i) EXPECT_EQ(answers[i], "doc of f" + std::to_string(i));
  // Three failures open the bad server's circuit: it is out, and (at most) probed, not hammered.
  EXPECT_FALSE(llm->Stats()[0].alive);
  EXPECT_LE(Completions(bad).size(), 5u);
  EXPECT_EQ(llm->Stats()[1].answered, 12);
}

TEST(RemoteLlm, AServerThatIsDownAtTheStartIsSkipped) {
  settings::Backend dead = settings::ParseBackendFlag("http://127.0.0.1:9");  // discard port: refused
  OpenAIStub good;
  auto llm = RemoteLlm::Open(Config({dead, To(good)}));
  EXPECT_TRUE(llm->Complete(Ask("x")).ok());
  EXPECT_FALSE(llm->Stats()[0].alive);
}

TEST(RemoteLlm, NoServerAnsweringIsAModelError) {
  try {
    RemoteLlm::Open(Config({settings::ParseBackendFlag("http://127.0.0.1:9")}));
    FAIL() << "opened without a server";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitModel);
    EXPECT_NE(std::string(e.what()).find("no backend answered: http://127.0.0.1:9"), std::string::npos) << e.what();
  }
}

TEST(RemoteLlm, OneFilesRequestsGoToOneServerAndFilesSpread) {
  std::vector<std::unique_ptr<OpenAIStub>> stubs;
  std::vector<settings::Backend> backends;
  for (int i = 0; i < 3; ++i) {
    stubs.push_back(std::make_unique<OpenAIStub>());
    backends.push_back(To(*stubs.back()));
  }
  auto llm = RemoteLlm::Open(Config(backends));
  std::vector<engine::Job> jobs;
  for (int file = 0; file < 12; ++file) {
    for (int routine = 0; routine < 3; ++routine) {
      engine::Job j;
      const std::string text = "file" + std::to_string(file) + " routine" + std::to_string(routine);
      j.make = [text, file] { return std::optional<engine::Request>(Ask(text, "src/f" + std::to_string(file) + ".py")); };
      jobs.push_back(std::move(j));
    }
  }
  llm->RunJobs(jobs);
  std::set<std::string> seen_on[3];
  int used = 0;
  for (int s = 0; s < 3; ++s) {
    for (const auto& q : Completions(*stubs[s])) {
      const std::string text = q.json["messages"][1]["content"];
      seen_on[s].insert(text.substr(0, text.find(' ')));
    }
    used += !seen_on[s].empty();
  }
  EXPECT_GE(used, 2);  // 12 files over 3 servers
  for (int a = 0; a < 3; ++a) {
    for (int b = a + 1; b < 3; ++b) {
      for (const std::string& f : seen_on[a]) EXPECT_EQ(seen_on[b].count(f), 0u) << f << " went to two servers";
    }
  }
}

TEST(RemoteLlm, TheApiKeyGoesOnlyInTheHeaderAndNeverIntoMessages) {
  setenv("SCALE_TEST_REMOTE_KEY", "sk-test-secret-4242", 1);
  OpenAIStub stub;
  stub.Script(OpenAIStub::Status(401, "", R"({"error":{"message":"bad key sk-test-secret-4242"}})"));
  auto llm = RemoteLlm::Open(Config({To(stub, ",api_key_env=SCALE_TEST_REMOTE_KEY")}));
  engine::Response r = llm->Complete(Ask("x"));
  EXPECT_EQ(r.finish, engine::FinishReason::kError);
  EXPECT_EQ(r.error.find("sk-test-secret"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("bad key ***"), std::string::npos) << r.error;
  for (const auto& q : stub.requests()) {
    EXPECT_EQ(q.header("Authorization"), "Bearer sk-test-secret-4242") << q.path;
    EXPECT_EQ(q.body.find("sk-test"), std::string::npos);
  }
  unsetenv("SCALE_TEST_REMOTE_KEY");
}

TEST(RemoteLlm, AnUnsetKeyVariableIsAUsageError) {
  unsetenv("SCALE_TEST_UNSET_KEY");
  OpenAIStub stub;
  try {
    RemoteLlm::Open(Config({To(stub, ",api_key_env=SCALE_TEST_UNSET_KEY")}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
  }
}

TEST(RemoteLlm, NoChatEndpointFallsBackToRawCompletionsInTheConfiguredFormat) {
  OpenAIStub::Options o;
  o.chat = false;
  OpenAIStub stub(o);
  auto llm = RemoteLlm::Open(Config({To(stub)}));
  engine::Response r = llm->Complete(Ask("def f(): pass"));
  ASSERT_TRUE(r.ok()) << r.error;
  auto raw = stub.requests("/v1/completions");
  ASSERT_EQ(raw.size(), 1u);
  EXPECT_EQ(raw[0].json["prompt"],
            "<|im_start|>system\nWrite docs.<|im_end|>\n<|im_start|>user\ndef f(): pass<|im_end|>\n<|im_start|>assistant\n");
  bool im_end_stops = false;
  for (const auto& s : raw[0].json["stop"]) im_end_stops |= s == "<|im_end|>";
  EXPECT_TRUE(im_end_stops);
}

TEST(RemoteLlm, TokenCountsComeFromTheServerOrASafeEstimate) {
  OpenAIStub with;
  auto exact = RemoteLlm::Open(Config({To(with)}));
  const std::string text(400, 'a');
  EXPECT_EQ(exact->CountTokens(text), OpenAIStub::CountTokens(text));
  // ChatML around two messages: what the server's own template + tokenizer say, give or take the
  // one token of margin per message.
  std::vector<engine::Message> m = {{engine::Role::kSystem, "Write docs."}, {engine::Role::kUser, text}};
  const int server = OpenAIStub::CountTokens("<|im_start|>system\nWrite docs.<|im_end|>\n<|im_start|>user\n" + text +
                                             "<|im_end|>\n<|im_start|>assistant\n");
  EXPECT_GE(exact->CountPromptTokens(m), server);
  EXPECT_LE(exact->CountPromptTokens(m), server + 6);

  OpenAIStub::Options o;
  o.tokenize = false;
  o.apply_template = false;
  OpenAIStub without(o);
  auto estimated = RemoteLlm::Open(Config({To(without)}));
  EXPECT_GE(estimated->CountTokens(text), OpenAIStub::CountTokens(text));  // over-counts: safe for the guard
  EXPECT_TRUE(without.requests("/tokenize").size() <= 1u);  // the probe only
}

TEST(RemoteLlm, ATimeLimitEndsASlowAnswer) {
  OpenAIStub stub;
  stub.Script(OpenAIStub::Drip("one two three four five six seven eight nine ten", std::chrono::milliseconds(400)));
  auto llm = RemoteLlm::Open(Config({To(stub)}));
  engine::Request r = Ask("x");
  r.time_limit_s = 1;
  EXPECT_EQ(llm->Complete(r).finish, engine::FinishReason::kTimeout);
}

TEST(RemoteLlm, CancelEndsAHangingRequest) {
  OpenAIStub stub;
  stub.Script(OpenAIStub::Hang());
  auto llm = RemoteLlm::Open(Config({To(stub)}));
  std::thread cancel([&] {
    stub.WaitForRequests(stub.requests().size() + 1);
    llm->Cancel();
  });
  engine::Response r = llm->Complete(Ask("x"));
  cancel.join();
  EXPECT_EQ(r.finish, engine::FinishReason::kCancelled);
  stub.Release();
}

}  // namespace
}  // namespace scale::remote
