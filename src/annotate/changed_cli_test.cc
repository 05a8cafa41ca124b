// `scale comment --changed[=REF]` end to end through the built binary on scratch git repositories:
// --check fails only for routines the change touched, and a generating run (real libllama with
// ../shared/models/stories260K.gguf) writes comments only there.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/fs.h"

namespace scale::annotate {
namespace {

using testing::RunProgram;
using testing::RunResult;
using testing::RunScaleWith;

const char kA[] =
    "def f(x):\n"
    "    return x\n"
    "\n"
    "def g(x):\n"
    "    return x + 1\n"
    "\n"
    "def h(x):\n"
    "    return x\n";

class ChangedCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_ = dir_.file("repo");
    std::filesystem::create_directories(repo_);
    Git({"init", "-q"});
    Git({"config", "user.email", "t@example.com"});
    Git({"config", "user.name", "t"});
    dir_.Write("repo/a.py", kA);
    dir_.Write("repo/b.py", "def b():\n    return 2\n");
    Git({"add", "-A"});
    Git({"commit", "-q", "-m", "one"});
  }
  void Git(const std::vector<std::string>& args) {
    RunResult r = RunProgram("git", args, {}, repo_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  RunResult Scale(const std::vector<std::string>& args) { return RunScaleWith(args, {}, repo_); }
  // Names of the routines --check --json reports as missing, over all files.
  static std::vector<std::string> Missing(const RunResult& r) {
    std::vector<std::string> names;
    auto j = nlohmann::json::parse(r.out);
    for (const auto& f : j["files"]) {
      for (const auto& m : f["missing"]) names.push_back(f["path"].get<std::string>() + ":" + m["name"].get<std::string>());
    }
    return names;
  }

  testing::TempDir dir_{"changed-cli"};
  std::string repo_;
};

TEST_F(ChangedCliTest, CheckFailsOnlyForTouchedRoutines) {
  RunResult clean = Scale({"comment", "--check", "--changed", "--json", "."});
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_TRUE(Missing(clean).empty()) << clean.out;
  EXPECT_NE(clean.err.find("compared with"), std::string::npos) << clean.err;

  std::string a = kA;
  a.replace(a.find("x + 1"), 5, "x + 2");
  dir_.Write("repo/a.py", a);
  RunResult r = Scale({"comment", "--check", "--changed", "--json", "."});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Missing(r), std::vector<std::string>{"./a.py:g"}) << r.out;
  // Without --changed every routine without a comment counts.
  RunResult all = Scale({"comment", "--check", "--json", "."});
  EXPECT_EQ(Missing(all).size(), 4u) << all.out;

  // Committed, the change is HEAD's: against HEAD nothing is left, against the first commit g is.
  Git({"commit", "-q", "-am", "two"});
  EXPECT_EQ(Scale({"comment", "--check", "--changed", "."}).exit_code, 0);
  RunResult since = Scale({"comment", "--check", "--changed=HEAD~1", "a.py", "b.py"});
  EXPECT_EQ(since.exit_code, 1) << since.err;
  EXPECT_NE(since.out.find("a.py:4: function g has no comment"), std::string::npos) << since.out;
  EXPECT_EQ(since.out.find("function f"), std::string::npos) << since.out;
  EXPECT_EQ(since.out.find("b.py"), std::string::npos) << since.out;
}

TEST_F(ChangedCliTest, BadUsesAreOneLineErrors) {
  RunResult ref = Scale({"comment", "--check", "--changed=no-such-ref", "."});
  EXPECT_EQ(ref.exit_code, 2) << ref.err;
  EXPECT_NE(ref.err.find("no-such-ref"), std::string::npos) << ref.err;
  RunResult in = RunScaleWith({"comment", "-", "--assume-filename", "a.py", "--changed"}, {}, repo_, "def f():\n    pass\n");
  EXPECT_EQ(in.exit_code, 2) << in.err;
  EXPECT_NE(in.err.find("--changed"), std::string::npos) << in.err;
}

TEST_F(ChangedCliTest, InPlaceWritesCommentsOnlyOnTouchedRoutines) {
  std::string a = kA;
  a.replace(a.find("x + 1"), 5, "x + 2");
  dir_.Write("repo/a.py", a);
  dir_.Write("repo/c.py", "def c():\n    return 3\n");  // untracked: all of it is new
  RunResult r = Scale({"comment", "-i", "--changed", ".", "-m", testing::StoriesModel(), "--format", "raw",
                       "--max-tokens", "16", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string after = ReadFile(repo_ + "/a.py");
  EXPECT_NE(after, a);
  // f and h are exactly as they were: no docstring after their def lines.
  EXPECT_NE(after.find("def f(x):\n    return x\n"), std::string::npos) << after;
  EXPECT_NE(after.find("def h(x):\n    return x\n"), std::string::npos) << after;
  EXPECT_EQ(after.find("def g(x):\n    return x + 2\n"), std::string::npos) << after;  // g got one
  EXPECT_EQ(ReadFile(repo_ + "/b.py"), "def b():\n    return 2\n");  // unchanged file: not even read for work
  EXPECT_NE(ReadFile(repo_ + "/c.py"), "def c():\n    return 3\n");
  auto report = nlohmann::json::parse(r.out);
  ASSERT_EQ(report["files"].size(), 2u) << r.out;
}

}  // namespace
}  // namespace scale::annotate
