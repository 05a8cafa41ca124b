// Language-independent parts of language.h: names, paths, code tokens, chunks, ApplyAndVerify.
#include "languages/language.h"

#include <gtest/gtest.h>

namespace scale::languages {
namespace {

TEST(Language, NamesAndPaths) {
  EXPECT_STREQ(LanguageName(Language::kPython), "python");
  EXPECT_STREQ(LanguageName(Language::kC), "c");
  EXPECT_STREQ(LanguageName(Language::kJavaScript), "javascript");
  EXPECT_EQ(ParseLanguageName("py"), Language::kPython);
  EXPECT_EQ(ParseLanguageName("JS"), Language::kJavaScript);
  EXPECT_EQ(ParseLanguageName("h"), Language::kC);
  EXPECT_EQ(ParseLanguageName("rust"), std::nullopt);
  EXPECT_EQ(LanguageForPath("a/b.py"), Language::kPython);
  EXPECT_EQ(LanguageForPath("x.mjs"), Language::kJavaScript);
  EXPECT_EQ(LanguageForPath("x.h"), Language::kC);
  EXPECT_EQ(LanguageForPath("Makefile"), std::nullopt);
  EXPECT_TRUE(ParseOptionsForPath("inc/x.h").c_header);
  EXPECT_FALSE(ParseOptionsForPath("x.c").c_header);
}

TEST(Language, CodeTokensIgnoreCommentsAndDocstringsButNotCode) {
  EXPECT_EQ(CodeTokens(Language::kPython, "def f():\n    \"\"\"Doc.\"\"\"\n    return 'a'  # c\n"),
            CodeTokens(Language::kPython, "def f():\n    return 'a'\n"));
  // A string that is not first in the body is code.
  EXPECT_NE(CodeTokens(Language::kPython, "def f():\n    x = 1\n    \"\"\"Not doc.\"\"\"\n"),
            CodeTokens(Language::kPython, "def f():\n    x = 1\n"));
  EXPECT_EQ(CodeTokens(Language::kC, "/* a */ int x; // b\n"), CodeTokens(Language::kC, "int x;\n"));
  EXPECT_NE(CodeTokens(Language::kC, "char *s = \"a b\";"), CodeTokens(Language::kC, "char *s = \"a  b\";"));
  std::vector<std::string> js = CodeTokens(Language::kJavaScript, "let s = `a ${b}`; // c\n");
  EXPECT_EQ(js, (std::vector<std::string>{"let let", "identifier s", "= =", "template_string `a ${b}`", "; ;"}));
}

void ExpectPartition(const std::vector<std::pair<int, int>>& chunks, int lines, int max_lines) {
  ASSERT_FALSE(chunks.empty());
  EXPECT_EQ(chunks.front().first, 1);
  EXPECT_EQ(chunks.back().second, lines);
  for (size_t i = 0; i < chunks.size(); ++i) {
    EXPECT_LE(chunks[i].first, chunks[i].second);
    EXPECT_LE(chunks[i].second - chunks[i].first + 1, max_lines);
    if (i > 0) {
      EXPECT_EQ(chunks[i].first, chunks[i - 1].second + 1);
    }
  }
}

TEST(Language, SyntacticChunksCutAtTopLevelBoundaries) {
  // Three 4-line functions separated by blank lines (14 lines).
  std::string src;
  for (int i = 0; i < 3; ++i) {
    if (i > 0) src += "\n";
    src += "def f" + std::to_string(i) + "():\n    a = 1\n    b = 2\n    return a + b\n";
  }
  ParsedFile f = Parse(Language::kPython, src);
  auto chunks = SyntacticChunks(f, 10);
  ExpectPartition(chunks, 14, 10);
  // f0 + blank + f1 fit in 10 lines; f2 starts a new chunk exactly at its def.
  EXPECT_EQ(chunks, (std::vector<std::pair<int, int>>{{1, 10}, {11, 14}}));
  EXPECT_EQ(SyntacticChunks(f, 100), (std::vector<std::pair<int, int>>{{1, 14}}));
}

TEST(Language, SyntacticChunksSplitHugeNodesAtChildrenThenWindows) {
  std::string src = "class Big:\n";
  for (int i = 0; i < 6; ++i) src += "    def m" + std::to_string(i) + "(self):\n        return " + std::to_string(i) + "\n";
  src += "x = [\n";
  for (int i = 0; i < 25; ++i) src += "  " + std::to_string(i) + ",\n";
  src += "]\n";
  ParsedFile f = Parse(Language::kPython, src);
  int lines = 1 + 12 + 27;
  auto chunks = SyntacticChunks(f, 5);
  ExpectPartition(chunks, lines, 5);
  // Methods start at lines 2, 4, 6, ...: the class is cut between methods, never inside one.
  for (auto [a, b] : chunks) {
    if (a >= 2 && a <= 13) {
      EXPECT_EQ(a % 2, 0) << a;
    }
  }
  ExpectPartition(SyntacticChunks(f, 1), lines, 1);
  ExpectPartition(SyntacticChunks(Parse(Language::kC, "int a;\nint b;"), 1), 2, 1);
  EXPECT_TRUE(SyntacticChunks(Parse(Language::kC, ""), 10).empty());
}

TEST(Language, ApplyAndVerifyReportsUnpatchableRoutines) {
  ParsedFile f = Parse(Language::kPython, "def a(): return 1\ndef b():\n    return 2\n");
  VerifiedPatch vp = ApplyAndVerify(f, {{0, "A."}, {1, "B."}});
  EXPECT_EQ(vp.applied, std::vector<int>{1});
  ASSERT_EQ(vp.dropped.count(0), 1u);
  EXPECT_NE(vp.dropped[0].find("one-line"), std::string::npos);
  EXPECT_EQ(vp.text, "def a(): return 1\ndef b():\n    \"\"\"B.\"\"\"\n    return 2\n");
  EXPECT_THROW(ApplyComments(f, {{7, "x"}}), std::out_of_range);
}

}  // namespace
}  // namespace scale::languages
