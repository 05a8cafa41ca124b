// .gitignore semantics used by the walker (pure functions, no model).
#include "summarize/gitignore.h"

#include <gtest/gtest.h>

namespace scale::summarize {
namespace {

TEST(GlobTest, GitPathRules) {
  EXPECT_TRUE(GlobMatch("*.o", "a.o"));
  EXPECT_FALSE(GlobMatch("*.o", "dir/a.o"));  // '*' stops at '/'
  EXPECT_TRUE(GlobMatch("a?c", "abc"));
  EXPECT_FALSE(GlobMatch("a?c", "a/c"));
  EXPECT_TRUE(GlobMatch("**/build", "build"));
  EXPECT_TRUE(GlobMatch("**/build", "x/y/build"));
  EXPECT_TRUE(GlobMatch("docs/**", "docs/a/b.md"));
  EXPECT_TRUE(GlobMatch("a/**/b", "a/b"));
  EXPECT_TRUE(GlobMatch("a/**/b", "a/x/y/b"));
  EXPECT_FALSE(GlobMatch("a/**/b", "a/x/c"));
  EXPECT_TRUE(GlobMatch("file[0-9].txt", "file7.txt"));
  EXPECT_FALSE(GlobMatch("file[!0-9].txt", "file7.txt"));
  EXPECT_TRUE(GlobMatch("\\*literal", "*literal"));
  EXPECT_FALSE(GlobMatch("\\*literal", "xliteral"));
}

TEST(GitIgnoreTest, PatternsNegationDirOnlyAndAnchors) {
  GitIgnore ig;
  ig.AddFile("", "# comment\n*.log\n!keep.log\nbuild/\n/top.txt\ndocs/*.tmp\n\n  \n");
  EXPECT_TRUE(ig.Ignored("a.log", false));
  EXPECT_TRUE(ig.Ignored("deep/x/a.log", false));  // no slash: any depth
  EXPECT_FALSE(ig.Ignored("keep.log", false));     // negated later in the file
  EXPECT_TRUE(ig.Ignored("build", true));
  EXPECT_FALSE(ig.Ignored("build", false));        // dir/ matches directories only
  EXPECT_TRUE(ig.Ignored("src/build", true));
  EXPECT_TRUE(ig.Ignored("top.txt", false));
  EXPECT_FALSE(ig.Ignored("sub/top.txt", false));  // anchored to the root
  EXPECT_TRUE(ig.Ignored("docs/a.tmp", false));
  EXPECT_FALSE(ig.Ignored("x/docs/a.tmp", false));  // a middle slash anchors too
  EXPECT_FALSE(ig.Ignored("main.c", false));
}

TEST(GitIgnoreTest, NestedFilesApplyBelowTheirDirectoryAndWinOverParents) {
  GitIgnore ig;
  ig.AddFile("", "*.gen\n");
  ig.AddFile("lib", "!special.gen\n/local.txt\n");
  EXPECT_TRUE(ig.Ignored("a.gen", false));
  EXPECT_TRUE(ig.Ignored("other/special.gen", false));
  EXPECT_FALSE(ig.Ignored("lib/special.gen", false));
  EXPECT_FALSE(ig.Ignored("lib/x/special.gen", false));
  EXPECT_TRUE(ig.Ignored("lib/local.txt", false));
  EXPECT_FALSE(ig.Ignored("lib/x/local.txt", false));
  EXPECT_FALSE(ig.Ignored("local.txt", false));  // rules of lib/.gitignore stay in lib/
  EXPECT_FALSE(ig.Ignored("libx/local.txt", false));
}

}  // namespace
}  // namespace scale::summarize
