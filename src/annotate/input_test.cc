// Tests of input selection and the text checks that refuse binary / non-UTF-8 files.
#include "annotate/input.h"

#include <gtest/gtest.h>

#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale::annotate {
namespace {

TEST(InputTest, WalksDirectoriesSortedSkippingJunk) {
  testing::TempDir dir;
  dir.Write("src/b.py", "x = 1\n");
  dir.Write("src/a.c", "int x;\n");
  dir.Write("src/sub/c.js", "let x;\n");
  dir.Write("src/notes.txt", "hi\n");
  dir.Write("src/.hidden/h.py", "\n");
  dir.Write("src/node_modules/m.js", "\n");
  dir.Write("src/build/gen.c", "\n");
  dir.Write("src/build-debug/gen.c", "\n");
  dir.Write("src/__pycache__/x.py", "\n");
  auto files = CollectInputs({dir.file("src")}, std::nullopt);
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(std::filesystem::relative(f.path, dir.path()).string());
  EXPECT_EQ(names, (std::vector<std::string>{"src/a.c", "src/b.py", "src/sub/c.js"}));
  EXPECT_TRUE(files[0].from_directory);
  EXPECT_EQ(files[0].language, languages::Language::kC);
}

TEST(InputTest, ExplicitFilesKeepOrderAndDropDuplicates) {
  testing::TempDir dir;
  std::string b = dir.Write("b.py", ""), a = dir.Write("a.txt", "");
  auto files = CollectInputs({b, a, b}, std::nullopt);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].path, b);
  EXPECT_FALSE(files[1].language.has_value());  // unknown extension: the caller refuses it
  auto forced = CollectInputs({a}, languages::Language::kJavaScript);
  EXPECT_EQ(forced[0].language, languages::Language::kJavaScript);
}

TEST(InputTest, MissingPathIsBadInput) {
  try {
    CollectInputs({"/nonexistent/x.py"}, std::nullopt);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitInput);
  }
}

TEST(InputTest, TextProblems) {
  EXPECT_FALSE(TextProblem("def f():\n    return 'héllo €'\n").has_value());
  EXPECT_EQ(TextProblem(std::string("ab\0cd", 5)), "binary file (NUL byte at offset 2)");
  EXPECT_EQ(TextProblem("ok\xff"), "not valid UTF-8 (bad byte 0xff at offset 2)");
  EXPECT_TRUE(TextProblem("\xc3").has_value());            // truncated sequence
  EXPECT_TRUE(TextProblem("\xc0\xaf").has_value());        // overlong
  EXPECT_TRUE(TextProblem("\xed\xa0\x80").has_value());    // surrogate
  EXPECT_FALSE(TextProblem("\xef\xbb\xbfx = 1\n").has_value());  // BOM is fine
}

TEST(InputTest, SkippedDirectoryNames) {
  for (const char* name : {".git", ".venv", "node_modules", "build", "build-annotate", "cmake-build-debug", "dist"}) {
    EXPECT_TRUE(IsSkippedDirectory(name)) << name;
  }
  for (const char* name : {"src", "builder", "lib"}) EXPECT_FALSE(IsSkippedDirectory(name)) << name;
}

}  // namespace
}  // namespace scale::annotate
