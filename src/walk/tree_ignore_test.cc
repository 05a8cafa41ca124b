// The walk's ignore decisions against real `git check-ignore` in temporary repositories: a table
// of git's rules (BOM, CRLF, negation, dir/, anchoring, "**", classes, escapes, trailing spaces,
// nested .gitignore, info/exclude, core.excludesFile, precedence) and random patterns. Skipped
// when git is not on PATH.
#include "walk/tree_ignore.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include <unistd.h>

#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "walk/walker.h"

namespace scale::walk {
namespace {

namespace fs = std::filesystem;

bool HaveGit() {
  static const bool have = testing::RunProgram("git", {"--version"}).exit_code == 0;
  return have;
}

class GitRepo {
 public:
  explicit GitRepo(const std::string& name) : dir_(name) {
    Git({"init", "-q", "."});
  }
  const fs::path& path() const { return dir_.path(); }
  void Write(const std::string& rel, const std::string& content) const { dir_.Write(rel, content); }
  testing::RunResult Git(const std::vector<std::string>& args, const std::string& stdin_text = "") const {
    std::vector<std::string> all = {"-C", dir_.path().string()};
    all.insert(all.end(), args.begin(), args.end());
    return testing::RunProgram("git", all, {}, "", stdin_text);
  }
  // The paths (relative to the top) that git says are ignored.
  std::set<std::string> GitIgnored(const std::vector<std::string>& paths) const {
    std::string in;
    for (const auto& p : paths) in += p + '\0';
    testing::RunResult r = Git({"check-ignore", "--no-index", "-z", "--stdin"}, in);
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
    std::set<std::string> out;
    for (size_t pos = 0, end; (end = r.out.find('\0', pos)) != std::string::npos; pos = end + 1) {
      out.insert(r.out.substr(pos, end - pos));
    }
    return out;
  }

 private:
  testing::TempDir dir_;
};

std::vector<std::string> Walked(const fs::path& root) {
  Options o;
  std::vector<std::string> out;
  for (const File& f : Walk({root}, o).files) out.push_back(f.rel);
  return out;
}

// The files git would keep, in walk order.
std::vector<std::string> Expected(const GitRepo& repo, const std::vector<std::string>& files) {
  std::set<std::string> ignored = repo.GitIgnored(files);
  std::vector<std::string> out;
  for (const auto& f : files) {
    if (!ignored.count(f)) out.push_back(f);
  }
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) { return fs::path(a) < fs::path(b); });
  return out;
}

TEST(TreeIgnoreTest, TableOfGitRulesAgreesWithGit) {
  if (!HaveGit()) GTEST_SKIP() << "git not on PATH";
  GitRepo repo("ign-table");
  testing::TempDir home("ign-home");
  // A symlinked global excludes file, as dotfile managers make: git follows it.
  home.Write("dotfiles/ignore", "*.glob\n!keep.glob\n");
  const std::string global = home.file("global-ignore");
  fs::create_symlink(home.path() / "dotfiles" / "ignore", global);
  ASSERT_EQ(repo.Git({"config", "core.excludesFile", global}).exit_code, 0);
  repo.Write(".git/info/exclude", "*.excl\n!over.glob\n");
  repo.Write(".gitignore",
             "\xEF\xBB\xBF*.log\n"  // a BOM before the first rule
             "!keep.log\n"
             "build/\n"
             "!build/inside.py\n"  // cannot re-include below an excluded directory
             "/top.txt\n"
             "docs/*.tmp\n"
             "**/gen\n"
             "out/**\n"
             "a/**/z.txt\n"
             "file[0-9].c\n"
             "name[!a-c].c\n"
             "[[:upper:]]*.up\n"
             "\\#hash.txt\n"
             "\\!bang.txt\n"
             "trail.txt   \r\n"
             "endspace\\ \n"
             "foo**/bar\n"
             "*.d/\n"
             "!special.excl\n"
             "# a comment\n"
             "odd[\n");
  repo.Write("sub/.gitignore", "!y.log\n/local.py\n");
  repo.Write("rules.txt", "*.py\n");
  fs::create_directories(repo.path() / "linked");
  fs::create_symlink("../rules.txt", repo.path() / "linked" / ".gitignore");  // git does not follow it
  const std::vector<std::string> files = {
      "keep.log", "x.log", "sub/y.log", "sub/keep.log", "build/a.py", "build/inside.py", "src/build/b.py",
      "lib/build", "top.txt", "sub/top.txt", "docs/a.tmp", "x/docs/a.tmp", "gen/a.py", "p/q/gen/b.py",
      "out/o.py", "out/deep/o.py", "a/z.txt", "a/b/c/z.txt", "file1.c", "filex.c", "named.c", "namea.c",
      "Xyz.up", "xyz.up", "#hash.txt", "!bang.txt", "trail.txt", "endspace ", "foo/bar", "foox/y/bar",
      "x.d/inner.py", "x.d2", "plain.py", "sub/local.py", "sub/deeper/local.py", "a.excl", "sub/b.excl",
      "special.excl", "x.glob", "keep.glob", "over.glob", "linked/x.py", "odd[", "rules.txt"};
  for (const auto& f : files) repo.Write(f, "x = 1\n");
  EXPECT_EQ(Walked(repo.path()), Expected(repo, files));
}

TEST(TreeIgnoreTest, RandomPatternsAgreeWithGit) {
  if (!HaveGit()) GTEST_SKIP() << "git not on PATH";
  GitRepo repo("ign-random");
  const std::vector<std::string> files = {"ab",   "b",    "a.b",    "[a]",    "a-b",  "A",    "bb/a",  "bb/ab",
                                          "bb/c/a", "c/bb/a", "c/a.b", "ac/b", "c/ab/b", "a]b", "bb/a.b", "-"};
  for (const auto& f : files) repo.Write(f, "x\n");
  const std::vector<std::string> pieces = {"a",  "b",  "c", "/",     "*",    "**",  "?",           "[",  "]",
                                           "!",  "-",  "\\", ".",    "[a-b]", "[!a]", "[[:alpha:]]", "bb", "**/"};
  std::mt19937 rng(20240611);
  auto piece = [&] { return pieces[rng() % pieces.size()]; };
  for (int round = 0; round < 150; ++round) {
    std::string rules;
    for (int line = 0, lines = 1 + static_cast<int>(rng() % 3); line < lines; ++line) {
      if (rng() % 4 == 0) rules += "!";
      for (int k = 0, n = 1 + static_cast<int>(rng() % 4); k < n; ++k) rules += piece();
      rules += "\n";
    }
    repo.Write(".gitignore", rules);
    std::string sub_rules = rng() % 3 == 0 ? piece() + piece() + "\n" : "";
    repo.Write("bb/.gitignore", sub_rules);
    ASSERT_EQ(Walked(repo.path()), Expected(repo, files)) << "rules:\n" << rules << "bb/.gitignore:\n" << sub_rules;
  }
}

TEST(TreeIgnoreTest, NamedFilesFollowTheirParentsRules) {
  if (!HaveGit()) GTEST_SKIP() << "git not on PATH";
  GitRepo repo("ign-named");
  repo.Write(".gitignore", "*.log\n");
  repo.Write("a/b/.gitignore", "*.tmp\n");
  repo.Write("a/b/x.log", "x\n");
  repo.Write("a/b/y.tmp", "y\n");
  repo.Write("a/b/z.py", "z = 1\n");
  Result r = Walk({repo.path() / "a/b/x.log", repo.path() / "a/b/y.tmp", repo.path() / "a/b/z.py"}, {});
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].rel, "z.py");
  EXPECT_EQ(repo.GitIgnored({"a/b/x.log", "a/b/y.tmp", "a/b/z.py"}), (std::set<std::string>{"a/b/x.log", "a/b/y.tmp"}));
}

TEST(TreeIgnoreTest, NestedRepositoryHasItsOwnRules) {
  if (!HaveGit()) GTEST_SKIP() << "git not on PATH";
  GitRepo outer("ign-outer");
  outer.Write(".gitignore", "*.txt\n");
  outer.Write("keep.py", "x\n");
  outer.Write("note.txt", "x\n");
  ASSERT_EQ(testing::RunProgram("git", {"init", "-q", (outer.path() / "inner").string()}).exit_code, 0);
  outer.Write("inner/.gitignore", "*.py\n");
  outer.Write("inner/a.py", "x\n");
  outer.Write("inner/b.txt", "x\n");  // the outer "*.txt" does not reach into another repository
  EXPECT_EQ(Walked(outer.path()), (std::vector<std::string>{"inner/b.txt", "keep.py"}));
}

TEST(TreeIgnoreTest, RootInsideAnIgnoredDirectoryIsStillWalkedWithTheRepositoryRules) {
  if (!HaveGit()) GTEST_SKIP() << "git not on PATH";
  GitRepo repo("ign-root");
  repo.Write(".gitignore", "gen/\n*.log\n");
  repo.Write("gen/a.py", "x\n");
  repo.Write("gen/b.log", "x\n");
  repo.Write("gen/sub/.gitignore", "c.py\n");
  repo.Write("gen/sub/c.py", "x\n");
  EXPECT_EQ(Walked(repo.path() / "gen"), (std::vector<std::string>{"a.py"}));
  EXPECT_EQ(Walked(repo.path()), (std::vector<std::string>{}));
}

TEST(TreeIgnoreTest, OutsideGitTheTreesOwnGitignoresApply) {
  // A directory that no repository holds (the system temp dir, not the build tree).
  fs::path dir = fs::temp_directory_path() / ("scale-nogit-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  TreeIgnore probe(dir);
  if (probe.in_git()) {
    fs::remove_all(dir);
    GTEST_SKIP() << "the temp directory is inside a git repository";
  }
  auto write = [&](const std::string& rel, const std::string& text) {
    std::ofstream(dir / rel) << text;
  };
  write(".gitignore", "*.log\n");
  write("sub/.gitignore", "!keep.log\n");
  write("a.log", "x\n");
  write("sub/keep.log", "x\n");
  write("sub/b.py", "x\n");
  EXPECT_EQ(Walked(dir), (std::vector<std::string>{"sub/b.py", "sub/keep.log"}));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace scale::walk
