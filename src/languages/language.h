// Language workers: everything scale knows about a programming language's syntax, on top of
// tree-sitter. Finds routines (functions, methods, classes, ...), shows a routine to the model,
// renders comment TEXT into the language's comment syntax, patches it into the file touching only
// comment bytes, and proves afterwards that the code is unchanged.
//
// Nothing here talks to a model. Text is UTF-8 bytes; offsets are byte offsets; lines are 1-based.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scale::languages {

enum class Language { kPython, kC, kJavaScript };

const char* LanguageName(Language language);                     // "python", "c", "javascript"
std::optional<Language> ParseLanguageName(std::string_view name);  // also "py", "js", "h"
std::optional<Language> LanguageForPath(const std::filesystem::path& path);  // by extension

struct Routine {
  int id = 0;                 // index in ParsedFile::routines
  int parent = -1;            // enclosing routine, -1 at top level
  std::vector<int> children;  // directly nested routines, in source order
  int depth = 0;              // 0 for top level
  std::string kind;           // "function", "method", "class", "struct", "enum", "typedef", "prototype", ...
  std::string name;           // e.g. "bar"
  std::string qualified_name; // e.g. "Foo.bar" (what --only matches, with name)
  size_t start_byte = 0;      // first byte of the routine incl. decorators / export keyword
  size_t end_byte = 0;        // one past its last byte
  int start_line = 0;
  int end_line = 0;
  std::string signature;      // decorators + header up to the body (e.g. "def f(a, b=1) -> int:")
  bool has_comment = false;   // an existing docstring / leading block comment / run of // lines
  std::string existing_comment;  // its text with comment syntax removed (for the model to update)
  bool in_error_region = false;  // overlaps a syntax error: never patched, reported as skipped
};

struct ParsedFile {
  Language language = Language::kPython;
  std::string text;               // the original bytes
  std::vector<Routine> routines;  // in source order of start_byte
  bool has_syntax_errors = false;
  std::vector<std::pair<int, int>> error_lines;  // [first, last] line ranges of syntax errors
};

// Parses `text`. Never throws for syntax errors (they are marked); throws scale::Error(kExitInput)
// if the parser gives up (e.g. time limit on pathological input).
ParsedFile Parse(Language language, std::string text);

// Routine ids ordered innermost first: every routine comes after all of its descendants; ties in
// source order. This is the order comments are generated in.
std::vector<int> InnermostFirst(const ParsedFile& file);

// What the model is shown for routine `id`: its own code (decorators, signature, existing comment,
// body), where each direct child is reduced to its signature plus its comment from `new_comments`
// (else its existing one) and grandchildren are dropped. For a class: attributes + methods'
// signatures and comments. Indentation is kept relative to the routine.
std::string RoutineView(const ParsedFile& file, int id, const std::map<int, std::string>& new_comments);

// Renders comment TEXT (plain prose, no comment syntax) for routine `id` in the language's style,
// at the routine's indentation, using the file's indent unit (tabs vs spaces) and line ending
// (LF/CRLF); escapes anything that would end the comment early ('"""' in Python, '*/' in C/JS).
std::string RenderComment(const ParsedFile& file, int id, std::string_view text);

// Returns the file with each routine in `comments` (id -> comment text) given that comment:
// replacing its existing docstring / leading comment, or inserting one. Every byte outside the
// replaced comment ranges is kept (BOM, encoding lines, CRLF, trailing spaces, other comments).
std::string ApplyComments(const ParsedFile& file, const std::map<int, std::string>& comments);

// The proof. Parses `patched` and checks: it has no more syntax errors than the original, its
// non-comment token stream equals the original's, and each routine in `patched_ids` (by original
// id) now has exactly one comment in the right place. `problem` says what failed.
struct Verification {
  bool ok = false;
  std::string problem;
};
Verification Verify(const ParsedFile& original, const std::string& patched, const std::vector<int>& patched_ids);

// Non-comment leaf tokens (type + text) of a parse: the code identity used by Verify, exposed for
// tests and the round-trip property test. Python docstrings count as comments.
std::vector<std::string> CodeTokens(Language language, std::string_view text);

// Splits a file into chunks of at most max_lines lines at top-level syntactic boundaries (a single
// top-level node longer than max_lines is split at its own children, then at line windows).
// Returns 1-based inclusive [first, last] line ranges covering every line of the file.
std::vector<std::pair<int, int>> SyntacticChunks(const ParsedFile& file, int max_lines);

}  // namespace scale::languages
