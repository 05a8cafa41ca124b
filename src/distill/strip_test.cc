#include "distill/strip.h"

#include <gtest/gtest.h>

namespace scale::distill {
namespace {

using languages::LanguageNamed;
using languages::Parse;

int IdOf(const languages::ParsedFile& f, const std::string& name) {
  for (const auto& r : f.routines) {
    if (r.qualified_name == name) return r.id;
  }
  ADD_FAILURE() << name;
  return 0;
}

TEST(WithoutComment, PythonDocstringLineGoesWhole) {
  const auto f = Parse(LanguageNamed("python"), "def f(x):\n    \"\"\"Return x.\"\"\"\n    return x\n");
  EXPECT_EQ(WithoutComment(f, 0), "def f(x):\n    return x\n");
}

TEST(WithoutComment, MultiLineDocstringAndCrlf) {
  const auto f = Parse(LanguageNamed("python"), "def f(x):\r\n    \"\"\"Return x.\r\n\r\n    More.\r\n    \"\"\"\r\n    return x\r\n");
  EXPECT_EQ(WithoutComment(f, 0), "def f(x):\r\n    return x\r\n");
}

TEST(WithoutComment, CBlockAboveAndOnlyThatRoutine) {
  const std::string text = "/* First. */\nint a(void) { return 1; }\n\n// Second,\n// two lines.\nint b(void) { return 2; }\n";
  const auto f = Parse(LanguageNamed("c"), text);
  EXPECT_EQ(WithoutComment(f, IdOf(f, "b")), "/* First. */\nint a(void) { return 1; }\n\nint b(void) { return 2; }\n");
  EXPECT_EQ(WithoutComment(f, IdOf(f, "a")), "int a(void) { return 1; }\n\n// Second,\n// two lines.\nint b(void) { return 2; }\n");
}

TEST(WithoutComment, SharedLineKeepsTheCode) {
  // The docstring shares its line with code: only its bytes go.
  const auto f = Parse(LanguageNamed("python"), "def f(x):\n    \"\"\"Return x.\"\"\"; y = 1\n    return x\n");
  ASSERT_TRUE(f.routines[0].has_comment);
  EXPECT_EQ(WithoutComment(f, 0), "def f(x):\n    ; y = 1\n    return x\n");
}

TEST(WithoutComment, PlaceholderKeepsTheLines) {
  const auto f = Parse(LanguageNamed("python"), "class E(Exception):\n    \"\"\"Raised when x.\"\"\"\n\n\nx = 1\n");
  EXPECT_EQ(WithoutComment(f, 0, "pass"), "class E(Exception):\n    pass\n\n\nx = 1\n");
}

TEST(WithoutComment, NoCommentNoChange) {
  const auto f = Parse(LanguageNamed("javascript"), "function g() {\n  return 1;\n}\n");
  EXPECT_EQ(WithoutComment(f, 0), f.text);
  EXPECT_THROW(WithoutComment(f, 5), std::out_of_range);
}

}  // namespace
}  // namespace scale::distill
