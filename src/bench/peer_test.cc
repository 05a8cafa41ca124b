// `scale bench --peer` for real: the in-process engine and real llama-server processes on loopback,
// stories260K, a tiny folder, N = 1 and 2. Checks the report's structure, that both sides were sent
// the identical requests, and that no server outlives the run. No speed is asserted.
#include "bench/peer.h"

#include <dirent.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>

#include "engine/llama_engine.h"
#include "remote/llama_server_process.h"
#include "testing/temp_dir.h"

namespace scale::bench {

using remote::LlamaServerProcess;
using remote::ParseVmHwm;
namespace {

const std::string kModel = SCALE_SHARED_DIR "/models/stories260K.gguf";

// Children of this process named llama-server (running or not yet reaped).
int ServerChildren() {
  int count = 0;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return -1;
  while (dirent* e = readdir(proc)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    std::ifstream in(std::string("/proc/") + e->d_name + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t close = stat.rfind(')');
    if (close == std::string::npos || stat.find("(llama-server)") == std::string::npos) continue;
    long ppid = 0;
    char state = 0;
    if (sscanf(stat.c_str() + close + 1, " %c %ld", &state, &ppid) == 2 && ppid == getpid()) ++count;
  }
  closedir(proc);
  return count;
}

TEST(ParseVmHwm, ReadsKilobytes) {
  EXPECT_EQ(ParseVmHwm("Name:\tx\nVmPeak:\t  9 kB\nVmHWM:\t    1234 kB\nVmRSS:\t 5 kB\n"), 1234u * 1024);
  EXPECT_EQ(ParseVmHwm("Name:\tx\n"), 0u);
}

TEST(LlamaServerProcess, ReportsItsPeakRssAndIsReapedOnStop) {
  std::string why;
  if (LlamaServerProcess::DefaultBinary(&why).empty()) GTEST_SKIP() << why;
  testing::TempDir dir;
  LlamaServerProcess server({.model = kModel, .ctx = 512, .log_dir = dir.path().string()});
  ASSERT_TRUE(server.Start()) << server.error();
  EXPECT_EQ(ServerChildren(), 1);
  EXPECT_GT(server.PeakRssBytes(), 1u << 20) << "VmHWM of a loaded server";
  server.Stop();
  EXPECT_FALSE(server.running());
  EXPECT_EQ(server.PeakRssBytes(), 0u);
  EXPECT_EQ(ServerChildren(), 0);
}

TEST(PeerBench, IdenticalStreamsOnBothSidesAndNoServerLeft) {
  std::string why;
  if (LlamaServerProcess::DefaultBinary(&why).empty()) GTEST_SKIP() << why;
  testing::TempDir dir;
  dir.Write("code/tiny.py",
            "def add(a, b):\n    return a + b\n\n\n"
            "def scale(xs, k):\n    out = []\n    for x in xs:\n        out.append(add(x, 0) * k)\n    return out\n");
  PeerOptions o;
  o.model = kModel;
  o.dir = dir.file("code");
  o.comment_parallel = {1, 2};
  o.summarize_parallel = 2;
  o.summarize_ctx = 512;  // within stories260K's trained context, which llama-server caps its slots at
  o.no_sharing_parallel = 2;
  o.fleet_parallel = 2;
  o.max_tokens = 8;
  o.threads = 1;
  o.log_dir = dir.file("logs");
  std::vector<std::pair<int, int>> opened;
  EngineFactory open = [&](int parallel, int ctx) -> std::unique_ptr<engine::Llm> {
    opened.emplace_back(parallel, ctx);
    engine::EngineParams p;
    p.model_path = kModel;
    p.parallel = parallel;
    p.ctx_size = ctx;
    p.threads = 1;
    return engine::LlamaEngine::Load(p);
  };
  PeerReport report = RunPeerBench(o, open);
  EXPECT_EQ(ServerChildren(), 0) << "every llama-server stopped and reaped";
  EXPECT_EQ(opened, (std::vector<std::pair<int, int>>{{1, 0}, {2, 0}, {2, 512}, {2, 0}}));

  nlohmann::json j = PeerJson(report);
  EXPECT_EQ(j["prompts_identical"], true) << PeerMarkdown(report);
  ASSERT_EQ(j["rows"].size(), 4u);
  const std::vector<std::pair<std::string, int>> expect = {{"comment", 1}, {"comment", 2}, {"summarize", 2}, {"comment", 2}};
  for (size_t i = 0; i < expect.size(); ++i) {
    const nlohmann::json& row = j["rows"][i];
    EXPECT_EQ(row["what"], expect[i].first);
    EXPECT_EQ(row["parallel"], expect[i].second);
    EXPECT_EQ(row["prompts_identical"], true) << row.dump();
    EXPECT_EQ(row["format"], "chatml") << "stories260K has no template: the engine's fallback";
    for (const char* side : {"ours", "llama_server"}) {
      const nlohmann::json& s = row[side];
      EXPECT_GT(s["items"].get<int>(), 0) << side;
      EXPECT_GT(s["requests"].get<int>(), 0) << side;
      EXPECT_GT(s["per_min"].get<double>(), 0) << side;
      EXPECT_GT(s["peak_rss_bytes"].get<uint64_t>(), 0u) << side;
      EXPECT_LE(s["decoded_tokens"].get<int64_t>(), s["prompt_tokens"].get<int64_t>()) << side;
      EXPECT_EQ(s["prompts_sha256"].get<std::string>().size(), 64u);
    }
    EXPECT_EQ(row["ours"]["prompt_tokens"], row["llama_server"]["prompt_tokens"])
        << "the same prompt bytes tokenise to the same count on both sides";
    EXPECT_GT(row["ratio"].get<double>(), 0);
  }
  EXPECT_EQ(j["rows"][3]["variant"], "no prefix sharing, both sides");
  EXPECT_EQ(j["rows"][3]["ours"]["decoded_tokens"], j["rows"][3]["ours"]["prompt_tokens"]) << "nothing shared";
  EXPECT_DOUBLE_EQ(j["rows"][0]["target"].get<double>(), 1.1);
  EXPECT_DOUBLE_EQ(j["rows"][3]["target"].get<double>(), 0.95);

  ASSERT_EQ(j["fleet"].size(), 3u);
  EXPECT_EQ(j["fleet"][0]["servers"], 1);
  EXPECT_EQ(j["fleet"][1]["servers"], 2);
  EXPECT_EQ(j["fleet"][1]["routing"], "prefix");
  EXPECT_EQ(j["fleet"][2]["routing"], "spread");
  for (const auto& f : j["fleet"]) {
    EXPECT_EQ(f["prompts_identical"], true);
    EXPECT_EQ(f["endpoints"].size(), f["servers"].get<size_t>());
    int requests = 0;
    for (const auto& e : f["endpoints"]) requests += e["requests"].get<int>();
    EXPECT_GE(requests, f["requests"].get<int>()) << "every request reached a server";
  }
  const std::string md = PeerMarkdown(report);
  EXPECT_NE(md.find("| comment (no prefix sharing, both sides) | 2 |"), std::string::npos) << md;
  EXPECT_NE(md.find("Prompts identical on every row: yes."), std::string::npos) << md;
}

}  // namespace
}  // namespace scale::bench
