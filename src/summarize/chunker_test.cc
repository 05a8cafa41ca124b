// Chunking through the real tree-sitter grammars (languages::SyntacticChunks), and line windows
// for files without one. No model.
#include "summarize/chunker.h"

#include <gtest/gtest.h>

namespace scale::summarize {
namespace {

std::string Joined(const std::vector<Chunk>& chunks) {
  std::string out;
  for (const Chunk& c : chunks) out += c.text;
  return out;
}

TEST(ChunkerTest, PythonChunksEndAtFunctionBoundariesAndCoverTheFile) {
  std::string text;
  for (int f = 0; f < 6; ++f) {
    text += "def f" + std::to_string(f) + "(x):\n";
    for (int i = 0; i < 8; ++i) text += "    x = x + " + std::to_string(i) + "\n";
    text += "    return x\n\n";
  }
  std::vector<Chunk> chunks = ChunkFile("m.py", text, 25);
  ASSERT_GE(chunks.size(), 3u);
  EXPECT_EQ(Joined(chunks), text);  // every byte exactly once, in order
  int expected_start = 1;
  for (const Chunk& c : chunks) {
    EXPECT_EQ(c.start_line, expected_start);
    EXPECT_LE(c.end_line - c.start_line + 1, 25);
    // Each chunk starts at a def: no function is cut in two at this size.
    EXPECT_EQ(c.text.rfind("def ", 0), 0u) << c.text;
    expected_start = c.end_line + 1;
  }
}

TEST(ChunkerTest, FilesWithoutGrammarUseLineWindows) {
  std::string text;
  for (int i = 1; i <= 10; ++i) text += "line " + std::to_string(i) + "\n";
  std::vector<Chunk> chunks = ChunkFile("notes.txt", text, 4);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].start_line, 1);
  EXPECT_EQ(chunks[0].end_line, 4);
  EXPECT_EQ(chunks[2].start_line, 9);
  EXPECT_EQ(chunks[2].end_line, 10);
  EXPECT_EQ(chunks[2].text, "line 9\nline 10\n");
  EXPECT_EQ(Joined(chunks), text);
  // No trailing newline: the last line still counts.
  EXPECT_EQ(LineChunks("a\nb", 1).size(), 2u);
  EXPECT_TRUE(ChunkFile("e.py", "", 10).empty());
}

TEST(ChunkerTest, CAndBrokenSyntaxStillCoverEveryLine) {
  std::string c = "int a(void) {\n  return 1;\n}\n\nint b(void) {\n  return 2;\n}\n";
  std::vector<Chunk> chunks = ChunkFile("x.c", c, 4);
  EXPECT_EQ(Joined(chunks), c);
  EXPECT_EQ(chunks.front().end_line, 4);
  std::string broken = "def f(:\n  ((( \nx = [\n";
  EXPECT_EQ(Joined(ChunkFile("b.py", broken, 2)), broken);
}

}  // namespace
}  // namespace scale::summarize
