#include "lsp/doc_edits.h"

#include <algorithm>

namespace scale::lsp {

std::optional<int> RoutineAt(const languages::ParsedFile& file, size_t offset) {
  std::optional<int> best;
  for (const auto& r : file.routines) {
    const size_t begin = std::min(r.start_byte, r.has_comment ? r.comment_begin : r.start_byte);
    // end_byte is one past the routine: a cursor right after its last byte still means it.
    if (offset < begin || offset > r.end_byte) continue;
    if (!languages::Patchable(r)) continue;
    // Deeper wins; routines are in source order, so among equals the later (nested) one wins too.
    if (!best || r.depth >= file.routines[*best].depth) best = r.id;
  }
  return best;
}

std::optional<LineEdit> MinimalLineEdit(const std::string& original, const std::string& output) {
  if (original == output) return std::nullopt;
  const size_t shorter = std::min(original.size(), output.size());
  size_t prefix = 0;
  while (prefix < shorter && original[prefix] == output[prefix]) ++prefix;
  // A line starts after "\n", or after a "\r" that is not the first half of a CRLF.
  auto line_start = [&](size_t i) {
    return i == 0 || i == original.size() || original[i - 1] == '\n' ||
           (original[i - 1] == '\r' && original[i] != '\n');
  };
  while (!line_start(prefix)) --prefix;
  // The common suffix after that prefix (measured after moving the prefix back, so the two never
  // overlap and the lines the prefix gave back can still be common), then forward to a line start.
  size_t suffix = 0;
  while (suffix < shorter - prefix &&
         original[original.size() - 1 - suffix] == output[output.size() - 1 - suffix]) {
    ++suffix;
  }
  size_t end = std::max(prefix, original.size() - suffix);
  while (!line_start(end)) ++end;
  suffix = original.size() - end;
  LineEdit edit;
  edit.begin = prefix;
  edit.end = end;
  edit.text = output.substr(prefix, output.size() - suffix - prefix);
  return edit;
}

nlohmann::json TextEditJson(const std::string& original, const LineEdit& edit, Encoding encoding) {
  return {{"range", {{"start", ToJson(PositionOf(original, edit.begin, encoding))},
                     {"end", ToJson(PositionOf(original, edit.end, encoding))}}},
          {"newText", edit.text}};
}

}  // namespace scale::lsp
