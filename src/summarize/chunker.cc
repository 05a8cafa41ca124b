#include "summarize/chunker.h"

#include <algorithm>
#include <utility>

#include "languages/language.h"
#include "util/error.h"
#include "util/log.h"

namespace scale::summarize {
namespace {

// Byte offset where each line starts, plus one past the end.
std::vector<size_t> LineStarts(const std::string& text) {
  std::vector<size_t> starts{0};
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && i + 1 < text.size()) starts.push_back(i + 1);
  }
  starts.push_back(text.size());
  return starts;
}

std::vector<Chunk> FromRanges(const std::string& text, const std::vector<std::pair<int, int>>& ranges) {
  std::vector<size_t> starts = LineStarts(text);
  const int lines = static_cast<int>(starts.size()) - 1;
  std::vector<Chunk> chunks;
  for (auto [first, last] : ranges) {
    first = std::clamp(first, 1, lines);
    last = std::clamp(last, first, lines);
    chunks.push_back({first, last, text.substr(starts[first - 1], starts[last] - starts[first - 1])});
  }
  return chunks;
}

}  // namespace

std::vector<Chunk> LineChunks(const std::string& text, int chunk_lines) {
  if (text.empty()) return {};
  chunk_lines = std::max(1, chunk_lines);
  const int lines = static_cast<int>(LineStarts(text).size()) - 1;
  std::vector<std::pair<int, int>> ranges;
  for (int a = 1; a <= lines; a += chunk_lines) ranges.emplace_back(a, std::min(lines, a + chunk_lines - 1));
  return FromRanges(text, ranges);
}

std::vector<Chunk> ChunkFile(const std::string& rel, const std::string& text, int chunk_lines) {
  if (text.empty()) return {};
  std::optional<languages::Language> language = languages::LanguageForPath(rel);
  if (!language) return LineChunks(text, chunk_lines);
  try {
    languages::ParsedFile parsed = languages::Parse(*language, text);
    std::vector<std::pair<int, int>> ranges = languages::SyntacticChunks(parsed, std::max(1, chunk_lines));
    if (!ranges.empty()) return FromRanges(text, ranges);
  } catch (const Error& e) {
    LogVerbose(rel + ": " + e.what() + "; chunking by lines");
  }
  return LineChunks(text, chunk_lines);
}

}  // namespace scale::summarize
