// Tests of answer sanitising: what small models really wrap their comments in.
#include "annotate/sanitize.h"

#include <gtest/gtest.h>

namespace scale::annotate {
namespace {

using languages::LanguageNamed;

using languages::Language;

std::string Clean(std::string_view answer, Language language = LanguageNamed("python"), bool truncated = false) {
  CleanComment c = SanitizeComment(answer, language, "def add(a, b):", truncated);
  return c.ok ? c.text : "REJECTED: " + c.problem;
}

TEST(SanitizeTest, PlainTextIsKeptAndTrimmed) {
  EXPECT_EQ(Clean("  Return the sum.  \n\nArgs:\n    a: First.   \n    b: Second.\n\n"),
            "Return the sum.\n\nArgs:\n    a: First.\n    b: Second.");
}

TEST(SanitizeTest, StripsFencesAndPreamble) {
  EXPECT_EQ(Clean("Here is the docstring:\n```python\n\"\"\"Return the sum.\"\"\"\n```\n"), "Return the sum.");
  EXPECT_EQ(Clean("```\nReturn the sum.\n```"), "Return the sum.");
  EXPECT_EQ(Clean("Sure! Here's the updated comment: Return the sum."), "Return the sum.");
}

TEST(SanitizeTest, StripsLabels) {
  EXPECT_EQ(Clean("Docstring: Return the sum."), "Return the sum.");
  EXPECT_EQ(Clean("**Updated docstring:**\nReturn the sum."), "Return the sum.");
  EXPECT_EQ(Clean("Comment:\nReturn the sum."), "Return the sum.");
  // Prose that merely starts with a label word stays.
  EXPECT_EQ(Clean("Comment out lines that match the pattern."), "Comment out lines that match the pattern.");
}

TEST(SanitizeTest, StripsPythonDelimiters) {
  EXPECT_EQ(Clean("\"\"\"Return the sum.\n\n    Args:\n        a: First.\n    \"\"\""),
            "Return the sum.\n\nArgs:\n    a: First.");
  EXPECT_EQ(Clean("r'''Raw doc.'''"), "Raw doc.");
  EXPECT_EQ(Clean("# Return the sum.\n# Second line."), "Return the sum.\nSecond line.");
}

TEST(SanitizeTest, StripsBlockAndLineCommentDelimiters) {
  EXPECT_EQ(Clean("/**\n * Returns the sum.\n *\n * @param a First.\n */", LanguageNamed("c")),
            "Returns the sum.\n\n@param a First.");
  EXPECT_EQ(Clean("/* Returns the sum. */", LanguageNamed("c")), "Returns the sum.");
  EXPECT_EQ(Clean("// Returns the sum.\n// @param a First.", LanguageNamed("javascript")), "Returns the sum.\n@param a First.");
}

TEST(SanitizeTest, StripsSurroundingQuotes) {
  EXPECT_EQ(Clean("\"Return the sum.\""), "Return the sum.");
  EXPECT_EQ(Clean("'Return the sum.'"), "Return the sum.");
  EXPECT_EQ(Clean("\" said the box."), "said the box.");
  EXPECT_EQ(Clean("Return the sum.\""), "Return the sum.");
  // Quotes inside are content.
  EXPECT_EQ(Clean("\"a\" and \"b\" are joined."), "\"a\" and \"b\" are joined.");
}

TEST(SanitizeTest, CutsFewShotContinuation) {
  EXPECT_EQ(Clean("Return the sum.\n\nEXAMPLE 4 (trivial)\nRoutine:\n    def f(): pass"), "Return the sum.");
}

TEST(SanitizeTest, RejectsEmptyAnswers) {
  EXPECT_EQ(Clean(""), "REJECTED: empty answer");
  EXPECT_EQ(Clean("   \n\n"), "REJECTED: empty answer");
  EXPECT_EQ(Clean("\"\"\"\"\"\""), "REJECTED: empty answer");
  EXPECT_EQ(Clean("```\n```"), "REJECTED: empty answer");
}

TEST(SanitizeTest, RejectsCode) {
  EXPECT_EQ(Clean("def add(a, b):\n    return a + b"), "REJECTED: answer repeats the routine's code");
  EXPECT_EQ(Clean("x = compute()\nreturn x + 1"), "REJECTED: answer is code, not a comment");
  EXPECT_EQ(Clean("int total = a + b;\nreturn total;", LanguageNamed("c")), "REJECTED: answer is code, not a comment");
  EXPECT_EQ(Clean("function sum(a, b) {\n  return a + b;\n}", LanguageNamed("javascript")),
            "REJECTED: answer is code, not a comment");
}

TEST(SanitizeTest, ProseWithAnExampleIsNotCode) {
  std::string doc = "Return the sum of a and b.\n\nExample:\n    >>> add(1, 2)\n    3";
  EXPECT_EQ(Clean(doc), doc);
  EXPECT_FALSE(LooksLikeCode("Returns the larger of two integers.\n\n@param a The first value.", LanguageNamed("c")));
  EXPECT_FALSE(LooksLikeCode("Return True if n is even.\n\nReturns:\n    True when n is even.", LanguageNamed("python")));
}

TEST(SanitizeTest, TruncatedAnswersEndAtTheLastSentence) {
  EXPECT_EQ(Clean("Return the sum. Both values must be num", LanguageNamed("python"), true), "Return the sum.");
  // Nothing complete: keep what there is rather than nothing.
  EXPECT_EQ(Clean("Return the sum of", LanguageNamed("python"), true), "Return the sum of");
}

TEST(SanitizeTest, ProseCleanup) {
  EXPECT_EQ(SanitizeProse("Summary: This file parses configs.\n"), "This file parses configs.");
  EXPECT_EQ(SanitizeProse("```\n```"), "");
}

// Item 12: libstdc++'s std::regex recursed once per character of the first line and a 50K-char
// line starting with "Sure" overflowed the stack. Every shape of long line must be handled.
TEST(SanitizeTest, HugeLinesDoNotCrashTheRegexes) {
  for (std::string head : {"Sure", "Docstring: ", "\"\"\"", "def f(", "if x:", "x = ", "Here is "}) {
    std::string line = head + std::string(50000, 'a');
    for (auto lang : {LanguageNamed("python"), LanguageNamed("c"), LanguageNamed("javascript")}) {
      CleanComment c = SanitizeComment(line, lang, "def f():", false);
      (void)c;
      (void)LooksLikeCode(line + "\n" + line, lang);
    }
    EXPECT_FALSE(SanitizeProse(line).empty()) << head;
  }
  // Short lines are judged as before.
  EXPECT_EQ(SanitizeProse("Sure! Here is the summary: It parses configs."), "It parses configs.");
}

}  // namespace
}  // namespace scale::annotate
