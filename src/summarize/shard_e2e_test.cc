// End to end: the built `scale summarize --shard I/N` and `--merge` with the real stories260K
// model through real llama.cpp, greedy. Two shard jobs (each with its own SCALE_HOME, as CI jobs
// have) + a merge give the code map an unsharded run writes: the same files, file and chunk
// summaries, and (greedy decoding is deterministic) the same folder and repo text and Markdown.
// Shard outputs that are not one run's N parts are refused with one line and exit 7.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

#include "testing/read_all.h"
#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"

namespace scale {
namespace {

using testing::ReadAll;

// kind + path (+ first line for chunks) -> summary, from a --jsonl file.
std::map<std::string, std::string> Summaries(const std::string& jsonl, const std::string& kind) {
  std::map<std::string, std::string> out;
  for (size_t pos = 0, end; (end = jsonl.find('\n', pos)) != std::string::npos; pos = end + 1) {
    auto j = nlohmann::json::parse(jsonl.substr(pos, end - pos));
    if (j["kind"] != kind) continue;
    std::string key = j["path"].get<std::string>();
    if (kind == "chunk") key += ":" + std::to_string(j["start_line"].get<int>());
    out[key] = j["summary"].get<std::string>();
  }
  return out;
}

void WriteRepo(const testing::TempDir& dir, const std::string& name) {
  dir.Write(name + "/README.md", "# Demo\nA tiny repository.\n");
  dir.Write(name + "/setup.py", "from setuptools import setup\nsetup(name='demo')\n");
  dir.Write(name + "/src/calc.py", "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n");
  dir.Write(name + "/src/shapes.py", "class Square:\n    def area(self, s):\n        return s * s\n");
  dir.Write(name + "/src/util/twice.c", "int twice(int x) {\n  return 2 * x;\n}\n");
  dir.Write(name + "/src/util/half.c", "int half(int x) {\n  return x / 2;\n}\n");
  dir.Write(name + "/tests/test_calc.py", "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n");
  dir.Write(name + "/docs/guide.md", "# Guide\nRun it.\n");
}

class ShardE2ETest : public ::testing::Test {
 protected:
  ShardE2ETest() : dir_("shard-e2e") { WriteRepo(dir_, "repo"); }

  testing::RunResult Run(const std::string& home, std::vector<std::string> args) {
    for (const char* a : {"-m", "", "--format", "raw", "-P", "3", "-t", "2", "--max-tokens", "16", "--json"}) {
      args.push_back(*a ? a : testing::StoriesModel());
    }
    args.insert(args.begin(), "summarize");
    return testing::RunScaleWith(args, {{"SCALE_HOME", dir_.file(home)}});
  }

  testing::TempDir dir_;
};

TEST_F(ShardE2ETest, TwoShardsAndAMergeGiveTheUnshardedCodeMap) {
  testing::RunResult whole = Run("home-whole", {dir_.file("repo"), "--single", dir_.file("whole.md"), "--jsonl", dir_.file("whole.jsonl")});
  ASSERT_EQ(whole.exit_code, 0) << whole.err;

  size_t shard_files = 0;
  for (int i = 1; i <= 2; ++i) {
    // Each CI job has its own machine: its own SCALE_HOME and so its own cache.
    testing::RunResult part = Run("home-" + std::to_string(i),
                                  {dir_.file("repo"), "--shard", std::to_string(i) + "/2", "-o", dir_.file("s" + std::to_string(i) + ".json")});
    ASSERT_EQ(part.exit_code, 0) << part.err;
    auto report = nlohmann::json::parse(part.out);
    EXPECT_EQ(report["shard"], std::to_string(i) + "/2");
    EXPECT_GT(report["files"].get<size_t>(), 0u) << "the repo should put files in both shards";
    EXPECT_EQ(report["files"].get<size_t>() + report["other_shards_files"].get<size_t>(), 8u);
    EXPECT_EQ(report["folders"], 0);  // a shard stops at files: folders are the merge's
    shard_files += report["files"].get<size_t>();
  }
  EXPECT_EQ(shard_files, 8u);

  // The merge job has neither the checkout nor the shards' caches: only their outputs.
  testing::RunResult merged = Run("home-merge", {"--merge", dir_.file("s2.json"), dir_.file("s1.json"), "--single",
                                                 dir_.file("merged.md"), "--jsonl", dir_.file("merged.jsonl")});
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  auto report = nlohmann::json::parse(merged.out);
  EXPECT_EQ(report["merged_shards"], 2);
  EXPECT_EQ(report["files"], 8);
  EXPECT_EQ(report["chunks_decoded"], 0);  // chunks and files came from the shards

  const std::string whole_jsonl = ReadAll(dir_.path() / "whole.jsonl");
  const std::string merged_jsonl = ReadAll(dir_.path() / "merged.jsonl");
  EXPECT_EQ(Summaries(merged_jsonl, "file"), Summaries(whole_jsonl, "file"));
  EXPECT_EQ(Summaries(merged_jsonl, "file").size(), 8u);
  EXPECT_EQ(Summaries(merged_jsonl, "chunk"), Summaries(whole_jsonl, "chunk"));
  // Greedy decoding of the same prompts: the folder and repo levels are the same text too.
  EXPECT_EQ(Summaries(merged_jsonl, "folder"), Summaries(whole_jsonl, "folder"));
  EXPECT_EQ(Summaries(merged_jsonl, "repo"), Summaries(whole_jsonl, "repo"));
  EXPECT_EQ(ReadAll(dir_.path() / "merged.md"), ReadAll(dir_.path() / "whole.md"));

  // Merging again is answered from the cache: nothing decoded.
  testing::RunResult again = Run("home-merge", {"--merge", dir_.file("s1.json"), dir_.file("s2.json")});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto report2 = nlohmann::json::parse(again.out);
  EXPECT_GT(report2["summaries"].get<int>(), 0);
  EXPECT_EQ(report2["cache_hits"], report2["summaries"]);
  EXPECT_EQ(report2["prompt_tokens"], 0);
}

TEST_F(ShardE2ETest, RefusesShardsThatAreNotOneRunsParts) {
  WriteRepo(dir_, "other");
  dir_.Write("other/src/extra.py", "X = 1\n");
  for (const char* repo : {"repo", "other"}) {
    for (int i = 1; i <= 2; ++i) {
      testing::RunResult part = Run("home", {dir_.file(repo), "--shard", std::to_string(i) + "/2", "-o",
                                             dir_.file(std::string(repo) + std::to_string(i) + ".json")});
      ASSERT_EQ(part.exit_code, 0) << part.err;
    }
  }
  auto refused = [&](const std::vector<std::string>& files, const std::string& why) {
    std::vector<std::string> args = {"--merge"};
    for (const std::string& f : files) args.push_back(dir_.file(f));
    testing::RunResult r = Run("home", args);
    EXPECT_EQ(r.exit_code, 7) << why << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(why), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << "nothing merged: " << r.out;
  };
  refused({"repo1.json"}, "shard 2/2 is missing");
  refused({"repo1.json", "other2.json"}, "different repositories");
  refused({"repo1.json", "repo1.json", "repo2.json"}, "given twice");
  dir_.Write("notes.txt", "not a shard\n");
  refused({"repo1.json", "notes.txt"}, "not a scale summarize shard output");

  // Bad --shard text and mixed modes are usage errors (exit 2), before any model is loaded.
  for (const char* bad : {"0/3", "4/3", "a/b", "3"}) {
    testing::RunResult r = Run("home", {dir_.file("repo"), "--shard", bad, "-o", dir_.file("x.json")});
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  EXPECT_EQ(Run("home", {dir_.file("repo"), "--shard", "1/2"}).exit_code, 2);  // no -o FILE
  EXPECT_EQ(Run("home", {dir_.file("repo"), "--merge", dir_.file("repo1.json")}).exit_code, 2);
}

}  // namespace
}  // namespace scale
