// Finding the repository and its repository-wide ignore files through libgit2.
#include "walk/git_repo.h"

#include <gtest/gtest.h>

#include "testing/run_scale.h"
#include "testing/temp_dir.h"

namespace scale::walk {
namespace {

namespace fs = std::filesystem;

TEST(GitRepoTest, FindsTheWorkingTreeAndItsExcludeFiles) {
  if (testing::RunProgram("git", {"--version"}).exit_code != 0) GTEST_SKIP() << "git not on PATH";
  testing::TempDir dir("gitrepo");
  ASSERT_EQ(testing::RunProgram("git", {"init", "-q", dir.file("repo")}).exit_code, 0);
  ASSERT_EQ(testing::RunProgram("git", {"-C", dir.file("repo"), "config", "core.excludesFile", "~/my-ignore"}).exit_code, 0);
  ASSERT_EQ(testing::RunProgram("git", {"-C", dir.file("repo"), "config", "core.ignoreCase", "true"}).exit_code, 0);
  fs::create_directories(dir.path() / "repo" / "a" / "b");
  auto repo = FindRepository(dir.path() / "repo" / "a" / "b", false);
  ASSERT_TRUE(repo.has_value());
  EXPECT_EQ(repo->workdir, dir.path() / "repo");
  ASSERT_EQ(repo->exclude_files.size(), 2u);
  EXPECT_EQ(repo->exclude_files[0].filename(), "my-ignore");
  EXPECT_NE(repo->exclude_files[0].string().find('~'), 0u);  // "~/" expanded
  EXPECT_EQ(repo->exclude_files[1], dir.path() / "repo" / ".git" / "info" / "exclude");
  EXPECT_TRUE(repo->ignore_case);
  // exactly_here accepts only the top of a repository.
  EXPECT_FALSE(FindRepository(dir.path() / "repo" / "a", true).has_value());
  EXPECT_TRUE(FindRepository(dir.path() / "repo", true).has_value());
}

}  // namespace
}  // namespace scale::walk
