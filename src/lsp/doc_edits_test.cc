// The routine at the cursor and the whole-line edit between a buffer and its annotated output.
#include "lsp/doc_edits.h"

#include <gtest/gtest.h>

namespace scale::lsp {
namespace {

using languages::LanguageNamed;

TEST(DocEditsTest, RoutineAtFindsTheInnermostIncludingItsComment) {
  const std::string code =
      "class A:\n    \"\"\"Doc.\"\"\"\n\n    def m(self):\n        return 1\n\n\ndef f():\n    pass\n";
  auto parsed = languages::Parse(LanguageNamed("python"), code);
  auto at = [&](const std::string& needle) { return RoutineAt(parsed, code.find(needle)); };
  ASSERT_TRUE(at("return 1"));
  EXPECT_EQ(parsed.routines[*at("return 1")].qualified_name, "A.m");
  EXPECT_EQ(parsed.routines[*at("Doc.")].qualified_name, "A");
  EXPECT_EQ(parsed.routines[*at("pass")].qualified_name, "f");
  EXPECT_FALSE(RoutineAt(parsed, code.find("\n\n\ndef") + 2));  // blank line between them
}

TEST(DocEditsTest, RoutineAtSkipsWhatCannotBeCommented) {
  const std::string code = "def f(): return 1\n";  // a one-line def: no docstring can be inserted
  auto parsed = languages::Parse(LanguageNamed("python"), code);
  EXPECT_FALSE(RoutineAt(parsed, 4));
}

TEST(DocEditsTest, MinimalLineEditCoversWholeLines) {
  const std::string before = "def f():\n    return 1\n";
  const std::string after = "def f():\n    \"\"\"Doc.\"\"\"\n    return 1\n";
  auto e = MinimalLineEdit(before, after);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->begin, 9u);
  EXPECT_EQ(e->end, 9u);
  EXPECT_EQ(e->text, "    \"\"\"Doc.\"\"\"\n");
  std::string applied = before;
  applied.replace(e->begin, e->end - e->begin, e->text);
  EXPECT_EQ(applied, after);
  EXPECT_FALSE(MinimalLineEdit(before, before));
}

TEST(DocEditsTest, MinimalLineEditNeverSplitsCharactersOrCrlf) {
  // The outputs differ inside "é" (same lead byte) and right after a "\r".
  const std::string before = "a\r\nxé\r\nz\r\n";
  const std::string after = "a\r\nxè\r\nz\r\n";
  auto e = MinimalLineEdit(before, after);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->begin, 3u);
  EXPECT_EQ(e->end, 8u);
  EXPECT_EQ(e->text, "xè\r\n");
  const std::string crlf_before = "a\r\nb\r\n", crlf_after = "a\r\n\nb\r\n";
  auto c = MinimalLineEdit(crlf_before, crlf_after);
  ASSERT_TRUE(c);
  std::string applied = crlf_before;
  applied.replace(c->begin, c->end - c->begin, c->text);
  EXPECT_EQ(applied, crlf_after);
  EXPECT_TRUE(c->begin == 0 || crlf_before[c->begin - 1] == '\n');
}

TEST(DocEditsTest, TextEditUsesTheEncoding) {
  const std::string before = "é = 1\ndef f():\n    pass\n";
  LineEdit e{before.size(), before.size(), "x\n"};
  auto u16 = TextEditJson(before, e, Encoding::kUtf16);
  EXPECT_EQ(u16["range"]["start"]["line"], 3);
  EXPECT_EQ(u16["range"]["start"]["character"], 0);
  LineEdit mid{0, 7, ""};  // the whole first line
  LineEdit second_line{7, 7, ""};
  EXPECT_EQ(TextEditJson(before, second_line, Encoding::kUtf16)["range"]["start"]["line"], 1);
  EXPECT_EQ(TextEditJson(before, second_line, Encoding::kUtf16)["range"]["start"]["character"], 0);
  LineEdit in_line{5, 5, ""};
  EXPECT_EQ(TextEditJson(before, in_line, Encoding::kUtf16)["range"]["start"]["character"], 4);
  EXPECT_EQ(TextEditJson(before, in_line, Encoding::kUtf8)["range"]["start"]["character"], 5);
  EXPECT_EQ(TextEditJson(before, mid, Encoding::kUtf16)["range"]["end"]["line"], 1);
}

}  // namespace
}  // namespace scale::lsp
