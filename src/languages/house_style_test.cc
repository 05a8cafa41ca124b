// The file's own doc style (language.h, DocStyle; house_style.cc): learned from the docs a file
// has, used for new ones, the convention where there is nothing to learn, and a project pin.
#include <gtest/gtest.h>

#include "languages/language.h"
#include "languages/test_util.h"
#include "util/text.h"

namespace scale::languages {
namespace {

using testing::Patch;

// SQLite's src/func.c layout: `/*`, `**` gutters, `*/` at the margin, a blank line in between.
const char* kSqliteStyle =
    "/*\n"
    "** Implementation of the length() function.\n"
    "*/\n"
    "static void lengthFunc(int argc){\n"
    "  (void)argc;\n"
    "}\n"
    "\n"
    "/*\n"
    "** Implementation of the abs() function.\n"
    "**\n"
    "** Returns the absolute value.\n"
    "*/\n"
    "static void absFunc(int argc){\n"
    "  (void)argc;\n"
    "}\n"
    "\n"
    "static void upperFunc(int argc){\n"
    "  (void)argc;\n"
    "}\n";

TEST(HouseStyle, SqliteGuttersAreLearnedAndUsedForNewComments) {
  ParsedFile f = Parse(LanguageNamed("c"), kSqliteStyle);
  EXPECT_EQ(f.style.origin, "file");
  EXPECT_EQ(f.style.samples, 2);
  EXPECT_FALSE(f.style.lines);
  EXPECT_EQ(f.style.open, "/*");
  EXPECT_EQ(f.style.gutter, "** ");
  EXPECT_EQ(f.style.close, "*/");
  // The gutter is syntax, read back without its stars.
  EXPECT_EQ(f.routines[1].existing_comment, "Implementation of the abs() function.\n\nReturns the absolute value.");
  std::string out = Patch(f, {{"upperFunc", "Implementation of upper().\n\nMore."}});
  EXPECT_EQ(out, testing::Replaced(kSqliteStyle, {{"static void upperFunc", "/*\n** Implementation of upper().\n**\n** More.\n*/\n"
                                                                           "static void upperFunc"}}));
  // What was written reads back as the text, and patching again is a fixed point.
  ParsedFile again = Parse(LanguageNamed("c"), out);
  EXPECT_EQ(again.routines[2].existing_comment, "Implementation of upper().\n\nMore.");
}

TEST(HouseStyle, OneDocIsNotAStyleAndNoDocsMeanTheConvention) {
  ParsedFile one = Parse(LanguageNamed("c"), "/*\n** Only one.\n*/\nint f(void) { return 0; }\nint g(void) { return 1; }\n");
  EXPECT_EQ(one.style.open, "/**");
  EXPECT_EQ(one.style.gutter, " * ");
  EXPECT_EQ(one.style.origin, "file");  // its width and sections still come from the file
  ParsedFile none = Parse(LanguageNamed("c"), "int f(void) { return 0; }\n");
  EXPECT_EQ(none.style.origin, "language");
  EXPECT_EQ(none.style.samples, 0);
  EXPECT_EQ(none.style.open, "/**");
}

TEST(HouseStyle, LineRunsInCAndTheirPrefix) {
  const char* text =
      "/// Adds.\n"
      "int add(int a, int b) { return a + b; }\n"
      "\n"
      "/// Subtracts.\n"
      "///\n"
      "/// Carefully.\n"
      "int sub(int a, int b) { return a - b; }\n"
      "\n"
      "int mul(int a, int b) { return a * b; }\n";
  ParsedFile f = Parse(LanguageNamed("c"), text);
  EXPECT_TRUE(f.style.lines);
  EXPECT_EQ(f.style.gutter, "/// ");
  EXPECT_EQ(Patch(f, {{"mul", "Multiplies.\n\nFast."}}),
            testing::Replaced(text, {{"int mul", "/// Multiplies.\n///\n/// Fast.\nint mul"}}));
}

// A run written right under a line comment would join it: there the block convention is used.
TEST(HouseStyle, ALineRunThatWouldJoinTheCommentAboveIsWrittenAsABlock) {
  const char* text =
      "/// Adds.\n"
      "int add(int a, int b) { return a + b; }\n"
      "/// Subtracts.\n"
      "int sub(int a, int b) { return a - b; }\n"
      "int x;  // a trailing note\n"
      "// NOTE: not a doc, a licence-like remark kept as it is: Copyright nobody.\n"
      "\n"
      "\n"
      "int mul(int a, int b) { return a * b; }\n";
  ParsedFile f = Parse(LanguageNamed("c"), text);
  ASSERT_TRUE(f.style.lines);
  std::string banner = std::string(text) + "// ------------------------\nint neg(int a) { return -a; }\n";
  ParsedFile g = Parse(LanguageNamed("c"), banner);
  ASSERT_TRUE(g.style.lines);
  std::string out = Patch(g, {{"neg", "Negates."}, {"mul", "Multiplies."}});
  EXPECT_NE(out.find("// ------------------------\n/**\n * Negates.\n */\nint neg"), std::string::npos) << out;
  EXPECT_NE(out.find("\n/// Multiplies.\nint mul"), std::string::npos) << out;
}

// What tools read is not taste: Javadoc stays `/**` whatever `/*` comments the file has, but the
// gutter follows the file.
TEST(HouseStyle, JavadocKeepsItsOpeningButLearnsTheGutter) {
  const char* text =
      "class A {\n"
      "  /**\n"
      "  ** One.\n"
      "  */\n"
      "  void one() {}\n"
      "  /**\n"
      "  ** Two.\n"
      "  */\n"
      "  void two() {}\n"
      "  void three() {}\n"
      "}\n";
  ParsedFile f = Parse(LanguageNamed("java"), text);
  ASSERT_EQ(f.routines.size(), 4u);
  EXPECT_EQ(f.style.open, "/**");
  EXPECT_EQ(f.style.gutter, "** ");
  ParsedFile plain = Parse(LanguageNamed("java"),
                           "class A {\n  /*\n   * One.\n   */\n  void one() {}\n  /*\n   * Two.\n   */\n  void two() {}\n}\n");
  EXPECT_EQ(plain.style.open, "/**");
}

// Running scale again gives the same bytes: what it wrote in the learned style teaches the same style.
TEST(HouseStyle, WhatScaleWroteTeachesTheSameStyle) {
  std::string long_line;
  while (long_line.size() < 92) long_line += "long ";
  const char* base = "/*\n** One.\n*/\nint a(void) { return 0; }\n/*\n** Two.\n*/\nint b(void) { return 0; }\n"
                     "int c(void) { return 0; }\nint d(void) { return 0; }\n";
  for (std::string text : {std::string(base), "/* " + long_line + " */\n" + base, std::string("int z(void) { return 0; }\n")}) {
    ParsedFile f = Parse(LanguageNamed("c"), text);
    std::map<int, std::string> comments;
    std::string words;
    for (int i = 0; i < 40; ++i) words += "word" + std::to_string(i) + " ";
    for (const Routine& r : f.routines) {
      if (!r.has_comment) comments[r.id] = words;
    }
    ASSERT_FALSE(comments.empty());
    std::string once = ApplyComments(f, comments);
    ParsedFile again = Parse(LanguageNamed("c"), once);
    EXPECT_EQ(again.style.open, f.style.open);
    EXPECT_EQ(again.style.gutter, f.style.gutter);
    EXPECT_EQ(again.style.close, f.style.close);
    EXPECT_EQ(again.style.width, f.style.width);
    EXPECT_EQ(ApplyComments(again, comments), once);
  }
}

TEST(HouseStyle, WidthIsTheLongestDocLineWhenItLooksDeliberate) {
  std::string long_line;
  while (long_line.size() < 94) long_line += "wide ";  // 95 columns with " * "; one word alone would not count
  long_line.pop_back();
  std::string text = "/**\n * " + long_line + "\n */\nint f(void) { return 0; }\n/**\n * short\n */\nint g(void) { return 0; }\n"
                     "int h(void) { return 0; }\n";
  ParsedFile f = Parse(LanguageNamed("c"), text);
  EXPECT_EQ(f.style.width, 100);  // to the nearest ten
  std::string one_word = "/**\n * " + std::string(110, 'x') + "\n */\nint f(void) { return 0; }\n";
  EXPECT_EQ(Parse(LanguageNamed("c"), one_word).style.width, 80);
  // Docs within 80 columns leave the usual 80 (comments scale writes can never move it).
  EXPECT_EQ(Parse(LanguageNamed("c"), "/**\n * short\n */\nint f(void) { return 0; }\n").style.width, 80);
  std::string words;
  for (int i = 0; i < 30; ++i) words += "word ";
  std::string out = ApplyComments(f, {{2, words}});
  size_t widest = 0;
  for (const std::string& line : SplitLines(out)) widest = std::max(widest, line.size());
  EXPECT_GT(widest, 90u);
  EXPECT_LE(widest, 100u);
}

TEST(HouseStyle, PythonSectionsAreDetected) {
  ParsedFile numpy = Parse(LanguageNamed("python"),
                           "def f(a):\n    \"\"\"Does f.\n\n    Parameters\n    ----------\n    a : int\n    \"\"\"\n\n"
                           "def g(b):\n    \"\"\"Does g.\n\n    Parameters\n    ----------\n    b : int\n    \"\"\"\n");
  EXPECT_EQ(numpy.style.sections, "numpy");
  ParsedFile google = Parse(LanguageNamed("python"),
                            "def f(a):\n    \"\"\"Does f.\n\n    Args:\n        a: x.\n    \"\"\"\n\n"
                            "def g(b):\n    \"\"\"Does g.\n\n    Args:\n        b: y.\n    \"\"\"\n");
  EXPECT_EQ(google.style.sections, "google");
  ParsedFile sphinx = Parse(LanguageNamed("python"),
                            "def f(a):\n    \"\"\"Does f.\n\n    :param a: x.\n    \"\"\"\n\n"
                            "def g(b):\n    \"\"\"Does g.\n\n    :param b: y.\n    \"\"\"\n");
  EXPECT_EQ(sphinx.style.sections, "sphinx");
  EXPECT_EQ(Parse(LanguageNamed("python"), "def f():\n    pass\n").style.sections, "");
}

TEST(HouseStyle, AProjectPinWinsAndBadPinsAreRefused) {
  DocStyle pin;
  pin.origin = "project";
  pin.open = "/*";
  pin.gutter = "** ";
  pin.close = "*/";
  EXPECT_EQ(DocStyleProblem(LanguageNamed("c"), pin), std::nullopt);
  ParseOptions options;
  options.style = pin;
  ParsedFile f = Parse(LanguageNamed("c"), "int f(void) { return 0; }\n", options);
  EXPECT_EQ(f.style.origin, "project");
  EXPECT_EQ(Patch(f, {{"f", "Returns 0."}}), "/*\n** Returns 0.\n*/\nint f(void) { return 0; }\n");

  EXPECT_NE(DocStyleProblem(LanguageNamed("java"), pin), std::nullopt);  // Javadoc is `/**`
  DocStyle bad_close = pin;
  bad_close.close = "**";
  EXPECT_NE(DocStyleProblem(LanguageNamed("c"), bad_close), std::nullopt);
  DocStyle ends_early = pin;
  ends_early.gutter = "*/ ";
  EXPECT_NE(DocStyleProblem(LanguageNamed("c"), ends_early), std::nullopt);
  DocStyle hash;
  hash.lines = true;
  hash.gutter = "# ";
  EXPECT_NE(DocStyleProblem(LanguageNamed("c"), hash), std::nullopt);
  EXPECT_EQ(DocStyleProblem(LanguageNamed("ruby"), hash), std::nullopt);
  DocStyle rust = hash;
  rust.gutter = "// ";
  EXPECT_NE(DocStyleProblem(LanguageNamed("rust"), rust), std::nullopt);  // rustdoc reads `///`
  DocStyle narrow = pin;
  narrow.width = 10;
  EXPECT_NE(DocStyleProblem(LanguageNamed("c"), narrow), std::nullopt);
}

}  // namespace
}  // namespace scale::languages
