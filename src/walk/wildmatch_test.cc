// git's glob rules, quirks included, and that no pattern makes matching slow.
#include "walk/wildmatch.h"

#include <gtest/gtest.h>

#include <string>

namespace scale::walk {
namespace {

TEST(WildMatchTest, GitPathRules) {
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
  EXPECT_TRUE(GlobMatch("file[^0-9].txt", "fileX.txt"));
  EXPECT_TRUE(GlobMatch("\\*literal", "*literal"));
  EXPECT_FALSE(GlobMatch("\\*literal", "xliteral"));
}

TEST(WildMatchTest, StarsAndSlashes) {
  EXPECT_TRUE(GlobMatch("a*/b", "abc/b"));
  EXPECT_FALSE(GlobMatch("a*/b", "a/x/b"));
  EXPECT_TRUE(GlobMatch("a**b", "axxb"));      // "**" inside a name is '*'
  EXPECT_FALSE(GlobMatch("a**b", "ax/xb"));
  EXPECT_TRUE(GlobMatch("**", "a/b/c"));
  EXPECT_TRUE(GlobMatch("a/**", "a/b/c"));
  EXPECT_FALSE(GlobMatch("a/**", "a"));
  EXPECT_TRUE(GlobMatch("**/", "a/"));
  EXPECT_TRUE(GlobMatch("a/**\\/b", "a/x/y/b"));  // "**" before an escaped slash spans directories
  EXPECT_TRUE(WildMatch("*", "a/b", 0));         // without kWildPathname '*' crosses '/'
  EXPECT_TRUE(WildMatch("a?b", "a/b", 0));
  EXPECT_TRUE(GlobMatch("", ""));
  EXPECT_FALSE(GlobMatch("", "a"));
}

TEST(WildMatchTest, ClassesAsGitParsesThem) {
  EXPECT_TRUE(GlobMatch("[]]", "]"));          // ']' first is a member
  EXPECT_TRUE(GlobMatch("[!]]", "a"));
  EXPECT_TRUE(GlobMatch("[a-]", "-"));         // '-' last is a member
  EXPECT_TRUE(GlobMatch("[-a]", "-"));
  EXPECT_TRUE(GlobMatch("[\\]]", "]"));
  EXPECT_TRUE(GlobMatch("[[:alpha:]][[:digit:]]", "x7"));
  EXPECT_FALSE(GlobMatch("[[:alpha:]]", "7"));
  EXPECT_TRUE(GlobMatch("[[:space:]]", " "));
  EXPECT_TRUE(GlobMatch("[[:]", "["));          // no ":]": a plain '[' and ':'
  EXPECT_TRUE(GlobMatch("[[:]", ":"));
  EXPECT_FALSE(GlobMatch("[a/]", "/"));         // a class never matches '/' in a path
  EXPECT_TRUE(WildMatch("[a/]", "/", 0));
  // Malformed: git matches nothing.
  EXPECT_FALSE(GlobMatch("[abc", "[abc"));
  EXPECT_FALSE(GlobMatch("a[", "a["));
  EXPECT_FALSE(GlobMatch("[[:nope:]]", "a"));
  EXPECT_FALSE(GlobMatch("a\\", "a\\"));        // trailing backslash
  EXPECT_FALSE(GlobMatch("a\\", "a"));
}

TEST(WildMatchTest, CaseFolding) {
  EXPECT_TRUE(WildMatch("*.TXT", "a.txt", kWildPathname | kWildCaseFold));
  EXPECT_TRUE(WildMatch("[A-Z]", "q", kWildPathname | kWildCaseFold));
  EXPECT_TRUE(WildMatch("[[:upper:]]", "q", kWildPathname | kWildCaseFold));
  EXPECT_FALSE(WildMatch("*.TXT", "a.txt", kWildPathname));
}

// The line that made git-style backtracking take minutes: each '*' tries every split.
TEST(WildMatchTest, PathologicalPatternsFinish) {
  const std::string name = std::string(200, 'a') + "c";
  EXPECT_FALSE(GlobMatch("*a*a*a*a*a*a*a*a*a*a*b", name));
  EXPECT_TRUE(GlobMatch("*a*a*a*a*a*a*a*a*a*a*c", name));
  EXPECT_FALSE(GlobMatch("**/*a**/*a*/**a*a**/**a*a*a*b", std::string(60, 'a') + "/" + std::string(60, 'a')));
  std::string stars;
  for (int i = 0; i < 500; ++i) stars += "*?";
  EXPECT_FALSE(GlobMatch(stars + "b", std::string(4000, 'a')));
}

}  // namespace
}  // namespace scale::walk
