// Changed lines since a base commit, through libgit2, on scratch repositories made with git itself.
#include "walk/git_changes.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale::walk {
namespace {

namespace fs = std::filesystem;

class GitChangesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_ = dir_.path() / "repo";
    fs::create_directories(repo_);
    Git({"init", "-q", "-b", "main"});
    Git({"config", "user.email", "t@example.com"});
    Git({"config", "user.name", "t"});
  }
  void Git(const std::vector<std::string>& args) {
    auto r = testing::RunProgram("git", args, {}, repo_.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void Write(const std::string& name, const std::string& text) { dir_.Write("repo/" + name, text); }
  void Commit(const std::string& message) {
    Git({"add", "-A"});
    Git({"commit", "-q", "-m", message});
  }
  const FileChanges* Find(const RepoChanges& c, const std::string& name) {
    auto it = c.files.find(fs::canonical(repo_) / name);
    return it == c.files.end() ? nullptr : &it->second;
  }

  testing::TempDir dir_{"gitchanges"};
  fs::path repo_;
};

std::string Lines(int n, const std::string& tag = "") {
  std::string s;
  for (int i = 1; i <= n; ++i) s += "line " + std::to_string(i) + tag + "\n";
  return s;
}

TEST_F(GitChangesTest, StagedUnstagedAndUntrackedChangesAgainstHead) {
  Write("a.txt", Lines(10));
  Write("b.txt", Lines(5));
  Write("same.txt", Lines(3));
  Commit("one");
  // Line 3 changed and staged; lines 7-8 replaced in the working tree only; line 10 deleted.
  std::string a = Lines(10);
  a.replace(a.find("line 3\n"), 7, "line three\n");
  Write("a.txt", a);
  Git({"add", "a.txt"});
  a.replace(a.find("line 7\nline 8\n"), 14, "seven\neight\n");
  a.erase(a.find("line 10\n"));
  Write("a.txt", a);
  Write("new.txt", "brand new\n");
  fs::remove(repo_ / "b.txt");

  RepoChanges c = ChangesSince(repo_ / "a.txt", "");
  EXPECT_EQ(c.workdir, fs::canonical(repo_));
  EXPECT_NE(c.base.find("(HEAD)"), std::string::npos) << c.base;
  const FileChanges* fa = Find(c, "a.txt");
  ASSERT_NE(fa, nullptr);
  EXPECT_FALSE(fa->whole);
  ASSERT_EQ(fa->lines.size(), 3u);
  EXPECT_EQ(fa->lines[0].first, 3);
  EXPECT_EQ(fa->lines[0].last, 3);
  EXPECT_EQ(fa->lines[1].first, 7);
  EXPECT_EQ(fa->lines[1].last, 8);
  EXPECT_EQ(fa->lines[2].first, 9);  // line 10 was removed after line 9
  EXPECT_TRUE(Touches(*fa, 1, 3));
  EXPECT_FALSE(Touches(*fa, 4, 6));
  const FileChanges* fn = Find(c, "new.txt");
  ASSERT_NE(fn, nullptr);
  EXPECT_TRUE(fn->whole);
  EXPECT_TRUE(Touches(*fn, 100, 200));
  EXPECT_EQ(Find(c, "same.txt"), nullptr);
  EXPECT_EQ(Find(c, "b.txt"), nullptr);  // deleted: nothing to document
}

TEST_F(GitChangesTest, RefIsComparedAtItsMergeBaseWithHead) {
  Write("a.txt", Lines(6));
  Commit("base");
  Git({"checkout", "-q", "-b", "feature"});
  std::string a = Lines(6);
  a.replace(a.find("line 2\n"), 7, "line two\n");
  Write("a.txt", a);
  Commit("feature work");
  // main moves on elsewhere in the file: those lines are not the feature branch's changes.
  Git({"checkout", "-q", "main"});
  std::string m = Lines(6);
  m.replace(m.find("line 5\n"), 7, "line five\n");
  Write("a.txt", m);
  Commit("main work");
  Git({"checkout", "-q", "feature"});

  RepoChanges c = ChangesSince(repo_, "main");
  EXPECT_NE(c.base.find("merge base of HEAD and main"), std::string::npos) << c.base;
  const FileChanges* fa = Find(c, "a.txt");
  ASSERT_NE(fa, nullptr);
  ASSERT_EQ(fa->lines.size(), 1u);
  EXPECT_EQ(fa->lines[0].first, 2);
  EXPECT_EQ(fa->lines[0].last, 2);

  // The default base is the merge base with the upstream branch once one is configured.
  Git({"config", "branch.feature.remote", "."});
  Git({"config", "branch.feature.merge", "refs/heads/main"});
  RepoChanges d = ChangesSince(repo_, "");
  EXPECT_NE(d.base.find("merge base of HEAD and"), std::string::npos) << d.base;
  ASSERT_NE(Find(d, "a.txt"), nullptr);
  EXPECT_EQ(Find(d, "a.txt")->lines.size(), 1u);
}

TEST_F(GitChangesTest, RenamesAreFollowedAndUnbornHeadMakesEverythingNew) {
  RepoChanges empty = ChangesSince(repo_, "");
  EXPECT_NE(empty.base.find("empty tree"), std::string::npos) << empty.base;
  Write("old.txt", Lines(20));
  RepoChanges first = ChangesSince(repo_, "");
  ASSERT_NE(Find(first, "old.txt"), nullptr);
  EXPECT_TRUE(Find(first, "old.txt")->whole);

  Commit("one");
  Git({"mv", "old.txt", "moved.txt"});
  std::string t = Lines(20);
  t.replace(t.find("line 12\n"), 8, "line twelve\n");
  Write("moved.txt", t);
  Git({"add", "moved.txt"});
  RepoChanges c = ChangesSince(repo_, "");
  const FileChanges* f = Find(c, "moved.txt");
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(f->whole);  // a rename with one edit, not a new file
  ASSERT_EQ(f->lines.size(), 1u);
  EXPECT_EQ(f->lines[0].first, 12);
}

TEST_F(GitChangesTest, BadRefAndNoRepositoryAreUsageErrors) {
  Write("a.txt", Lines(2));
  Commit("one");
  try {
    ChangesSince(repo_, "no-such-branch");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_NE(std::string(e.what()).find("no-such-branch"), std::string::npos) << e.what();
  }
  // The test's own scratch space lies inside scale's checkout, so "outside git" is made elsewhere.
  fs::path plain = fs::temp_directory_path() / ("scale-gitchanges-" + std::to_string(::getpid()));
  fs::create_directories(plain);
  if (auto outer = testing::RunProgram("git", {"rev-parse", "--show-toplevel"}, {}, plain.string()); outer.exit_code == 0) {
    fs::remove_all(plain);
    GTEST_SKIP() << "the temporary directory is itself inside a git repository";
  }
  try {
    ChangesSince(plain, "");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_NE(std::string(e.what()).find("not inside a git repository"), std::string::npos) << e.what();
  }
  fs::remove_all(plain);
}

}  // namespace
}  // namespace scale::walk
