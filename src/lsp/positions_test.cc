// Positions in UTF-16 and UTF-8 units, line endings, clamping, didChange and file URIs.
#include "lsp/positions.h"

#include <gtest/gtest.h>

namespace scale::lsp {
namespace {

// "é" is 2 bytes / 1 UTF-16 unit; "𝄞" (U+1D11E) 4 bytes / 2 units (a surrogate pair).
const std::string kText = "ab\nxé𝄞y\r\nlast";

TEST(PositionsTest, Utf16CountsSurrogatePairsAsTwo) {
  EXPECT_EQ(OffsetOf(kText, {1, 0}, Encoding::kUtf16), 3u);
  EXPECT_EQ(OffsetOf(kText, {1, 2}, Encoding::kUtf16), 6u);   // after "xé"
  EXPECT_EQ(OffsetOf(kText, {1, 4}, Encoding::kUtf16), 10u);  // after "xé𝄞"
  EXPECT_EQ(OffsetOf(kText, {1, 3}, Encoding::kUtf16), 6u);   // inside the pair: its start
  EXPECT_EQ(kText.substr(OffsetOf(kText, {1, 4}, Encoding::kUtf16), 1), "y");
  EXPECT_EQ(OffsetOf(kText, {2, 2}, Encoding::kUtf16), 15u);  // after CRLF
}

TEST(PositionsTest, Utf8CountsBytes) {
  EXPECT_EQ(OffsetOf(kText, {1, 3}, Encoding::kUtf8), 6u);
  EXPECT_EQ(OffsetOf(kText, {1, 7}, Encoding::kUtf8), 10u);
  EXPECT_EQ(OffsetOf(kText, {1, 4}, Encoding::kUtf8), 6u);  // inside "𝄞": its start
}

TEST(PositionsTest, ClampsPastLineEndAndPastLastLine) {
  EXPECT_EQ(OffsetOf(kText, {0, 99}, Encoding::kUtf16), 2u);  // before the "\n"
  EXPECT_EQ(OffsetOf(kText, {1, 99}, Encoding::kUtf16), 11u);  // before the "\r\n"
  EXPECT_EQ(OffsetOf(kText, {9, 0}, Encoding::kUtf16), kText.size());
}

TEST(PositionsTest, RoundTripsEveryCharacterBoundary) {
  for (Encoding e : {Encoding::kUtf16, Encoding::kUtf8}) {
    for (size_t off : {0u, 1u, 2u, 3u, 4u, 6u, 10u, 11u, 13u, 14u, 17u}) {
      EXPECT_EQ(OffsetOf(kText, PositionOf(kText, off, e), e), off) << off;
    }
  }
  EXPECT_EQ(PositionOf(kText, 10, Encoding::kUtf16).character, 4);
  EXPECT_EQ(PositionOf(kText, 10, Encoding::kUtf8).character, 7);
  EXPECT_EQ(PositionOf(kText, 12, Encoding::kUtf16).line, 1);  // between \r and \n: the line's end
}

TEST(PositionsTest, LoneCarriageReturnEndsALine) {
  EXPECT_EQ(OffsetOf("a\rb", {1, 0}, Encoding::kUtf16), 2u);
  EXPECT_EQ(PositionOf("a\rb", 2, Encoding::kUtf16).line, 1);
}

TEST(PositionsTest, ApplyChangeRangedAndWhole) {
  std::string text = "xé𝄞y\n";
  ApplyChange(text, {{"range", {{"start", {{"line", 0}, {"character", 2}}}, {"end", {{"line", 0}, {"character", 4}}}}},
                     {"text", "Z"}},
              Encoding::kUtf16);
  EXPECT_EQ(text, "xéZy\n");
  ApplyChange(text, {{"text", "new"}}, Encoding::kUtf16);
  EXPECT_EQ(text, "new");
  EXPECT_THROW(ApplyChange(text, {{"range", 1}}, Encoding::kUtf16), nlohmann::json::exception);
}

TEST(PositionsTest, FileUris) {
  EXPECT_EQ(UriToPath("file:///home/a%20b/c.py"), "/home/a b/c.py");
  EXPECT_EQ(UriToPath("file://localhost/x/%C3%A9.go"), "/x/é.go");
  EXPECT_EQ(UriToPath("FILE:///c%3A/w/x.c"), "c:/w/x.c");
  EXPECT_EQ(UriToPath("untitled:Untitled-1"), std::nullopt);
}

}  // namespace
}  // namespace scale::lsp
