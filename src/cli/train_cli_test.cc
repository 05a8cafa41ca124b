// `scale train` end to end with the REAL stories260K model: trains an adapter from JSON lines
// (held-out loss below the base's), llama.cpp loads the result, `scale comment --lora` uses it with
// the code-identical guarantee, and bad input gets one line and its exit code.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/train_test_data.h"
#include "testing/llama_probe.h"
#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/error.h"
#include "util/fs.h"

namespace scale::cli {
namespace {

using testing::RunScale;
using testing::TempDir;

TEST(TrainCli, TrainsAnAdapterThatLlamaCppAndScaleCommentUse) {
  TempDir dir("train-cli");
  const std::string data = dir.Write("data.jsonl", traintest::SmallRows());
  const std::string run = dir.file("run");
  auto r = RunScale({"train", "-m", testing::StoriesModel(), "--data", data, "-o", run, "--steps", "24", "--batch", "4",
                     "--lr", "1e-2", "--modules", "all", "--eval-every", "8", "--checkpoint-every", "8", "-t", "2",
                     "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto result = nlohmann::json::parse(r.out);
  EXPECT_EQ(result["steps"], 24);
  EXPECT_LT(result["eval_loss"].get<double>(), result["base_eval_loss"].get<double>() - 0.5) << r.out;
  EXPECT_GT(result["eval_rows"].get<int>(), 0);
  EXPECT_TRUE(std::filesystem::exists(run + "/checkpoint-000008.gguf"));
  EXPECT_TRUE(std::filesystem::exists(run + "/checkpoint-000016.gguf"));
  EXPECT_FALSE(std::filesystem::exists(run + "/checkpoint-000024.gguf")) << "the last step is adapter.gguf";
  // One log line per step plus the evaluations at 0, 8, 16 and 24 (and a breaker event line if a
  // loaded machine slowed it down: the throughput rule warns, which is not a step).
  const std::string log = ReadFile(run + "/log.jsonl");
  long event_lines = 0;
  for (size_t at = log.find("\"event\""); at != std::string::npos; at = log.find("\"event\"", at + 1)) ++event_lines;
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n') - event_lines, 24 + 4);

  auto model = testing::LoadModelQuietly(testing::StoriesModel());
  llama_adapter_lora* adapter = llama_adapter_lora_init(model.get(), (run + "/adapter.gguf").c_str());
  ASSERT_NE(adapter, nullptr);
  llama_adapter_lora_free(adapter);

  const std::string py = dir.Write("m.py", "def add(a, b):\n    return a + b\n\n\ndef twice(x):\n    y = add(x, x)\n    return y\n");
  auto c = RunScale({"comment", "-i", "-m", testing::StoriesModel(), "--lora", run + "/adapter.gguf", py});
  EXPECT_TRUE(c.exit_code == 0 || c.exit_code == 1) << c.err;  // 1: a routine's answer was refused
  const std::string after = ReadFile(py);
  EXPECT_NE(after.find("def add(a, b):"), std::string::npos);
  EXPECT_NE(after.find("    y = add(x, x)\n    return y\n"), std::string::npos);
}

TEST(TrainCli, ChatRowsOnAQuantisedQwen2Base) {
  // messages rows go through the model's chat template (ChatML here), the base stays Q8_0.
  TempDir dir("train-cli");
  std::string rows;
  for (int i = 0; i < 12; ++i) {
    rows += nlohmann::json({{"messages", {{{"role", "system"}, {"content", "Write one docstring."}},
                                          {{"role", "user"}, {"content", "def g" + std::to_string(i) + "(): pass"}}}},
                            {"answer", "Do nothing, number " + std::to_string(i) + "."},
                            {"split", i < 9 ? "train" : "eval"}})
                .dump() +
            "\n";
  }
  const std::string data = dir.Write("chat.jsonl", rows);
  const std::string run = dir.file("run");
  auto r = RunScale({"train", "-m", testing::TinyQ8Model(), "--data", data, "-o", run, "--steps", "6", "--batch", "3",
                     "--lr", "1e-2", "--rank", "4", "-t", "2", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto result = nlohmann::json::parse(r.out);
  EXPECT_EQ(result["train_rows"], 9);
  EXPECT_EQ(result["eval_rows"], 3);
  EXPECT_LT(result["eval_loss"].get<double>(), result["base_eval_loss"].get<double>());
  auto model = testing::LoadModelQuietly(testing::TinyQ8Model());
  llama_adapter_lora* adapter = llama_adapter_lora_init(model.get(), (run + "/adapter.gguf").c_str());
  ASSERT_NE(adapter, nullptr);
  llama_adapter_lora_free(adapter);
}

TEST(TrainCli, BadInputGetsOneLineAndItsExitCode) {
  TempDir dir("train-cli");
  const std::string data = dir.Write("data.jsonl", traintest::SmallRows());
  const std::string model = testing::StoriesModel();
  auto no_data = RunScale({"train", "-m", model, "-o", dir.file("a")});
  EXPECT_EQ(no_data.exit_code, kExitUsage);
  EXPECT_NE(no_data.err.find("--data"), std::string::npos);
  auto bad_module = RunScale({"train", "-m", model, "--data", data, "-o", dir.file("b"), "--modules", "q,x"});
  EXPECT_EQ(bad_module.exit_code, kExitUsage);
  EXPECT_NE(bad_module.err.find("'x'"), std::string::npos);
  auto no_model = RunScale({"train", "-m", dir.file("none.gguf"), "--data", data, "-o", dir.file("c")});
  EXPECT_EQ(no_model.exit_code, kExitModel);
  const std::string broken = dir.Write("broken.jsonl", "{\"prompt\": \"a\", \"answer\": \"b\"}\n{not json\n");
  auto bad_json = RunScale({"train", "-m", model, "--data", broken, "-o", dir.file("d")});
  EXPECT_EQ(bad_json.exit_code, kExitInput);
  EXPECT_NE(bad_json.err.find("broken.jsonl:2"), std::string::npos) << bad_json.err;
  dir.Write("used/keep.txt", "someone's file");
  auto not_empty = RunScale({"train", "-m", model, "--data", data, "-o", dir.file("used"), "--steps", "1"});
  EXPECT_EQ(not_empty.exit_code, kExitUsage);
  EXPECT_EQ(ReadFile(dir.file("used/keep.txt")), "someone's file");
  auto too_big = RunScale({"train", "-m", model, "--data", data, "-o", dir.file("e"), "--max-memory", "1M"});
  EXPECT_EQ(too_big.exit_code, kExitUsage);
  EXPECT_NE(too_big.err.find("--max-memory"), std::string::npos);
  for (const auto& res : {no_data, bad_module, no_model, bad_json, not_empty, too_big}) {
    EXPECT_EQ(std::count(res.err.begin(), res.err.end(), '\n'), 1) << res.err;
  }
}

TEST(TrainCli, SameSeedSameAdapter) {
  TempDir dir("train-cli");
  const std::string data = dir.Write("data.jsonl", traintest::SmallRows());
  std::string bytes[2];
  for (int i = 0; i < 2; ++i) {
    const std::string run = dir.file("r" + std::to_string(i));
    auto r = RunScale({"train", "-m", testing::StoriesModel(), "--data", data, "-o", run, "--steps", "4", "--batch", "2",
                       "--dropout", "0.1", "-t", "2", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    bytes[i] = ReadFile(run + "/adapter.gguf");
  }
  EXPECT_EQ(bytes[0], bytes[1]);
}

// A run SIGKILLed at any write and resumed ends where an uninterrupted run ends: the same adapter
// bytes and a log with every step once, with the same numbers.
TEST(TrainCli, AKilledRunResumesToTheUninterruptedResult) {
  TempDir dir("train-cli");
  const std::string data = dir.Write("data.jsonl", traintest::SmallRows());
  auto flags = [&](const std::string& run) {
    return std::vector<std::string>{"train", "-m", testing::StoriesModel(), "--data", data, "-o", run, "--steps", "6",
                                    "--batch", "2", "--dropout", "0.1", "--lr", "1e-2", "--eval-every", "3",
                                    "--checkpoint-every", "2", "-t", "2", "-q"};
  };
  auto whole = RunScale(flags(dir.file("whole")));
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  // The writes of a run, counted on a second one: the first run in a SCALE_HOME also writes there.
  auto traced = testing::RunScaleWith(flags(dir.file("traced")), {{"SCALE_FAULT_TRACE", "1"}});
  ASSERT_EQ(traced.exit_code, 0) << traced.err;
  int points = 0;
  for (size_t at = traced.err.find("fault-point "); at != std::string::npos; at = traced.err.find("fault-point ", at + 1)) {
    ++points;
  }
  ASSERT_GT(points, 6) << traced.err;
  const std::string want_adapter = ReadFile(dir.file("whole/adapter.gguf"));
  const auto want_log = traintest::WithoutSeconds(traintest::LogLines(dir.file("whole/log.jsonl")));
  ASSERT_EQ(want_log.size(), 6u + 3u);  // steps, and the evaluations at 0, 3 and 6

  EXPECT_EQ(ReadFile(dir.file("traced/adapter.gguf")), ReadFile(dir.file("whole/adapter.gguf")));
  // Three writes each (temp written, before and after the rename): killed while writing the step-4
  // adapter (points 1-6 are step 2's adapter and state), just after the step-4 state, and just
  // before the last write (run.json; the finished state comes after it).
  int resumed = 0;
  for (int kill_at : {7, 12, points - 1}) {
    const std::string run = dir.file("killed-" + std::to_string(kill_at));
    auto killed = testing::RunScaleWith(flags(run), {{"SCALE_FAULT_KILL_AT", std::to_string(kill_at)}});
    ASSERT_EQ(killed.exit_code, 128 + 9) << "kill at " << kill_at << " of " << points << ": " << killed.err;
    auto again = RunScale({"train", "--resume", run, "-t", "2", "--json"});
    ASSERT_EQ(again.exit_code, 0) << "kill at " << kill_at << ": " << again.err;
    const auto result = nlohmann::json::parse(again.out);
    EXPECT_EQ(result["steps"], 6);
    EXPECT_GE(result["resumed_from"].get<int>(), 2);
    EXPECT_EQ(ReadFile(run + "/adapter.gguf"), want_adapter) << "kill at " << kill_at;
    EXPECT_EQ(traintest::WithoutSeconds(traintest::LogLines(run + "/log.jsonl")), want_log) << "kill at " << kill_at;
    ++resumed;
  }
  EXPECT_EQ(resumed, 3);

  // A finished run has nothing to resume; a changed setting is refused; a folder without a
  // checkpoint cannot be resumed. One line each, and nothing in the run is touched.
  auto finished = RunScale({"train", "--resume", dir.file("whole")});
  EXPECT_EQ(finished.exit_code, kExitUsage) << finished.err;
  const std::string run = dir.file("killed-7");
  std::filesystem::remove(run + "/checkpoint-000006.state");
  auto changed = RunScale({"train", "--resume", run, "--lr", "0.5"});
  EXPECT_EQ(changed.exit_code, kExitUsage) << changed.err;
  EXPECT_NE(changed.err.find("--lr"), std::string::npos) << changed.err;
  auto none = RunScale({"train", "--resume", dir.file("empty-run")});
  EXPECT_EQ(none.exit_code, kExitInput);
  std::filesystem::create_directories(dir.file("empty-run"));
  auto no_checkpoint = RunScale({"train", "--resume", dir.file("empty-run")});
  EXPECT_EQ(no_checkpoint.exit_code, kExitInput);
  EXPECT_NE(no_checkpoint.err.find("no checkpoint"), std::string::npos) << no_checkpoint.err;
  for (const auto& res : {finished, changed, none, no_checkpoint}) {
    EXPECT_EQ(std::count(res.err.begin(), res.err.end(), '\n'), 1) << res.err;
  }
}

}  // namespace
}  // namespace scale::cli
