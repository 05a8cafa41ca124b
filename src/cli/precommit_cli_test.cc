// The repository's .pre-commit-hooks.yaml run by pre-commit itself (Debian's package, installed by
// deps/bootstrap.sh) on a scratch git repository: `pre-commit try-repo` clones this checkout and
// runs a hook on the staged files, with the built scale first on PATH.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/fs.h"

namespace scale::cli {
namespace {

using testing::RunProgram;
using testing::RunResult;

class PreCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(RunProgram("pre-commit", {"--version"}).exit_code, 0)
        << "pre-commit is missing: deps/bootstrap.sh installs it (Debian package pre-commit)";
    repo_ = dir_.file("repo");
    std::filesystem::create_directories(repo_);
    Git({"init", "-q"});
    Git({"config", "user.email", "t@example.com"});
    Git({"config", "user.name", "t"});
    env_ = {{"PATH", std::filesystem::path(SCALE_BINARY).parent_path().string() + ":" + std::getenv("PATH")},
            {"PRE_COMMIT_HOME", dir_.file("pre-commit-home")},
            {"SCALE_MODEL", testing::StoriesModel()}};
  }
  void Git(const std::vector<std::string>& args) {
    ASSERT_EQ(RunProgram("git", args, {}, repo_).exit_code, 0);
  }
  RunResult Hook(const std::string& id) {
    return RunProgram("pre-commit", {"try-repo", SCALE_SOURCE_DIR, id}, env_, repo_);
  }
  std::string Write(const std::string& name, const std::string& text) {
    return dir_.Write("repo/" + name, text);
  }

  testing::TempDir dir_{"pre-commit"};
  std::string repo_;
  std::map<std::string, std::string> env_;
};

TEST_F(PreCommitTest, CheckHookFailsOnlyForStagedFilesWithoutComments) {
  Write("staged.py", "def add(a, b):\n    return a + b\n");
  Write("loose.py", "def sub(a, b):\n    return a - b\n");  // untracked: not the commit's business
  Write("done.py", "def one():\n    \"\"\"Return one.\"\"\"\n    return 1\n");
  Git({"add", "staged.py", "done.py"});
  RunResult r = Hook("scale-check");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("staged.py:1: function add has no comment"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("loose.py"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("done.py:"), std::string::npos) << r.out;

  Write("staged.py", "def add(a, b):\n    \"\"\"Return a plus b.\"\"\"\n    return a + b\n");
  Git({"add", "staged.py"});
  r = Hook("scale-check");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

// pre-commit names each staged file; the hooks pass --force-exclude, so the project config's
// exclude list still applies to them (docs/configuration.md).
TEST_F(PreCommitTest, CheckHookHonoursTheProjectConfigsExclude) {
  Write(".scale.toml", "[comment]\nexclude = [\"legacy/\"]\n");
  Write("legacy/old.py", "def old(a):\n    return a\n");
  Write("new.py", "def new(a):\n    return a\n");
  Git({"add", ".scale.toml", "legacy/old.py"});
  RunResult r = Hook("scale-check");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.find("old.py:1"), std::string::npos) << r.out;
  Git({"add", "new.py"});
  r = Hook("scale-check");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("new.py:1: function new has no comment"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("old.py:1"), std::string::npos) << r.out;
}

TEST_F(PreCommitTest, CommentHookWritesTheMissingCommentsAndStopsTheCommit) {
  const std::string code = "def add(a, b):\n    return a + b\n";
  const std::string path = Write("m.py", code);
  Git({"add", "m.py"});
  RunResult r = Hook("scale-comment");
  // pre-commit fails a hook that changed files, so the person reviews before committing.
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("files were modified by this hook"), std::string::npos) << r.out;
  const std::string after = ReadFile(path);
  EXPECT_NE(after, code);
  EXPECT_NE(after.find("def add(a, b):\n"), std::string::npos);
  EXPECT_NE(after.find("    return a + b\n"), std::string::npos);
  EXPECT_EQ(testing::RunScale({"comment", "--check", path}).exit_code, 0) << "the routine now has a comment";
}

}  // namespace
}  // namespace scale::cli
