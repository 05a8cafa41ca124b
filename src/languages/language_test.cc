// Language-independent parts of language.h: names, paths, code tokens, chunks, ApplyAndVerify.
#include "languages/language.h"
#include "languages/spec.h"

#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <set>
#include <stdexcept>

namespace scale::languages {
namespace {

TEST(Language, NamesAndPaths) {
  EXPECT_STREQ(LanguageName(LanguageNamed("python")), "python");
  EXPECT_STREQ(LanguageName(LanguageNamed("c")), "c");
  EXPECT_STREQ(LanguageName(LanguageNamed("javascript")), "javascript");
  EXPECT_EQ(ParseLanguageName("py"), LanguageNamed("python"));
  EXPECT_EQ(ParseLanguageName("JS"), LanguageNamed("javascript"));
  EXPECT_EQ(ParseLanguageName("h"), LanguageNamed("c"));
  EXPECT_EQ(ParseLanguageName("cobol"), std::nullopt);
  EXPECT_THROW(LanguageNamed("cobol"), std::invalid_argument);
  EXPECT_EQ(LanguageForPath("a/b.py"), LanguageNamed("python"));
  EXPECT_EQ(LanguageForPath("x.mjs"), LanguageNamed("javascript"));
  EXPECT_EQ(LanguageForPath("X.PY"), LanguageNamed("python"));  // extensions in any case
  EXPECT_EQ(LanguageForPath("x.h"), LanguageNamed("c"));
  EXPECT_EQ(LanguageForPath("Makefile"), std::nullopt);
  EXPECT_EQ(LanguageForPath("x.cbl"), std::nullopt);
  EXPECT_TRUE(ParseOptionsForPath("inc/x.h").c_header);
  EXPECT_FALSE(ParseOptionsForPath("x.c").c_header);
  EXPECT_TRUE(ParseOptionsForPath("x.hpp").c_header);
  EXPECT_FALSE(ParseOptionsForPath("x.cpp").c_header);
  EXPECT_FALSE(ParseOptionsForPath("notes.txt").c_header);
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The registry (registry.cc) is the one list: names are unique, every extension belongs to one
// language, and every spelling of a language finds it again.
TEST(Language, RegistryIsConsistent) {
  std::vector<Language> all = AllLanguages();
  ASSERT_GE(all.size(), 14u);
  std::set<std::string> names;
  std::map<std::string, std::string> owner;  // extension -> language
  for (Language l : all) {
    std::string name = LanguageName(l);
    EXPECT_TRUE(names.insert(name).second) << "two languages named " << name;
    EXPECT_EQ(ParseLanguageName(name), l);
    EXPECT_EQ(LanguageNamed(name), l);
    for (std::string_view ext : l.spec().extensions) {
      auto [it, fresh] = owner.emplace(std::string(ext), name);
      EXPECT_TRUE(fresh) << ext << " is claimed by " << it->second << " and " << name;
      EXPECT_EQ(ext, ToLower(ext)) << "extensions are matched in lower case";
      EXPECT_EQ(LanguageForPath("x" + std::string(ext)), l) << ext;
    }
  }
  for (const char* name : {"python", "c", "javascript", "cpp", "typescript", "tsx", "java", "go", "rust", "ruby",
                           "csharp", "php", "lua", "bash"}) {
    EXPECT_TRUE(names.count(name)) << name << " is not registered";
  }
  for (const auto& [path, name] : std::vector<std::pair<std::string, std::string>>{
           {"a.cc", "cpp"}, {"a.hpp", "cpp"}, {"a.ts", "typescript"}, {"a.d.ts", "typescript"}, {"a.tsx", "tsx"},
           {"A.java", "java"}, {"a.go", "go"}, {"a.rs", "rust"}, {"a.rb", "ruby"}, {"a.cs", "csharp"},
           {"a.php", "php"}, {"a.lua", "lua"}, {"a.sh", "bash"}, {"a.jsx", "javascript"}}) {
    auto found = LanguageForPath(path);
    ASSERT_TRUE(found.has_value()) << path;
    EXPECT_STREQ(LanguageName(*found), name.c_str()) << path;
  }
  EXPECT_EQ(ParseLanguageName("c++"), LanguageNamed("cpp"));
  EXPECT_EQ(ParseLanguageName("C#"), LanguageNamed("csharp"));
  EXPECT_EQ(ParseLanguageName("sh"), LanguageNamed("bash"));
}

TEST(Language, CodeTokensIgnoreCommentsAndDocstringsButNotCode) {
  EXPECT_EQ(CodeTokens(LanguageNamed("python"), "def f():\n    \"\"\"Doc.\"\"\"\n    return 'a'  # c\n"),
            CodeTokens(LanguageNamed("python"), "def f():\n    return 'a'\n"));
  // A string that is not first in the body is code.
  EXPECT_NE(CodeTokens(LanguageNamed("python"), "def f():\n    x = 1\n    \"\"\"Not doc.\"\"\"\n"),
            CodeTokens(LanguageNamed("python"), "def f():\n    x = 1\n"));
  EXPECT_EQ(CodeTokens(LanguageNamed("c"), "/* a */ int x; // b\n"), CodeTokens(LanguageNamed("c"), "int x;\n"));
  EXPECT_NE(CodeTokens(LanguageNamed("c"), "char *s = \"a b\";"), CodeTokens(LanguageNamed("c"), "char *s = \"a  b\";"));
  std::vector<std::string> js = CodeTokens(LanguageNamed("javascript"), "let s = `a ${b}`; // c\n");
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
  ParsedFile f = Parse(LanguageNamed("python"), src);
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
  ParsedFile f = Parse(LanguageNamed("python"), src);
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
  ExpectPartition(SyntacticChunks(Parse(LanguageNamed("c"), "int a;\nint b;"), 1), 2, 1);
  EXPECT_TRUE(SyntacticChunks(Parse(LanguageNamed("c"), ""), 10).empty());
}

TEST(Language, ApplyAndVerifyReportsUnpatchableRoutines) {
  ParsedFile f = Parse(LanguageNamed("python"), "def a(): return 1\ndef b():\n    return 2\n");
  VerifiedPatch vp = ApplyAndVerify(f, {{0, "A."}, {1, "B."}});
  EXPECT_EQ(vp.applied, std::vector<int>{1});
  ASSERT_EQ(vp.dropped.count(0), 1u);
  EXPECT_NE(vp.dropped[0].find("one-line"), std::string::npos);
  EXPECT_EQ(vp.text, "def a(): return 1\ndef b():\n    \"\"\"B.\"\"\"\n    return 2\n");
  EXPECT_THROW(ApplyComments(f, {{7, "x"}}), std::out_of_range);
}

}  // namespace
}  // namespace scale::languages
