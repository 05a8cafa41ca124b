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

// The docstring literal as whole lines at r.indent (see RenderComment in language.h).
std::string RenderDocstring(const ParsedFile& file, const Routine& r, std::string_view text);

// THE definition of a Python docstring (language.h, Routine), used by routine finding, the code
// token stream and Verify alike: the first statement of a module, class or def body (`body` is
// the block, or the module node) when it is an expression statement holding only a str constant.
// Returns that statement, or a null node.
TSNode DocstringStatement(TSNode body, std::string_view text);
// Every docstring statement of a Python tree (module, classes, defs), in no particular order.
std::vector<TSNode> DocstringStatements(TSNode root, std::string_view text);
// The string literal (or concatenation) inside a docstring statement: the bytes a patch replaces.
TSNode DocstringValue(TSNode statement);

// Code tokens of a Python tree: comments and docstrings (DocstringStatements) are left out; every
// other string, also a lone one, is code.
void AppendPythonTokens(TSNode root, std::string_view text, bool with_depth, std::vector<std::string>& out);

// Why a docstring (`literal` as written) of routine `routine_name` is data that must not be
// replaced (PLY grammar rule or token regex, doctest examples), or "" when it is documentation.
std::string DocstringDataReason(std::string_view literal, std::string_view routine_name);

// The codec a PEP 263 comment declares (line 1, or line 2 after a blank or comment line 1, as
// CPython's tokenizer reads it), as written; "" when none.
std::string DeclaredEncoding(std::string_view text);
// "utf-8" under any of its spellings ("UTF8", "utf_8", "utf-8-sig"...).
bool IsUtf8EncodingName(std::string_view name);

}  // namespace scale::languages::detail
