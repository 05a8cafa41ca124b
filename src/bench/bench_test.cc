// RunBench with a scripted fake model (engine::FakeLlm) for the report layout, and `scale bench`
// end to end on the real stories260K model. No speed is asserted, only that it was measured.
#include "bench/bench.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "testing/fake_llm.h"
#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/error.h"

namespace scale::bench {
namespace {

TEST(ParseParallelList, PositiveIntegersOnly) {
  EXPECT_EQ(ParseParallelList("1,4,8,16"), (std::vector<int>{1, 4, 8, 16}));
  EXPECT_EQ(ParseParallelList("2"), (std::vector<int>{2}));
  EXPECT_THROW(ParseParallelList("1,,4"), Error);
  EXPECT_THROW(ParseParallelList("0"), Error);
  EXPECT_THROW(ParseParallelList("a"), Error);
  EXPECT_THROW(ParseParallelList(""), Error);
}

// N = 1 and 2, two repeats of 32-token prompts and 8-token answers, no progress bar.
BenchOptions SmallOptions() {
  BenchOptions o;
  o.parallel = {1, 2};
  o.npp = 32;
  o.ntg = 8;
  o.repeat = 2;
  o.model = "fake.gguf";
  o.progress = false;
  return o;
}

TEST(RunBench, UnitReportWithFakeEngine) {
  BenchOptions o = SmallOptions();
  o.reference = false;
  std::vector<std::pair<int, int>> opened;
  BenchReport r = RunBench(o, [&](int parallel, int ctx) -> std::unique_ptr<engine::Llm> {
    opened.emplace_back(parallel, ctx);
    return std::make_unique<engine::FakeLlm>([](const engine::Request&) { return std::string(32, 'y'); });
  });
  EXPECT_EQ(opened, (std::vector<std::pair<int, int>>{{1, 32 + 8 + 64}, {2, 32 + 8 + 64}}));
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[1].parallel, 2);
  EXPECT_EQ(r.rows[1].concurrency, 1);  // the fake decodes one at a time
  std::string md = BenchMarkdown(r);
  EXPECT_NE(md.find("| N | pp t/s | tg t/s | llama.cpp pp t/s | llama.cpp tg t/s | pp ratio | tg ratio | TTFT s | "
                    "load s | peak RSS MiB | concurrency |"),
            std::string::npos);
  EXPECT_NE(md.find("decoded one sequence at a time"), std::string::npos);  // reported honestly
  EXPECT_NE(md.find("full run's time minus its prompt time"), std::string::npos);  // the fake times no steps
  nlohmann::json j = BenchJson(r);
  for (const char* key : {"model", "npp", "ntg", "repeat", "threads", "rows", "peak_rss_bytes"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  for (const char* key : {"parallel", "pp_tps", "tg_tps", "ttft_s", "load_s", "peak_rss_bytes", "concurrency"}) {
    EXPECT_TRUE(j["rows"][0].contains(key)) << key;
  }
}

TEST(RunBench, UnitEachRunIsPairedWithAReferenceRunAtTheSameN) {
  // A stand-in llama-batched-bench: logs its -npl and reports 100 prompt / 50 generated t/s.
  testing::TempDir dir;
  std::string log = dir.file("calls.log");
  std::string script = dir.Write("fake-batched-bench",
                                 "#!/bin/sh\nwhile [ $# -gt 0 ]; do [ \"$1\" = -npl ] && npl=$2; shift; done\n"
                                 "echo \"$npl\" >> " + log + "\n"
                                 "for n in $(echo $npl | tr , ' '); do\n"
                                 "  echo \"{\\\"pl\\\": $n, \\\"speed_pp\\\": 100, \\\"speed_tg\\\": 50}\"\ndone\n");
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  BenchOptions o = SmallOptions();
  o.batched_bench_binary = script;
  BenchReport r = RunBench(o, [&](int, int) -> std::unique_ptr<engine::Llm> {
    return std::make_unique<engine::FakeLlm>([](const engine::Request&) { return std::string(32, 'y'); });
  });
  EXPECT_EQ(r.reference_problem, "");
  std::ifstream in(log);
  std::string calls((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(calls, "1,1\n1,1\n2,1\n2,1\n") << "one reference run after each of ours, at its N";
  ASSERT_EQ(r.rows.size(), 2u);
  for (const BenchRow& row : r.rows) {
    ASSERT_TRUE(row.reference.has_value());
    EXPECT_EQ(row.reference->pp_tps, 100.0);
    EXPECT_EQ(row.reference->tg_tps, 50.0);
    // The median of per-pair ratios; with a constant reference that is our median over 100.
    EXPECT_NEAR(row.pp_ratio, row.pp_tps / 100.0, 1e-9);
    EXPECT_NEAR(row.tg_ratio, row.tg_tps / 50.0, 1e-9);
  }
  nlohmann::json j = BenchJson(r);
  EXPECT_NEAR(j["rows"][1]["pp_ratio"].get<double>(), r.rows[1].pp_ratio, 1e-9);
}

TEST(BenchCli, StoriesModelWithLlamaReference) {
  // A small real folder keeps the pipeline part short (stories260K's tokenizer makes long prompts).
  testing::TempDir corpus;
  corpus.Write("shop.py",
               "def price(item, qty):\n    return item.cost * qty\n\n\nclass Cart:\n    def __init__(self):\n"
               "        self.items = []\n\n    def add(self, item):\n        self.items.append(item)\n");
  auto r = testing::RunScale({"bench", "-m", testing::StoriesModel(), "--parallel-list", "1,2", "--npp", "32", "--ntg",
                              "8", "--repeat", "1", "--corpus", corpus.path().string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["rows"].size(), 2u);
  for (const auto& row : j["rows"]) {
    EXPECT_GT(row["pp_tps"].get<double>(), 0.0);
    EXPECT_GE(row["tg_tps"].get<double>(), 0.0);  // stories260K may end its answers at once (EOS)
    EXPECT_EQ(row["tg_method"], "steps");          // the real engine times its generation steps
    EXPECT_TRUE(row.contains("llama_pp_tps")) << j["reference_problem"];
    EXPECT_EQ(row["failed"], 0);
  }
  EXPECT_EQ(j["rows"][1]["concurrency"].get<int>() >= 1, true);
  // The real jobs on samples/: comment at the largest N, the prefix-sharing study, summarize.
  std::map<std::string, nlohmann::json> prefill;
  bool comment = false, summarize = false;
  for (const auto& run : j["pipelines"]) {
    if (run["what"] == "comment") comment = run["items"].get<int>() > 0 && run["parallel"] == 2;
    if (run["what"] == "summarize") summarize = run["items"].get<int>() > 0 && run["parallel"] == 10;
    if (run["what"] == "prefill") prefill[run["sharing"].get<std::string>()] = run;
    if (run["what"] != "prefill") {
      EXPECT_GT(run["ideal_per_min"].get<double>(), 0.0) << run.dump();
    }
  }
  EXPECT_TRUE(comment) << j["pipelines"].dump();
  ASSERT_TRUE(j.contains("folder_reference")) << "llama.cpp at the folder's own prompt length";
  EXPECT_GT(j["folder_reference"]["npp"].get<int>(), 32);
  EXPECT_TRUE(summarize) << j["pipelines"].dump();
  ASSERT_EQ(prefill.size(), 4u);
  // Token counts, not times: the same requests each time, so these orderings must hold.
  auto decoded = [&](const char* mode) { return prefill[mode]["prefill_tokens"].get<int64_t>(); };
  EXPECT_EQ(prefill["off"]["prompt_tokens"], prefill["on"]["prompt_tokens"]);
  EXPECT_EQ(decoded("off"), prefill["off"]["prompt_tokens"].get<int64_t>()) << "sharing off decodes everything";
  EXPECT_LT(decoded("on"), decoded("off"));
  EXPECT_LT(decoded("disk-warm"), decoded("on")) << "the disk cache spares the first request's prefix too";
}

TEST(BenchCli, SummarizeOnItsOwnCorpusAlone) {
  testing::TempDir code, text;
  code.Write("a.py", "def f(x):\n    return x + 1\n");
  text.Write("notes/one.py", "def g(y):\n    return y * 2\n");
  const std::vector<std::string> base = {"bench", "-m", testing::StoriesModel(), "--parallel-list", "1", "--npp", "16",
                                         "--ntg", "4", "--repeat", "1", "--no-reference", "--corpus", code.path().string(),
                                         "--pipeline-list", "0", "--prefill-parallel", "0", "--summarize-parallel", "2",
                                         "--summarize-ctx", "512", "--json"};
  std::vector<std::string> args = base;
  args.insert(args.end(), {"--summarize-corpus", text.path().string()});
  auto r = testing::RunScale(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["pipelines"].size(), 1u) << "comment rates and the sharing study were skipped";
  EXPECT_EQ(j["pipelines"][0]["what"], "summarize");
  EXPECT_EQ(j["pipelines"][0]["items"], 1) << "one chunk: notes/one.py, not a.py";

  args = base;
  args.insert(args.end(), {"--summarize-corpus", (text.path() / "missing").string()});
  r = testing::RunScale(args);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--summarize-corpus is not a directory"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace scale::bench
