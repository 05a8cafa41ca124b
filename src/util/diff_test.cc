// Tests of UnifiedDiff: exact `diff -u` format on typical comment edits, and a property test that
// applying the hunks to the old text always gives the new text.
#include "util/diff.h"

#include <gtest/gtest.h>

#include <random>
#include <sstream>
#include <vector>

namespace scale {
namespace {

TEST(DiffTest, EqualTextsGiveNothing) { EXPECT_EQ(UnifiedDiff("a\nb\n", "a\nb\n", "x", "y"), ""); }

TEST(DiffTest, InsertedDocstringLikeDiffU) {
  std::string a = "import os\n\n\ndef f(x):\n    return x\n\n\ndef g():\n    pass\n";
  std::string b = "import os\n\n\ndef f(x):\n    \"\"\"Doc.\"\"\"\n    return x\n\n\ndef g():\n    pass\n";
  // What GNU diff -u prints (timestamps aside).
  EXPECT_EQ(UnifiedDiff(a, b, "f.py", "f.py"),
            "--- f.py\n+++ f.py\n"
            "@@ -2,6 +2,7 @@\n"
            " \n \n def f(x):\n+    \"\"\"Doc.\"\"\"\n     return x\n \n \n");
}

TEST(DiffTest, SeparateAndMergedHunks) {
  std::string a, b;
  for (int i = 1; i <= 20; ++i) {
    a += "l" + std::to_string(i) + "\n";
    b += (i == 3 || i == 16 ? "X" : "l") + std::to_string(i) + "\n";
  }
  EXPECT_EQ(UnifiedDiff(a, b, "a", "b"),
            "--- a\n+++ b\n@@ -1,6 +1,6 @@\n l1\n l2\n-l3\n+X3\n l4\n l5\n l6\n"
            "@@ -13,7 +13,7 @@\n l13\n l14\n l15\n-l16\n+X16\n l17\n l18\n l19\n");
  // Changes 6 equal lines apart (2 * context) share one hunk.
  std::string d;
  for (int i = 1; i <= 20; ++i) d += (i == 5 || i == 12 ? "X" : "l") + std::to_string(i) + "\n";
  std::string diff = UnifiedDiff(a, d, "a", "b");
  EXPECT_NE(diff.find("@@ -2,14 +2,14 @@\n"), std::string::npos) << diff;
  EXPECT_EQ(diff.find("@@ -2,14 +2,14 @@\n"), diff.rfind("@@ -")) << diff;  // the only hunk
}

TEST(DiffTest, MissingFinalNewlineIsMarked) {
  EXPECT_EQ(UnifiedDiff("a\nb", "a\nb\n", "x", "y"),
            "--- x\n+++ y\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
  EXPECT_EQ(UnifiedDiff("", "a\n", "x", "y"), "--- x\n+++ y\n@@ -0,0 +1 @@\n+a\n");
}

std::vector<std::string> SplitKeepingNewlines(const std::string& text) {
  std::vector<std::string> lines;
  size_t s = 0;
  while (s < text.size()) {
    size_t nl = text.find('\n', s);
    size_t e = nl == std::string::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(s, e - s));
    s = e;
  }
  return lines;
}

// Applies a diff made by UnifiedDiff to `old_text`, checking every context and removed line.
std::string Apply(const std::string& old_text, const std::string& diff) {
  std::vector<std::string> old_lines = SplitKeepingNewlines(old_text);
  std::vector<std::string> d = SplitKeepingNewlines(diff);
  std::string out;
  size_t pos = 0;
  for (size_t i = 2; i < d.size(); ++i) {
    const std::string& line = d[i];
    if (line.rfind("@@ -", 0) == 0) {
      size_t start = std::stoul(line.substr(4));
      size_t comma = line.find(',', 4), space = line.find(' ', 4);
      size_t count = comma < space ? std::stoul(line.substr(comma + 1)) : 1;
      size_t first = count == 0 ? start : start - 1;
      while (pos < first) out += old_lines.at(pos++);
      continue;
    }
    std::string text = line.substr(1);
    if (i + 1 < d.size() && d[i + 1] == "\\ No newline at end of file\n") text.pop_back();
    if (line[0] == '\\') continue;
    if (line[0] != '+') {
      EXPECT_EQ(old_lines.at(pos++), text);
    }
    if (line[0] != '-') out += text;
  }
  while (pos < old_lines.size()) out += old_lines[pos++];
  return out;
}

TEST(DiffTest, ApplyingTheDiffGivesTheNewText) {
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    auto make = [&](int n) {
      std::string s;
      for (int i = 0; i < n; ++i) s += std::string(1, static_cast<char>('a' + rng() % 4)) + "\n";
      if (rng() % 3 == 0 && !s.empty()) s.pop_back();
      return s;
    };
    std::string a = make(static_cast<int>(rng() % 30)), b = make(static_cast<int>(rng() % 30));
    std::string d = UnifiedDiff(a, b, "a", "b");
    if (a == b) {
      EXPECT_EQ(d, "");
      continue;
    }
    EXPECT_EQ(Apply(a, d), b) << "round " << round << "\n" << d;
  }
}

}  // namespace
}  // namespace scale
