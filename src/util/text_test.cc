#include "util/text.h"

#include <gtest/gtest.h>

namespace scale {
namespace {

using Views = std::vector<std::string_view>;
using Strings = std::vector<std::string>;

TEST(SplitLines, EmptyTextHasNoLines) {
  EXPECT_TRUE(SplitLines("").empty());
  EXPECT_TRUE(SplitLineViews("").empty());
}

TEST(SplitLines, FinalNewlineEndsTheLastLineInsteadOfStartingOne) {
  EXPECT_EQ(SplitLines("a\n"), Strings({"a"}));
  EXPECT_EQ(SplitLines("a"), Strings({"a"}));
  EXPECT_EQ(SplitLines("a\nb"), Strings({"a", "b"}));
  EXPECT_EQ(SplitLines("a\nb\n"), Strings({"a", "b"}));
}

TEST(SplitLines, BlankLinesAreKept) {
  EXPECT_EQ(SplitLines("\n"), Strings({""}));
  EXPECT_EQ(SplitLines("\n\n"), Strings({"", ""}));
  EXPECT_EQ(SplitLines("a\n\nb\n\n"), Strings({"a", "", "b", ""}));
}

TEST(SplitLines, CrlfLosesTheCrUnlessKept) {
  EXPECT_EQ(SplitLines("a\r\nb\r\n"), Strings({"a", "b"}));
  EXPECT_EQ(SplitLines("a\r\nb\r"), Strings({"a", "b"}));
  EXPECT_EQ(SplitLines("a\r\nb\r\n", Cr::kKeep), Strings({"a\r", "b\r"}));
  // Only one '\r' belongs to the line end; a lone '\r' inside a line is text.
  EXPECT_EQ(SplitLines("a\rb\r\r\n"), Strings({"a\rb\r"}));
}

TEST(SplitLines, ViewsPointIntoTheText) {
  std::string text = "one\ntwo";
  Views lines = SplitLineViews(text);
  ASSERT_EQ(lines, Views({"one", "two"}));
  EXPECT_EQ(lines[1].data(), text.data() + 4);
}

TEST(SplitLines, Utf8IsUntouched) {
  EXPECT_EQ(SplitLines("h\xC3\xA9llo\n\xE2\x80\xA8x"), Strings({"h\xC3\xA9llo", "\xE2\x80\xA8x"}));
}

TEST(Trim, RemovesAsciiWhitespaceAtBothEnds) {
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim(" \t\r\n\f\v"), "");
  EXPECT_EQ(Trim("  a b \r\n"), "a b");
  EXPECT_EQ(Trim("\fa\v"), "a");
  EXPECT_EQ(Trim("x"), "x");
  EXPECT_EQ(TrimView("  in  "), "in");
}

TEST(Trim, LeavesUtf8AndNonBreakingSpacesAlone) {
  // U+00A0 and U+3000 are whitespace to Unicode but their bytes are not ASCII: kept.
  EXPECT_EQ(Trim("\xC2\xA0x\xC2\xA0"), "\xC2\xA0x\xC2\xA0");
  EXPECT_EQ(Trim(" \xE3\x80\x80 "), "\xE3\x80\x80");
  EXPECT_EQ(Trim(" h\xC3\xA9 "), "h\xC3\xA9");
}

TEST(IsBlank, EmptyAndWhitespaceOnly) {
  EXPECT_TRUE(IsBlank(""));
  EXPECT_TRUE(IsBlank(" \t\r\n"));
  EXPECT_FALSE(IsBlank(" a "));
  EXPECT_FALSE(IsBlank("\xC2\xA0"));
}

TEST(Join, PutsTheSeparatorBetweenParts) {
  EXPECT_EQ(Join({}, ", "), "");
  EXPECT_EQ(Join({"a"}, ", "), "a");
  EXPECT_EQ(Join({"a", "", "b"}, ", "), "a, , b");
}

TEST(ReplaceAll, ReplacesLeftToRightWithoutRescanning) {
  EXPECT_EQ(ReplaceAll("it's", "'", "'\\''"), "it'\\''s");
  EXPECT_EQ(ReplaceAll("aaa", "aa", "a"), "aa");  // the replacement is not scanned again
  EXPECT_EQ(ReplaceAll("x-\ny", "-\n", ""), "xy");
  EXPECT_EQ(ReplaceAll("abc", "", "z"), "abc");  // an empty pattern replaces nothing
}

}  // namespace
}  // namespace scale
