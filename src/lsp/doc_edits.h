// The pure half of the code actions: which routine the cursor is on, and the smallest whole-line
// edit that turns a buffer into the annotator's verified output. No model, no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "languages/language.h"
#include "lsp/positions.h"

namespace scale::lsp {

// The innermost routine whose code or doc comment contains byte `offset` (a cursor on a routine's
// comment means that routine), or nullopt. Routines scale cannot comment (Patchable() false) are
// never returned: offering an action that can only fail would be noise.
std::optional<int> RoutineAt(const languages::ParsedFile& file, size_t offset);

// Bytes [begin, end) of the original replaced by `text`.
struct LineEdit {
  size_t begin = 0;
  size_t end = 0;
  std::string text;
};
// The one edit from `original` to `output` covering whole lines (its ends are line starts or the
// end of the text), so it never splits a character or a CRLF; nullopt when they are equal.
std::optional<LineEdit> MinimalLineEdit(const std::string& original, const std::string& output);

// The edit as an LSP TextEdit ({range, newText}) on `original`.
nlohmann::json TextEditJson(const std::string& original, const LineEdit& edit, Encoding encoding);

}  // namespace scale::lsp
