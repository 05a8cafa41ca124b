// The built `scale summarize` (real llama.cpp, stories260K) against hostile inputs and crashes:
// non-UTF-8 names in --json, a locked cache, a pathological .gitignore line, a named FIFO, and
// SIGKILL at every fault point and at random moments: the next run's output is byte-identical
// to an uninterrupted run's.
#include <sqlite3.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>

#include "summarize/cache.h"
#include "testing/run_scale.h"
#include "testing/read_all.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"

namespace scale {
namespace {

namespace fs = std::filesystem;

using testing::ReadAll;

size_t Lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

void WriteRepo(const testing::TempDir& dir) {
  dir.Write("repo/README.md", "# Demo\nA tiny repository.\n");
  dir.Write("repo/src/calc.py", "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n");
  dir.Write("repo/src/util/twice.c", "int twice(int x) {\n  return 2 * x;\n}\n");
  dir.Write("repo/src/util/half.c", "int half(int x) {\n  return x / 2;\n}\n");
  dir.Write("repo/src/util/one.py", "x = 1\n");
  dir.Write("repo/two.py", "y = 2\n");
}

std::vector<std::string> Args(const testing::TempDir& dir, const std::string& out) {
  return {"summarize", dir.file("repo"), "-m", testing::StoriesModel(), "--format", "raw",
          "-P", "3", "-t", "2", "--max-tokens", "16", "--single", out};
}

TEST(SummarizeSafetyTest, NonUtf8NamesInJson) {
  testing::TempDir dir("sum-utf8");
  const std::string root = dir.file("repo\xfe");
  fs::create_directories(root);
  std::ofstream(fs::path(root) / "\xff.py") << "def f():\n    return 1\n";
  std::ofstream(fs::path(root) / "b.py") << "x = 2\n";
  testing::RunResult r = testing::RunScale({"summarize", root, "-m", testing::StoriesModel(), "--format", "raw",
                                            "--max-tokens", "8", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["files"], 2);
  EXPECT_NE(j["root"].get<std::string>().find("repo\\xfe"), std::string::npos) << j["root"];
}

TEST(SummarizeSafetyTest, LockedCacheIsAOneLineErrorAndLeftAlone) {
  testing::TempDir dir("sum-busy");
  WriteRepo(dir);
  const fs::path db = dir.path() / "cache.sqlite";
  { summarize::SummaryCache(db).Put("k", {"v", 1, 1}); }
  // Read before locking: closing any descriptor of the file would drop this process's locks.
  const std::string before = ReadAll(db);
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; "
                                "INSERT INTO summaries VALUES ('x', 'y', 1, 1);", nullptr, nullptr, nullptr), SQLITE_OK);
  std::vector<std::string> args = Args(dir, dir.file("out.md"));
  args.insert(args.end(), {"--cache", db.string()});
  testing::RunResult r = testing::RunScale(args);
  const bool wal_kept = fs::exists(db.string() + "-wal");
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_EQ(Lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("locked by another process"), std::string::npos) << r.err;
  EXPECT_TRUE(wal_kept);
  EXPECT_TRUE(ReadAll(db) == before);
  for (const auto& e : fs::directory_iterator(dir.path())) {
    EXPECT_EQ(e.path().filename().string().find(".corrupt-"), std::string::npos) << e.path();
  }
}

TEST(SummarizeSafetyTest, PathologicalGitignoreLineDoesNotHang) {
  testing::TempDir dir("sum-redos");
  dir.Write("repo/.gitignore", "*a*a*a*a*a*a*a*a*a*a*b\n");
  dir.Write("repo/" + std::string(120, 'a') + "c.py", "x = 1\n");
  testing::RunResult r = testing::RunScale({"summarize", dir.file("repo"), "-m", testing::StoriesModel(), "--format",
                                            "raw", "--max-tokens", "8", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["files"], 1);
}

TEST(SummarizeSafetyTest, NamedFifoIsRefused) {
  testing::TempDir dir("sum-fifo");
  ASSERT_EQ(mkfifo(dir.file("pipe.py").c_str(), 0600), 0);
  testing::RunResult r = testing::RunScale({"summarize", dir.file("pipe.py"), "-m", testing::StoriesModel()});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_EQ(Lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("not a regular file"), std::string::npos) << r.err;
}

TEST(SummarizeSafetyTest, KilledAnywhereTheNextRunIsExact) {
  testing::TempDir dir("sum-crash");
  WriteRepo(dir);
  // The uninterrupted run, and the fault points it passes (cache transactions, file writes).
  testing::RunResult ref = testing::RunScaleWith(Args(dir, dir.file("ref.md")),
                                                 {{"SCALE_HOME", dir.file("home-ref")}, {"SCALE_FAULT_TRACE", "1"}});
  ASSERT_EQ(ref.exit_code, 0) << ref.err;
  const std::string expected = ReadAll(dir.path() / "ref.md");
  ASSERT_FALSE(expected.empty());
  int points = 0;
  for (size_t pos = 0; (pos = ref.err.find("fault-point ", pos)) != std::string::npos; ++pos) ++points;
  ASSERT_GT(points, 6) << ref.err;
  EXPECT_NE(ref.err.find("cache:row-written"), std::string::npos) << ref.err;

  auto rerun_matches = [&](const std::string& home, const std::string& what) {
    fs::remove(dir.path() / "out.md");
    testing::RunResult again = testing::RunScaleWith(Args(dir, dir.file("out.md")), {{"SCALE_HOME", home}});
    ASSERT_EQ(again.exit_code, 0) << what << ": " << again.err;
    EXPECT_EQ(again.err.find("damaged"), std::string::npos) << what << ": " << again.err;
    EXPECT_EQ(ReadAll(dir.path() / "out.md"), expected) << what;
  };
  // SIGKILL at fault points (mid-transaction, after a commit, mid-write of an output): the first
  // five, one in the middle and the last two.
  const std::set<int> at = {1, 2, 3, 4, 5, points / 2, points - 1, points};
  for (int n : at) {
    const std::string home = dir.file("home-" + std::to_string(n));
    testing::RunResult killed = testing::RunScaleWith(Args(dir, dir.file("out.md")),
                                                      {{"SCALE_HOME", home}, {"SCALE_FAULT_KILL_AT", std::to_string(n)}});
    EXPECT_EQ(killed.exit_code, 128 + 9) << "fault point " << n << ": " << killed.err;
    rerun_matches(home, "after a kill at fault point " + std::to_string(n));
  }
  // Twice in a row into the same cache, then to completion.
  const std::string twice = dir.file("home-twice");
  for (int n : {points / 2, points / 3}) {
    testing::RunResult killed = testing::RunScaleWith(Args(dir, dir.file("out.md")),
                                                      {{"SCALE_HOME", twice}, {"SCALE_FAULT_KILL_AT", std::to_string(n)}});
    EXPECT_EQ(killed.exit_code, 128 + 9) << killed.err;
  }
  rerun_matches(twice, "after two kills");
  // And at moments no fault point marks (inside SQLite, inside llama.cpp), from outside.
  for (const char* after : {"0.2", "0.6"}) {
    const std::string home = dir.file(std::string("home-t") + after);
    std::vector<std::string> args = {"-s", "KILL", after, SCALE_BINARY};
    std::vector<std::string> scale_args = Args(dir, dir.file("out.md"));
    args.insert(args.end(), scale_args.begin(), scale_args.end());
    testing::RunProgram("timeout", args, {{"SCALE_HOME", home}, {"NO_COLOR", "1"}});
    rerun_matches(home, std::string("after a kill at ") + after + " s");
  }
}

}  // namespace
}  // namespace scale
