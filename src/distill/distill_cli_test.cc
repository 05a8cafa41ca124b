// `scale distill --harvest` and `--stats` end to end (the built binary), and the harvest read by
// `scale train`'s loader and by a short real training run on stories260K.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "distill/test_tree.h"
#include "engine/llama_engine.h"
#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "train/dataset.h"
#include "util/fs.h"

namespace scale::distill {
namespace {

namespace fs = std::filesystem;
using testing::RunScale;
using testing::TempDir;

TEST(DistillCli, HarvestThenStats) {
  TempDir dir("distill-cli");
  const std::string root = testtree::Write(dir);
  const std::string out = dir.file("data.jsonl");
  auto r = RunScale({"distill", "--harvest", root, "-o", out, "--holdout", "0.5", "--seed", "3", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["rows"], 8);
  EXPECT_EQ(report["dropped"]["duplicate"], 4);
  EXPECT_EQ(report["dropped"]["licence"], 2);
  const std::string first = ReadFile(out);

  // Same input and seed: the same bytes. An existing output needs --force.
  auto again = RunScale({"distill", "--harvest", root, "-o", out, "--holdout", "0.5", "--seed", "3"});
  EXPECT_EQ(again.exit_code, 2) << again.err;
  EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;
  again = RunScale({"distill", "--harvest", root, "-o", out, "--holdout", "0.5", "--seed", "3", "--force"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("8 rows from 4 of 5 files"), std::string::npos) << again.out;
  EXPECT_EQ(ReadFile(out), first);

  // A link at the destination is never written through, even with --force: the link itself goes.
  const std::string target = dir.Write("precious.txt", "keep me\n");
  const std::string link = dir.file("link.jsonl");
  fs::create_symlink(target, link);
  EXPECT_EQ(RunScale({"distill", "--harvest", root, "-o", link}).exit_code, 2);
  ASSERT_EQ(RunScale({"distill", "--harvest", root, "-o", link, "--force"}).exit_code, 0);
  EXPECT_EQ(ReadFile(target), "keep me\n");
  EXPECT_FALSE(fs::is_symlink(link));
  EXPECT_EQ(ReadFile(link).rfind("{\"answer\":", 0), 0u);

  auto s = RunScale({"distill", "--stats", out, "--json"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const auto stats = nlohmann::json::parse(s.out);
  EXPECT_EQ(stats["rows"], 8);
  EXPECT_EQ(stats["files"], 4);
  EXPECT_EQ(stats["files_in_both_splits"], 0);
  EXPECT_EQ(stats["train_rows"].get<int>() + stats["eval_rows"].get<int>(), 8);
  EXPECT_EQ(stats["train_rows"], report["train_rows"]);
  EXPECT_EQ(stats["unit"], "characters");
  auto text = RunScale({"distill", "--stats", out});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("languages: c 2, javascript 1, python 5"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("answer length (characters):"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("#"), std::string::npos) << text.out;

  auto tokens = RunScale({"distill", "--stats", out, "-m", testing::StoriesModel(), "--json"});
  ASSERT_EQ(tokens.exit_code, 0) << tokens.err;
  EXPECT_EQ(nlohmann::json::parse(tokens.out)["unit"], "tokens");
  EXPECT_GT(nlohmann::json::parse(tokens.out)["prompt"]["total"].get<int>(), 0);
}

TEST(DistillCli, BadUse) {
  TempDir dir("distill-cli");
  EXPECT_EQ(RunScale({"distill"}).exit_code, 2);
  EXPECT_EQ(RunScale({"distill", "--harvest", dir.path().string()}).exit_code, 2) << "no -o";
  EXPECT_EQ(RunScale({"distill", "--harvest", dir.file("nope"), "-o", dir.file("o.jsonl")}).exit_code, 4);
  EXPECT_EQ(RunScale({"distill", "--stats", dir.Write("bad.jsonl", "{}\n")}).exit_code, 4);
  EXPECT_EQ(RunScale({"distill", "--harvest", dir.path().string(), "-o", dir.file("no/o.jsonl")}).exit_code, 5);
  EXPECT_EQ(RunScale({"distill", "--harvest", dir.path().string(), "-o", dir.file("o.jsonl"), "-m", "x.gguf"}).exit_code, 2);
  EXPECT_FALSE(fs::exists(dir.file("o.jsonl")));
}

// What `scale train --data` does with the file: its loader takes every row, in the split the
// harvest chose, and a few real steps run on it.
TEST(DistillCli, TrainReadsTheHarvest) {
  TempDir dir("distill-cli");
  const std::string out = dir.file("data.jsonl");
  // Seed 1 holds out some of the files, not all.
  auto r = RunScale({"distill", "--harvest", testtree::Write(dir), "-o", out, "--holdout", "0.5", "--seed", "1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  ASSERT_GT(report["train_rows"].get<int>(), 0);
  ASSERT_GT(report["eval_rows"].get<int>(), 0);

  engine::EngineParams ep;
  ep.model_path = testing::StoriesModel();
  ep.ctx_size = 64;
  ep.threads = 1;
  auto engine = engine::LlamaEngine::Load(ep);
  train::Tokenizer t;
  t.tokenize = [&](std::string_view text, bool add_special, bool parse_special) {
    std::vector<int32_t> v;
    for (llama_token tok : engine->Tokenize(text, add_special, parse_special)) v.push_back(tok);
    return v;
  };
  t.format = [&](const std::vector<engine::Message>& m) { return engine->FormatPrompt(m); };
  t.end_of_turn = engine->EndOfTurnToken();
  train::DatasetOptions o;
  o.max_tokens = 1 << 16;
  const train::Dataset data = train::LoadDataset(out, t, o);
  EXPECT_EQ(static_cast<int>(data.train.size()), report["train_rows"].get<int>());
  EXPECT_EQ(static_cast<int>(data.eval.size()), report["eval_rows"].get<int>());
  EXPECT_EQ(data.duplicates, 0);
  EXPECT_EQ(data.skipped_too_long, 0);
  int longest = 0;
  for (const auto& row : data.train) longest = std::max(longest, static_cast<int>(row.tokens.size()));
  engine.reset();

  const std::string run = dir.file("run");
  auto tr = RunScale({"train", "-m", testing::StoriesModel(), "--data", out, "-o", run, "--steps", "2", "--batch", "1",
                      "--ctx", std::to_string(longest + 8), "--no-eval", "-t", "2", "--json"});
  ASSERT_EQ(tr.exit_code, 0) << tr.err;
  const auto result = nlohmann::json::parse(tr.out);
  EXPECT_EQ(result["steps"], 2);
  EXPECT_EQ(result["train_rows"], report["train_rows"]);
  EXPECT_TRUE(fs::exists(run + "/adapter.gguf"));
}

}  // namespace
}  // namespace scale::distill
