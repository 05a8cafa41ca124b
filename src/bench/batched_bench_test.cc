#include "bench/batched_bench.h"

#include <gtest/gtest.h>

namespace scale::bench {
namespace {

TEST(BatchedBench, CommandHasTheSameModelAndCounts) {
  BatchedBenchArgs a;
  a.binary = "/x/llama-batched-bench";
  a.model = "m.gguf";
  a.parallel = {1, 4, 8};
  a.npp = 128;
  a.ntg = 32;
  a.threads = 2;
  std::vector<std::string> argv = BatchedBenchCommand(a);
  auto value = [&](const std::string& flag) {
    for (size_t i = 0; i + 1 < argv.size(); ++i) {
      if (argv[i] == flag) return argv[i + 1];
    }
    return std::string("<missing>");
  };
  EXPECT_EQ(argv[0], "/x/llama-batched-bench");
  EXPECT_EQ(value("-m"), "m.gguf");
  EXPECT_EQ(value("-c"), "1280");  // 8 sequences x (128 + 32)
  EXPECT_EQ(value("-npp"), "128");
  EXPECT_EQ(value("-ntg"), "32");
  EXPECT_EQ(value("-npl"), "1,4,8,1");  // trailing sentinel run
  EXPECT_EQ(value("-t"), "2");
  EXPECT_EQ(value("--output-format"), "jsonl");
}

TEST(BatchedBench, ParsesJsonLinesAmongLogNoise) {
  std::string out =
      "llama_model_loader: loaded meta data\n"
      "0.00.003.471 W llama_context: n_ctx is not divisible by n_seq_max\n"
      R"({"n_kv_max": 1024, "pp": 64, "tg": 16, "pl": 1, "speed_pp": 1624.5, "speed_tg": 1037.25, "t": 0.05})" "\n"
      R"({"n_kv_max": 1024, "pp": 64, "tg": 16, "pl": 4, "speed_pp": 5862.75, "speed_tg": 148.5})" "\n"
      R"({"n_kv_max": 1024, "pp": 64, "tg": 16, "pl": 1, "speed_pp": 1.0, "speed_tg": 1.0})" "\n"
      "{not json\n";
  std::map<int, ReferenceSpeed> s = ParseBatchedBench(out);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_DOUBLE_EQ(s[1].pp_tps, 1624.5);  // the sentinel's second N=1 line is ignored
  EXPECT_DOUBLE_EQ(s[1].tg_tps, 1037.25);
  EXPECT_DOUBLE_EQ(s[4].pp_tps, 5862.75);
  EXPECT_TRUE(ParseBatchedBench("").empty());
}

TEST(BatchedBench, MissingBinaryIsReported) {
  BatchedBenchArgs a;
  a.binary = "/nonexistent/llama-batched-bench";
  a.parallel = {1};
  std::string problem;
  EXPECT_TRUE(RunBatchedBench(a, &problem).empty());
  EXPECT_NE(problem.find("not found"), std::string::npos);
}

}  // namespace
}  // namespace scale::bench
