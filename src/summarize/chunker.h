// Cuts a file into the pieces the model summarises one at a time: at top-level syntax boundaries
// for languages with a grammar (languages::SyntacticChunks), else in windows of chunk_lines lines.
// Every line of the file is in exactly one chunk; chunks are in file order.
#pragma once

#include <string>
#include <vector>

namespace scale::summarize {

struct Chunk {
  int start_line = 0;  // 1-based, inclusive
  int end_line = 0;
  std::string text;    // those lines, with their line endings
};

// `rel` picks the language by extension. A file the parser gives up on falls back to windows.
std::vector<Chunk> ChunkFile(const std::string& rel, const std::string& text, int chunk_lines);

// Windows of `chunk_lines` lines (the fallback), exposed for tests.
std::vector<Chunk> LineChunks(const std::string& text, int chunk_lines);

}  // namespace scale::summarize
