// End to end: the built `scale summarize` on a small generated repo with the real stories260K
// model through real llama.cpp (--parallel 3): Markdown + JSON lines are written, a second run is
// answered entirely from the cache (nothing decoded), an edit redoes only the edited file's path.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <set>

#include "testing/run_scale.h"
#include "testing/read_all.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"

namespace scale {
namespace {

namespace fs = std::filesystem;

using testing::ReadAll;

TEST(SummarizeE2ETest, WritesMarkdownAndJsonlThenAnswersFromCache) {
  testing::TempDir dir("sum-e2e");
  dir.Write("repo/.gitignore", "build/\n");
  dir.Write("repo/build/out.py", "x = 1\n");
  dir.Write("repo/README.md", "# Demo\nA tiny repository.\n");
  dir.Write("repo/src/calc.py", "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n");
  dir.Write("repo/src/util/twice.c", "int twice(int x) {\n  return 2 * x;\n}\n");
  dir.Write("repo/src/util/half.c", "int half(int x) {\n  return x / 2;\n}\n");
  const std::map<std::string, std::string> env = {{"SCALE_HOME", dir.file("home")}};
  auto run = [&](const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"summarize", dir.file("repo"), "-m", testing::StoriesModel(), "--format", "raw",
                                     "-P", "3", "-t", "2", "--max-tokens", "16", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return testing::RunScaleWith(args, env);
  };

  testing::RunResult first = run({"-o", dir.file("out"), "--jsonl", dir.file("out.jsonl")});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto report1 = nlohmann::json::parse(first.out);
  EXPECT_EQ(report1["files"], 4);
  EXPECT_EQ(report1["folders"], 2);
  EXPECT_EQ(report1["cache_hits"], 0);
  EXPECT_GT(report1["completion_tokens"].get<int>(), 0);
  std::string md = ReadAll(dir.path() / "out" / "SUMMARY.md");
  EXPECT_EQ(md.rfind("# repo\n", 0), 0u) << md;
  EXPECT_NE(md.find("[src/](src/SUMMARY.md)"), std::string::npos) << md;
  EXPECT_TRUE(fs::exists(dir.path() / "out" / "src" / "util" / "SUMMARY.md"));
  EXPECT_FALSE(fs::exists(dir.path() / "out" / "build"));  // ignored by .gitignore
  std::string jsonl = ReadAll(dir.path() / "out.jsonl");
  int lines = 0;
  bool repo_line = false;
  for (size_t pos = 0, end; (end = jsonl.find('\n', pos)) != std::string::npos; pos = end + 1, ++lines) {
    auto j = nlohmann::json::parse(jsonl.substr(pos, end - pos));
    EXPECT_EQ(j["model"], "stories260K.gguf");
    repo_line |= j["kind"] == "repo";
  }
  EXPECT_TRUE(repo_line);
  EXPECT_GE(lines, 4 + 4 + 3);  // chunks, files, folders + repo

  testing::RunResult second = run({"--jsonl", dir.file("again.jsonl")});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  auto report2 = nlohmann::json::parse(second.out);
  EXPECT_EQ(report2["cache_hits"], report2["summaries"]);  // 100% from the cache
  EXPECT_EQ(report2["prompt_tokens"], 0);                   // nothing decoded
  EXPECT_EQ(report2["completion_tokens"], 0);
  EXPECT_EQ(report2["repo_summary"], report1["repo_summary"]);

  dir.Write("repo/src/util/half.c", "int half(int x) {\n  return x >> 1;\n}\n");
  testing::RunResult third = run({"--jsonl", dir.file("third.jsonl")});
  ASSERT_EQ(third.exit_code, 0) << third.err;
  // Only half.c's chunk and (if its summary changed) its ancestors are asked again.
  std::set<std::string> redone;
  std::string third_jsonl = ReadAll(dir.path() / "third.jsonl");
  for (size_t pos = 0, end; (end = third_jsonl.find('\n', pos)) != std::string::npos; pos = end + 1) {
    auto j = nlohmann::json::parse(third_jsonl.substr(pos, end - pos));
    if (!j["cached"].get<bool>() && j["prompt_tokens"].get<int>() > 0) redone.insert(j["kind"].get<std::string>() + " " + j["path"].get<std::string>());
  }
  EXPECT_TRUE(redone.count("chunk src/util/half.c")) << third.out;
  for (const std::string& r : redone) {
    EXPECT_TRUE(r == "chunk src/util/half.c" || r == "folder src/util" || r == "folder src" || r == "repo .") << r;
  }
}

TEST(SummarizeE2ETest, UsageAndInputErrorsAreOneLine) {
  testing::TempDir dir("sum-err");
  auto missing = testing::RunScale({"summarize", dir.file("nope"), "-m", testing::StoriesModel()});
  EXPECT_EQ(missing.exit_code, 4);
  EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1) << missing.err;
  dir.Write("empty/.gitignore", "*\n");
  auto nothing = testing::RunScale({"summarize", dir.file("empty"), "-m", testing::StoriesModel()});
  EXPECT_EQ(nothing.exit_code, 4);
  EXPECT_NE(nothing.err.find("nothing to summarize"), std::string::npos) << nothing.err;
  auto both = testing::RunScale({"summarize", dir.file("empty"), "-o", "x", "--single", "y"});
  EXPECT_EQ(both.exit_code, 2);
}

}  // namespace
}  // namespace scale
