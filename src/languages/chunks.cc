// SyntacticChunks: line ranges for the summarizer that end at syntax boundaries where possible.
#include <algorithm>

#include "languages/language.h"
#include "languages/ts_util.h"

namespace scale::languages {

using namespace detail;

namespace {

struct Splitter {
  int max_lines;
  std::vector<std::pair<int, int>> pieces;

  static bool Overlaps(TSNode n, int first, int last) { return StartLine(n) <= last && EndLine(n) >= first; }

  void Windows(int first, int last) {
    for (int a = first; a <= last; a += max_lines) pieces.emplace_back(a, std::min(last, a + max_lines - 1));
  }

  // Cuts [first, last] into pieces of at most max_lines, preferring cuts where one of `nodes`
  // starts, then where one of their children starts, and only then anywhere.
  void Split(int first, int last, const std::vector<TSNode>& nodes, int depth) {
    if (last - first + 1 <= max_lines) {
      pieces.emplace_back(first, last);
      return;
    }
    std::vector<int> cuts{first};
    for (TSNode n : nodes) {
      int line = StartLine(n);
      if (line > first && line <= last) cuts.push_back(line);
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    if (cuts.size() == 1) {
      std::vector<TSNode> kids;
      for (TSNode n : nodes) {
        if (!Overlaps(n, first, last)) continue;
        for (TSNode k : NamedChildren(n)) {
          if (Overlaps(k, first, last)) kids.push_back(k);
        }
      }
      if (kids.empty() || depth > 64) Windows(first, last);
      else Split(first, last, kids, depth + 1);
      return;
    }
    cuts.push_back(last + 1);
    for (size_t i = 0; i + 1 < cuts.size(); ++i) {
      int a = cuts[i], b = cuts[i + 1] - 1;
      std::vector<TSNode> inside;
      for (TSNode n : nodes) {
        if (Overlaps(n, a, b)) inside.push_back(n);
      }
      Split(a, b, inside, depth);
    }
  }
};

}  // namespace

std::vector<std::pair<int, int>> SyntacticChunks(const ParsedFile& file, int max_lines) {
  const std::string& text = file.text;
  if (text.empty()) return {};
  int total = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + (text.back() == '\n' ? 0 : 1);
  ParseOptions options;
  options.max_bytes = std::max(options.max_bytes, text.size());
  options.c_header = file.c_header;
  options.macros = file.macros;
  TreePtr tree = ParsePrepared(file.language, text, options);
  Splitter splitter{std::max(1, max_lines), {}};
  splitter.Split(1, total, NamedChildren(ts_tree_root_node(tree.get())), 0);
  // Greedy packing of consecutive pieces into chunks of at most max_lines.
  std::vector<std::pair<int, int>> chunks;
  for (auto [a, b] : splitter.pieces) {
    if (!chunks.empty() && b - chunks.back().first + 1 <= splitter.max_lines) chunks.back().second = b;
    else chunks.emplace_back(a, b);
  }
  return chunks;
}

}  // namespace scale::languages
