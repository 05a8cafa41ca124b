// End to end: the built `scale cache export|import` with `scale summarize` on the real stories260K
// model. An exported cache warms a second SCALE_HOME so that its run decodes nothing; a file that
// is not a summary cache is refused (one line, exit 8); two processes writing one cache at once
// both succeed and all their entries are there afterwards.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <thread>

#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"

namespace scale {
namespace {

void WriteRepo(const testing::TempDir& dir, const std::string& name, const std::string& flavour) {
  dir.Write(name + "/README.md", "# " + flavour + "\nA tiny repository.\n");
  dir.Write(name + "/src/calc.py", "def add_" + flavour + "(a, b):\n    return a + b\n");
  dir.Write(name + "/src/util/twice.c", "int twice_" + flavour + "(int x) {\n  return 2 * x;\n}\n");
  dir.Write(name + "/src/util/half.c", "int half_" + flavour + "(int x) {\n  return x / 2;\n}\n");
}

nlohmann::json Summarize(const testing::TempDir& dir, const std::string& home, const std::string& repo,
                         const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"summarize", dir.file(repo), "-m", testing::StoriesModel(), "--format", "raw", "-P", "2",
                                   "-t", "1", "--max-tokens", "16", "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  testing::RunResult r = testing::RunScaleWith(args, {{"SCALE_HOME", dir.file(home)}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json::object();
}

testing::RunResult Cache(const testing::TempDir& dir, const std::string& home, const std::vector<std::string>& args) {
  std::vector<std::string> full = {"cache"};
  full.insert(full.end(), args.begin(), args.end());
  return testing::RunScaleWith(full, {{"SCALE_HOME", dir.file(home)}});
}

TEST(CacheCommandTest, ExportedCacheWarmsAnotherHome) {
  testing::TempDir dir("cache-cmd");
  WriteRepo(dir, "repo", "a");
  nlohmann::json first = Summarize(dir, "home-a", "repo");
  ASSERT_GT(first["summaries"].get<int>(), 0);
  EXPECT_EQ(first["cache_hits"], 0);

  testing::RunResult exported = Cache(dir, "home-a", {"export", dir.file("artefact/cache.sqlite"), "--json"});
  EXPECT_EQ(exported.exit_code, 5) << "no such folder: " << exported.err;  // never creates a stray path
  dir.Write("artefact/.keep", "");
  exported = Cache(dir, "home-a", {"export", dir.file("artefact/cache.sqlite"), "--json"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const auto entries = nlohmann::json::parse(exported.out)["entries"].get<int>();
  EXPECT_EQ(entries, first["summaries"].get<int>());  // one entry per answer the model gave

  testing::RunResult imported = Cache(dir, "home-b", {"import", dir.file("artefact/cache.sqlite"), "--json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  auto stats = nlohmann::json::parse(imported.out);
  EXPECT_EQ(stats["added"], entries);
  EXPECT_EQ(stats["already_present"], 0);

  nlohmann::json warm = Summarize(dir, "home-b", "repo");
  EXPECT_EQ(warm["cache_hits"], warm["summaries"]);
  EXPECT_EQ(warm["chunks_decoded"], 0);
  EXPECT_EQ(warm["prompt_tokens"], 0);
  EXPECT_EQ(warm["completion_tokens"], 0);
  EXPECT_EQ(warm["repo_summary"], first["repo_summary"]);

  imported = Cache(dir, "home-b", {"import", dir.file("artefact/cache.sqlite"), "--json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  stats = nlohmann::json::parse(imported.out);
  EXPECT_EQ(stats["added"], 0);
  EXPECT_EQ(stats["already_present"], entries);
}

TEST(CacheCommandTest, ImportRefusesWhatIsNotASummaryCache) {
  testing::TempDir dir("cache-refuse");
  for (const std::string& junk : {std::string("notes.txt"), std::string("shard.json")}) {
    dir.Write(junk, junk == "notes.txt" ? "hello\n" : "{\"format\":\"scale-summarize-shard-1\"}\n");
    testing::RunResult r = Cache(dir, "home", {"import", dir.file(junk)});
    EXPECT_EQ(r.exit_code, 8) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  testing::RunResult missing = Cache(dir, "home", {"import", dir.file("missing.sqlite")});
  EXPECT_EQ(missing.exit_code, 4) << missing.err;
  EXPECT_EQ(Cache(dir, "home", {"import"}).exit_code, 2);
  EXPECT_EQ(Cache(dir, "home", {}).exit_code, 2);
}

TEST(CacheCommandTest, TwoProcessesWritingOneCacheBothLandEverything) {
  testing::TempDir dir("cache-conc");
  WriteRepo(dir, "one", "one");
  WriteRepo(dir, "two", "two");
  const std::string shared = dir.file("shared.sqlite");
  testing::RunResult a, b;
  auto run = [&](const std::string& repo, testing::RunResult* out) {
    *out = testing::RunScaleWith({"summarize", dir.file(repo), "-m", testing::StoriesModel(), "--format", "raw", "-t", "1",
                                  "--max-tokens", "16", "--json", "--cache", shared},
                                 {{"SCALE_HOME", dir.file("home-" + repo)}});
  };
  std::thread t1(run, "one", &a);
  std::thread t2(run, "two", &b);
  t1.join();
  t2.join();
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(a.err.find("cannot write"), std::string::npos) << a.err;  // no answer was dropped
  EXPECT_EQ(b.err.find("cannot write"), std::string::npos) << b.err;
  // Every answer of both is in the one file: each run again decodes nothing.
  for (const char* repo : {"one", "two"}) {
    nlohmann::json again = Summarize(dir, std::string("home-again-") + repo, repo, {"--cache", shared});
    EXPECT_EQ(again["cache_hits"], again["summaries"]) << repo;
    EXPECT_EQ(again["prompt_tokens"], 0) << repo;
  }
  // Two imports into one cache at once: both succeed, the union is there.
  ASSERT_EQ(Cache(dir, "home-one", {"export", dir.file("one.sqlite"), "--cache", shared}).exit_code, 0);
  testing::RunResult i1, i2;
  std::thread u1([&] { i1 = Cache(dir, "home-x", {"import", dir.file("one.sqlite"), "--json"}); });
  std::thread u2([&] { i2 = Cache(dir, "home-x", {"import", dir.file("one.sqlite"), "--json"}); });
  u1.join();
  u2.join();
  ASSERT_EQ(i1.exit_code, 0) << i1.err;
  ASSERT_EQ(i2.exit_code, 0) << i2.err;
  auto s1 = nlohmann::json::parse(i1.out), s2 = nlohmann::json::parse(i2.out);
  // One of them added everything, the other found it all there: all or none, never a mix.
  EXPECT_EQ(s1["added"].get<int>() + s2["added"].get<int>(), s1["added"].get<int>() + s1["already_present"].get<int>());
  EXPECT_TRUE(s1["added"] == 0 || s2["added"] == 0);
}

}  // namespace
}  // namespace scale
