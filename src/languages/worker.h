// The per-language halves of language.h (internal to src/languages). language.cc does the
// language-independent work (patching, verifying, views, chunks) and calls these for the rest.
#pragma once

#include <tree_sitter/api.h>

#include <string>
#include <string_view>
#include <vector>

#include "languages/language.h"
#include "languages/ts_util.h"

namespace scale::languages::detail {

// Adds every routine of the tree to `out` with its comment layout (Routine's comment_* fields,
// indent, body_begin, signature, skip_reason). file.text, eol and indent_unit are already set.
void FindPythonRoutines(TSNode root, const ParsedFile& file, Collector& out);
void FindCRoutines(TSNode root, const ParsedFile& file, Collector& out);
void FindJavaScriptRoutines(TSNode root, const ParsedFile& file, Collector& out);

// The docstring literal as whole lines at r.indent (see RenderComment in language.h).
std::string RenderDocstring(const ParsedFile& file, const Routine& r, std::string_view text);

// Code tokens of a Python tree: comments and docstrings (a lone string first in a module, class
// or def body) are left out.
void AppendPythonTokens(TSNode root, std::string_view text, bool with_depth, std::vector<std::string>& out);

}  // namespace scale::languages::detail
