// .gitignore parsing and precedence (pure, no files). tree_ignore_test.cc checks the same rules
// against real git.
#include "walk/ignore_rules.h"

#include <gtest/gtest.h>

namespace scale::walk {
namespace {

TEST(IgnoreRulesTest, PatternsNegationDirOnlyAndAnchors) {
  IgnoreRules ig;
  ig.AddFile("", "# comment\n*.log\n!keep.log\nbuild/\n/top.txt\ndocs/*.tmp\n\n  \n");
  EXPECT_TRUE(ig.Ignored("a.log", false));
  EXPECT_TRUE(ig.Ignored("deep/x/a.log", false));  // no slash: any depth
  EXPECT_FALSE(ig.Ignored("keep.log", false));     // negated later in the file
  EXPECT_EQ(ig.Check("keep.log", false), IgnoreRules::Verdict::kIncluded);
  EXPECT_TRUE(ig.Ignored("build", true));
  EXPECT_FALSE(ig.Ignored("build", false));  // dir/ matches directories only
  EXPECT_TRUE(ig.Ignored("src/build", true));
  EXPECT_TRUE(ig.Ignored("top.txt", false));
  EXPECT_FALSE(ig.Ignored("sub/top.txt", false));  // anchored to the root
  EXPECT_TRUE(ig.Ignored("docs/a.tmp", false));
  EXPECT_FALSE(ig.Ignored("x/docs/a.tmp", false));  // a middle slash anchors too
  EXPECT_FALSE(ig.Ignored("main.c", false));
  EXPECT_EQ(ig.Check("main.c", false), IgnoreRules::Verdict::kNone);
}

TEST(IgnoreRulesTest, NestedFilesApplyBelowTheirDirectoryAndWinOverParents) {
  IgnoreRules ig;
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

TEST(IgnoreRulesTest, LineSyntax) {
  IgnoreRules ig;
  // BOM, CRLF, escaped '#' and '!', trailing spaces (dropped unless escaped), a NUL ending a line.
  static const char kText[] = "\xEF\xBB\xBF" "first\r\n\\#hash\n\\!bang\ntrail   \nkeep\\ \nnul\0rest\n";
  ig.AddFile("", std::string(kText, sizeof kText - 1));
  EXPECT_TRUE(ig.Ignored("first", false));
  EXPECT_TRUE(ig.Ignored("#hash", false));
  EXPECT_TRUE(ig.Ignored("!bang", false));
  EXPECT_TRUE(ig.Ignored("trail", false));
  EXPECT_FALSE(ig.Ignored("trail   ", false));
  EXPECT_TRUE(ig.Ignored("keep ", false));
  EXPECT_TRUE(ig.Ignored("nul", false));
  EXPECT_FALSE(ig.Ignored("nulrest", false));
}

TEST(IgnoreRulesTest, LiteralPrefixIsItsOwnPattern) {
  // git compares "foo" as is and hands "**/bar" to wildmatch alone, where "**/" may be empty.
  IgnoreRules ig;
  ig.AddFile("", "foo**/bar\n");
  EXPECT_TRUE(ig.Ignored("foo/bar", false));
  EXPECT_TRUE(ig.Ignored("foox/y/bar", false));
}

TEST(IgnoreRulesTest, IgnoreCase) {
  IgnoreRules ig(true);
  ig.AddFile("Lib", "*.LOG\n/Top\n");
  EXPECT_TRUE(ig.Ignored("lib/a.log", false));
  EXPECT_TRUE(ig.Ignored("LIB/top", false));
}

TEST(IgnoreRulesTest, TruncateDropsRulesOfALeftDirectory) {
  IgnoreRules ig;
  ig.AddFile("", "*.a\n");
  size_t mark = ig.size();
  ig.AddFile("", "*.b\n");
  EXPECT_TRUE(ig.Ignored("x.b", false));
  ig.Truncate(mark);
  EXPECT_FALSE(ig.Ignored("x.b", false));
  EXPECT_TRUE(ig.Ignored("x.a", false));
}

}  // namespace
}  // namespace scale::walk
