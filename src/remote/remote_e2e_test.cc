// scale with --backend against real llama-server processes on 127.0.0.1 (started and stopped by
// each test, tests/testing/llama_server.h) and the real tiny model stories260K, through the built
// scale binary: generation equal to the in-process engine's, comment/summarize/eval end to end,
// failover when a server dies mid-run, and API keys kept out of everything scale prints.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include <nlohmann/json.hpp>

#include "testing/llama_server.h"
#include "testing/openai_stub.h"
#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/fs.h"

namespace scale::remote {
namespace {

using testing::LlamaServer;
using testing::RunScaleWith;

LlamaServer::Options Server(int parallel = 2) {
  LlamaServer::Options o;
  o.model = testing::StoriesModel();
  o.parallel = parallel;
  o.ctx = 4096 * parallel;  // each slot as much room as the engine's default sequence
  return o;
}

std::string PythonFile(int i) {
  return "def add" + std::to_string(i) + "(a, b):\n    return a + b + " + std::to_string(i) +
         "\n\n\nclass Box" + std::to_string(i) + ":\n    def get(self):\n        return " + std::to_string(i) + "\n";
}

TEST(RemoteE2E, GreedyGenerationEqualsTheInProcessEngine) {
  LlamaServer server(Server(1));
  ASSERT_TRUE(server.Start()) << server.error();
  testing::TempDir home;
  const std::map<std::string, std::string> env = {{"SCALE_HOME", home.file("h")}};
  for (const char* prompt : {"Once upon a time", "The little dog"}) {
    auto local = RunScaleWith({"generate", "-m", testing::StoriesModel(), "--max-tokens", "40", prompt}, env);
    auto remote = RunScaleWith({"generate", "--backend", server.url(), "--max-tokens", "40", prompt}, env);
    ASSERT_EQ(local.exit_code, 0) << local.err;
    ASSERT_EQ(remote.exit_code, 0) << remote.err;
    EXPECT_FALSE(local.out.empty());
    EXPECT_EQ(remote.out, local.out) << prompt;  // same ChatML template, greedy decoding
  }
}

TEST(RemoteE2E, CommentAFolderWhileOneOfThreeServersIsKilled) {
  LlamaServer a(Server()), b(Server()), c(Server());
  ASSERT_TRUE(a.Start()) << a.error();
  ASSERT_TRUE(b.Start()) << b.error();
  ASSERT_TRUE(c.Start()) << c.error();
  testing::TempDir dir;
  for (int i = 0; i < 8; ++i) dir.Write("proj/m" + std::to_string(i) + ".py", PythonFile(i));
  const std::map<std::string, std::string> env = {{"SCALE_HOME", dir.file("home")}};
  auto run = std::async(std::launch::async, [&] {
    return RunScaleWith({"comment", "-i", dir.file("proj"), "--json", "--max-tokens", "12", "--backend", a.url(),
                         "--backend", b.url(), "--backend", c.url(), "-v"},
                        env);
  });
  // Kill b once it is working on a request (its log shows a slot taking one), not at a fixed time.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (b.log().find("launch_slot_") == std::string::npos && std::chrono::steady_clock::now() < give_up &&
         run.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready) {
  }
  const bool killed_mid_run = run.wait_for(std::chrono::seconds(0)) != std::future_status::ready;
  b.Kill();
  auto r = run.get();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(killed_mid_run) << "the run finished before the server could be killed";
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["files"].size(), 8u);
  for (const auto& f : j["files"]) {
    EXPECT_EQ(f["counts"]["failed"], 0) << f.dump();
    EXPECT_EQ(f["counts"]["commented"], 3) << f.dump();
    EXPECT_FALSE(f.contains("problem")) << f.dump();  // not even the file summary was lost
  }
  // Every file was rewritten with its three docstrings and still holds its code.
  for (int i = 0; i < 8; ++i) {
    const std::string text = ReadFile(dir.file("proj/m" + std::to_string(i) + ".py"));
    EXPECT_EQ(std::count(text.begin(), text.end(), '"'), 18) << text;
    EXPECT_NE(text.find("return a + b + " + std::to_string(i)), std::string::npos);
  }
  EXPECT_NE(r.err.find(b.url() + ": "), std::string::npos) << r.err;  // its stats line says what happened
}

TEST(RemoteE2E, SummarizeAndEvalThroughABackend) {
  LlamaServer server(Server());
  ASSERT_TRUE(server.Start()) << server.error();
  testing::TempDir dir;
  dir.Write("repo/a.py", PythonFile(1));
  dir.Write("repo/lib/b.py", PythonFile(2));
  const std::map<std::string, std::string> env = {{"SCALE_HOME", dir.file("home")}};
  auto s = RunScaleWith({"summarize", dir.file("repo"), "--backend", server.url(), "--max-tokens", "16", "--json"}, env);
  ASSERT_EQ(s.exit_code, 0) << s.err;
  nlohmann::json map = nlohmann::json::parse(s.out);
  EXPECT_EQ(map["files"], 2) << s.out;
  EXPECT_EQ(map["failed"], 0) << s.out;
  EXPECT_FALSE(map["repo_summary"].get<std::string>().empty()) << s.out;
  EXPECT_GT(map["cached_prompt_tokens"].get<int>(), 0) << "the server's own usage numbers reach the report";

  const std::string ruby = std::string(SCALE_SHARED_DIR) + "/data/codexglue-ruby/test.jsonl";
  auto e = RunScaleWith({"eval", "--backend", server.url() + ",api=completion,format=raw", "--max-tokens", "16", ruby,
                         "--limit", "3", "--out", dir.file("out"), "--json"},
                        env);
  ASSERT_EQ(e.exit_code, 0) << e.err;
  nlohmann::json report = nlohmann::json::parse(e.out);
  EXPECT_EQ(report["summary"]["rows"], 3);
  // The same rows with the in-process engine and the same raw prompts give the same predictions.
  auto local = RunScaleWith({"eval", "-m", testing::StoriesModel(), "--format", "raw", "--max-tokens", "16", ruby,
                             "--limit", "3", "--out", dir.file("out-local"), "--json"},
                            env);
  ASSERT_EQ(local.exit_code, 0) << local.err;
  nlohmann::json lj = nlohmann::json::parse(local.out);
  ASSERT_EQ(lj["rows"].size(), report["rows"].size());
  for (size_t i = 0; i < lj["rows"].size(); ++i) EXPECT_EQ(report["rows"][i]["prediction"], lj["rows"][i]["prediction"]) << i;
}

TEST(RemoteE2E, TheApiKeyNeverAppearsInWhatScalePrintsOrWrites) {
  testing::OpenAIStub stub;
  stub.SetDefault(testing::OpenAIStub::Answer("Adds numbers."));
  testing::TempDir dir;
  dir.Write("a.py", PythonFile(1));
  const std::string key = "sk-e2e-very-secret-7731";
  const std::map<std::string, std::string> env = {{"SCALE_HOME", dir.file("home")}, {"E2E_KEY", key}};
  auto r = RunScaleWith({"comment", dir.file("a.py"), "-o", dir.file("out"), "--json", "-vv", "--backend",
                         stub.url() + ",api_key_env=E2E_KEY"},
                        env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find(key), std::string::npos);
  EXPECT_EQ(r.err.find(key), std::string::npos);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
    if (entry.is_regular_file()) {
      EXPECT_EQ(ReadFile(entry.path().string()).find(key), std::string::npos) << entry.path();
    }
  }
  for (const auto& q : stub.requests()) EXPECT_EQ(q.header("Authorization"), "Bearer " + key);
  // A key on the command line is refused: only the name of a variable may be given.
  auto bad = RunScaleWith({"comment", dir.file("a.py"), "--backend", stub.url() + ",api_key_env=" + key}, env);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err.find(key), std::string::npos) << bad.err;
}

TEST(RemoteE2E, BackendsFromTheProjectConfig) {
  testing::OpenAIStub stub;
  stub.SetDefault(testing::OpenAIStub::Answer("Adds numbers."));
  testing::TempDir dir;
  dir.Write("p/a.py", PythonFile(1));
  dir.Write("p/.scale.toml", "[[backend]]\nurl = \"" + stub.url() + "\"\nmax_concurrent = 2\n[remote]\nrouting = \"spread\"\n");
  auto r = RunScaleWith({"comment", "a.py", "--json"}, {{"SCALE_HOME", dir.file("home")}}, dir.file("p"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Adds numbers."), std::string::npos) << r.out;
  EXPECT_FALSE(stub.requests("/v1/chat/completions").empty());
  dir.Write("p/.scale.toml", "[[backend]]\nurl = \"ftp://x\"\n");
  auto bad = RunScaleWith({"comment", "a.py"}, {{"SCALE_HOME", dir.file("home")}}, dir.file("p"));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find(".scale.toml:2: backend URL must start with http:// or https://"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace scale::remote
