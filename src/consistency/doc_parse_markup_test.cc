// DocParse: C# XML documentation and Rust Markdown.
#include <gtest/gtest.h>

#include "consistency/doc_parse.h"
#include "consistency/doc_parse_test_util.h"

namespace scale::consistency {
namespace {

using testing::Describe;

TEST(DocParse, XmlTemplateWithMultiLineParamAndCrefPrefix) {
  constexpr std::string_view text =
      "<summary>\n"
      "Reads at most a given number of lines from the start of a text file.\n"
      "</summary>\n"
      "<remarks>\n"
      "The file is read as UTF-8 and closed before the task completes, also when it is cancelled.\n"
      "</remarks>\n"
      "<param name=\"path\">The file to read.</param>\n"
      "<param name=\"maxLines\">The most lines to return;\n"
      "0 returns an empty list.</param>\n"
      "<param name=\"cancellationToken\">Cancels the reading between two lines.</param>\n"
      "<returns>A task whose result is the lines read, without their line endings.</returns>\n"
      "<exception cref=\"ArgumentNullException\"><paramref name=\"path\"/> is null.</exception>\n"
      "<exception cref=\"T:System.IO.IOException\">The file cannot be read.</exception>\n"
      "<exception cref=\"OperationCanceledException\">The token was cancelled.</exception>";
  EXPECT_EQ(Describe("csharp", text),
            "xml\n"
            "other \"summary\" 0-2\n"
            "other \"remarks\" 3-5\n"
            "params \"param\" 6-9\n"
            "  path 6-6 \"<param name=\\\"\" \"\\\">\" \"</param>\"\n"
            "  maxLines 7-8 \"<param name=\\\"\" \"\\\">\" \"</param>\"\n"
            "  cancellationToken 9-9 \"<param name=\\\"\" \"\\\">\" \"</param>\"\n"
            "returns \"returns\" 10-10\n"
            "raises \"exception\" 11-13\n"
            "  ArgumentNullException 11-11 \"<exception cref=\\\"\" \"\\\">\" \"</exception>\"\n"
            "  System.IO.IOException 12-12 \"<exception cref=\\\"\" \"\\\">\" \"</exception>\"\n"
            "  OperationCanceledException 13-13 \"<exception cref=\\\"\" \"\\\">\" \"</exception>\"\n");
}

TEST(DocParse, XmlNestingCommentsQuotesAndSelfClosing) {
  constexpr std::string_view text =
      "  <summary>Gets the <see cref=\"List{T}\"/> of items &lt;= max.</summary>\r\n"
      "  <!-- <param name=\"old\">gone</param> -->\r\n"
      "  <typeparam name=\"T\">The item type.</typeparam>\r\n"
      "  <param name='items'>The <para>nested <para>paras</para></para>\r\n"
      "  end.</param>\r\n"
      "  <inheritdoc/>";
  EXPECT_EQ(Describe("csharp", text),
            "xml\n"
            "other \"summary\" 0-0\n"
            "other \"typeparam\" 2-2\n"
            "params \"param\" 3-4\n"
            "  items 3-4 \"  <param name='\" \"'>\" \"</param>\"\n"
            "other \"inheritdoc\" 5-5\n");
}

TEST(DocParse, XmlProse) {
  EXPECT_EQ(Describe("csharp", "Gets the value when a < b and c > d."), "prose\n");
}

constexpr std::string_view kRust =
    "Parses a duration.\n"
    "\n"
    "# Arguments\n"
    "\n"
    "* `s` - The text to parse,\n"
    "  with its unit.\n"
    "- `strict`: Whether to reject spaces.\n"
    "* fallback - Used when empty.\n"
    "\n"
    "# Errors\n"
    "\n"
    "Returns `ParseError::MissingUnit` when there is no unit.\n"
    "\n"
    "## Details\n"
    "\n"
    "More.\n"
    "\n"
    "# Examples\n"
    "\n"
    "```\n"
    "# use foo::parse;\n"
    "# fn main() {\n"
    "let d = parse(\"5m\");\n"
    "# }\n"
    "```\n"
    "\n"
    "# Panics\n"
    "\n"
    "Panics if `len` is zero.";

TEST(DocParse, MarkdownSectionsListsAndFences) {
  EXPECT_EQ(Describe("rust", kRust),
            "markdown\n"
            "params \"# Arguments\" 2-7 heading\n"
            "  s 4-5 \"* `\" \"` - \" \"\"\n"
            "  strict 6-6 \"- `\" \"`: \" \"\"\n"
            "  fallback 7-7 \"* \" \" - \" \"\"\n"
            "errors \"# Errors\" 9-15 heading\n"
            "other \"## Details\" 13-15 heading\n"
            "other \"# Examples\" 17-24 heading\n"
            "panics \"# Panics\" 26-28 heading\n");
}

TEST(DocParse, MarkdownRemoveErrors) {
  DocStructure doc = ParseDoc(languages::LanguageNamed("rust"), kRust);
  ASSERT_EQ(doc.sections[1].kind, SectionKind::kErrors);
  std::string out = RemoveLines(doc, {{doc.sections[1].first_line, doc.sections[1].last_line}});
  EXPECT_NE(out.find("* fallback - Used when empty.\n\n# Examples\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("Details"), std::string::npos);
}

TEST(DocParse, MarkdownTemplateExamplesTildeFencesAndCrlf) {
  EXPECT_EQ(Describe("rust",
                     "Returns `i`, or the last valid index when `i` is past the end of a slice of length `len`.\r\n"
                     "\r\n"
                     "# Panics\r\n"
                     "\r\n"
                     "Panics if `len` is zero.\r\n"),
            "markdown\n"
            "panics \"# Panics\" 2-4 heading\n");
  EXPECT_EQ(Describe("rust",
                     "Runs it.\n\n~~~~text\n# Errors\n```\n# Safety\n~~~~\n   ### Safety ###\n\nThe caller checks.\n"
                     "    # Not a heading (indented code)"),
            "markdown\n"
            "other \"### Safety ###\" 7-10 heading\n");
}

TEST(DocParse, MarkdownProse) {
  for (std::string_view text : {"Returns the errors found, if any.\n\nPanics never; see #42.",
                                "A token.\n\n#Errors is not a heading.", "Runs.\n\n```\n# Errors\n```"}) {
    EXPECT_EQ(Describe("rust", text), "prose\n") << text;
  }
}

}  // namespace
}  // namespace scale::consistency
