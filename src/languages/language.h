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

#include "languages/facts.h"

namespace scale::languages {

namespace detail {
struct LanguageSpec;  // languages/spec.h: what one src/languages/<name>.cc provides
}

// A language scale knows (one of registry.cc's table). A small value: compare, copy, use as a key.
class Language {
 public:
  Language();  // Python, the first registered language
  explicit Language(const detail::LanguageSpec& spec) : spec_(&spec) {}
  const detail::LanguageSpec& spec() const { return *spec_; }
  friend bool operator==(Language a, Language b) { return a.spec_ == b.spec_; }
  friend bool operator<(Language a, Language b);  // by name, so that maps iterate the same way everywhere

 private:
  const detail::LanguageSpec* spec_;
};

const char* LanguageName(Language language);                       // "python", "c", "javascript", ...
std::optional<Language> ParseLanguageName(std::string_view name);  // a name or alias ("py", "js", "h")
// The language of a name scale itself knows to be registered (code and tests): throws
// std::invalid_argument for any other.
Language LanguageNamed(std::string_view name);
std::vector<Language> AllLanguages();  // in registry order
std::string LanguageNames();           // "python, c, javascript, ..." for messages
std::optional<Language> LanguageForPath(const std::filesystem::path& path);  // by extension, any case

// What counts as a routine (and where its comment goes):
//  Python: class, def, async def (decorators included); kind "class", "method" (directly in a
//    class) or "function". Comment = docstring, exactly as CPython's ast.get_docstring defines it:
//    the FIRST statement of the body, when it is an expression statement holding only a plain
//    string literal (prefix r/u or none; a concatenation only if every part is plain; parentheses
//    allowed). f-strings, t-strings and bytes are code, never docstrings. A one-line body without
//    a docstring (`def f(): return 1`) is skipped (skip_reason): a docstring would need the code
//    moved to a new line, and we never touch code bytes. A new docstring goes on the line after
//    the header, or after a PEP 484 `# type: (...) -> ...` signature comment right below it.
//    A docstring that is data (ClassifyComment says kData: PLY grammar rules and token regexes,
//    doctest examples) keeps has_comment but gets a skip_reason: it is never replaced. `#`
//    comments (directives included) are never a routine's comment and never touched.
//  C: function definitions (K&R too) and named struct/enum/union definitions at top level, also
//    inside #if/#ifdef and extern "C" {}; in headers (ParseOptions::c_header) also prototypes and
//    typedefs. Comment: see "Which comment is the routine's" below.
//  JavaScript: function/generator/class declarations, functions and classes bound to a name
//    (`const f = () => ...` with a single declarator, `x.y = function`, class fields, object
//    literal members, `export default`), methods incl. static, get/set, #private. The comment
//    goes above the binding statement: above `export`, decorators, `const`, the object key.
//    Unbound function expressions (callbacks) are not routines.
//
//  C++, TypeScript/TSX, Java, Go, Rust, Ruby, C#, PHP, Lua, Bash: docs/languages/<name>.md, one
//    section per language (what is a routine, where its comment goes, what is skipped and why).
//
// Which comment is the routine's (every language but Python; one rule, AttachLeadingComment):
//  - Comments above a declaration form a stack: block comments and runs of // lines, each starting
//    its own line, at most one blank line apart, up to the first code (or two blank lines). A //
//    line that is a directive is a block of its own, never part of a run.
//  - Each block has a CommentRole (ClassifyComment): only kDoc blocks are ever read or replaced;
//    directives, licences and decoration stay byte for byte.
//  - Next-line directives (kNextLineDirective: `// eslint-disable-next-line`, `// NOLINTNEXTLINE`,
//    `// @ts-ignore`, `/* @ngInject */`, ...) directly above stay directly above: the doc comment
//    goes above them. Other directives (`/* eslint-disable */`, `// clang-format off`,
//    `// #region`) are passed over when looking for an existing doc above them, but a new doc goes
//    below them, next to the code. Licence headers (kLicence) stay above the new doc.
//  - The nearest kDoc block is the routine's when it ends on the line right above (after the
//    directives), or - the libyaml layout `/* ... */`, blank line, function - when exactly one
//    blank line separates it from the routine itself and it stands alone: above it a blank line,
//    the start of the file, or a line ending in `{` or `}` (a block opening, the previous
//    function's end); nothing between it and the routine; not a section banner (first or last
//    line of 10+ `*`, `=`, `-`, ...); not in the file's header (before any code: a comment there
//    belongs to the file). A new doc is always inserted with no blank line.
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

  // Added by the language workers. Why a routine can't be commented safely even without syntax
  // errors (e.g. a one-line Python `def f(): return 1` with no docstring: inserting one would
  // reformat code; a JS method sharing its line with other code). Non-empty: never patched.
  std::string skip_reason;
  // Where the comment lives. With has_comment: the existing docstring's string node / the leading
  // comment block's bytes, exactly what ApplyComments replaces. Without: comment_begin ==
  // comment_end == the line start where ApplyComments inserts the rendered comment.
  size_t comment_begin = 0;
  size_t comment_end = 0;
  std::string indent;     // the comment's indentation: Python the body's, C/JS the routine's line
  size_t body_begin = 0;  // first byte of the body (block, braces, arrow body); end_byte if none
  // Plain string statements leading the body (Python: the docstring and any that follow it) / kDoc
  // blocks in the comment stack above (C/JS; a run of // lines counts once). Verify uses it to
  // catch doubled comments.
  int comment_count = 0;
  // What its signature and body say (facts.h), for checking a comment against the code.
  RoutineFacts facts;
};

// What a comment is to scale: the one rule, per language, for "is this documentation?".
enum class CommentRole {
  kDoc,                // documentation: may be a routine's comment (read, and replaced on update)
  kDirective,          // a tool directive for what follows (`/* eslint-disable */`, `// clang-format off`,
                       // `// #region`, `/* global x */`, modelines; Python `# noqa`, `# type:` ...)
  kNextLineDirective,  // a directive for the next line only: must stay directly above the code
  kLicence,            // licence, copyright notice or file overview: belongs to the file
  kData,               // Python: a docstring that programs read (PLY grammar rule / token regex,
                       // doctest examples): never replaced
  kOther,              // decoration only (`/*******/`, `// -----`); every Python `#` comment that is no
                       // directive: never a doc
};
const char* CommentRoleName(CommentRole role);  // "doc", "directive", "next-line directive", ...

struct CommentContext {
  // C/JS: the comment starts before any code in the file (its header), where copyright notices
  // count as licences.
  bool file_header = false;
  std::string_view routine_name;  // Python: the def whose docstring this is (PLY's p_ / t_ names)
};
// C/JS: `comment` is a comment's source ("/* ... */", "// ..."). Directive markers are matched at
// the start of its first line (NOLINT..., clang-format, lint's ARGSUSED etc.; JS also eslint,
// @ts-*, prettier-ignore, istanbul/c8 ignore, jshint, global, @flow, #__PURE__), `@ngInject`
// anywhere; licence phrases (SPDX-License-Identifier, @license, "Licensed under", "Permission is
// hereby granted", ...) anywhere, "Copyright"/"All rights reserved" in the file header.
// Python: `comment` is a `#` comment (a directive, a licence line, else kOther) or a docstring
// literal as written (kData for PLY rules `p_x: 'x : a b | c'`, PLY token regexes of `t_x`, and
// any docstring with doctest `>>>` examples: replacing it would delete tests; else kDoc).
CommentRole ClassifyComment(Language language, std::string_view comment, const CommentContext& context = {});

// True when ApplyComments may comment this routine (no syntax error, no skip_reason).
inline bool Patchable(const Routine& r) { return !r.in_error_region && r.skip_reason.empty(); }

// How new doc comments are written in a file: learned from its existing docs, pinned by the
// project config, or the language's own convention (its template's style) when neither says.
// What a language's tools read is never changed: Javadoc stays `/**`, Rust and C# stay `///`,
// Go `//`; the gutter, the closing line and the wrap width follow the file. C and C++ follow the
// file's opening too (`/*` with `**` gutters, as SQLite writes), and runs of `//` lines.
struct DocStyle {
  std::string origin = "language";  // "language", "file" (learned), "project" (.scale.toml)
  int samples = 0;                  // the file's docs it was learned from
  bool lines = false;               // line comments ("/// text") rather than a block
  std::string open = "/**";         // block: the opening line ("/**", "/*")
  std::string gutter = " * ";       // block: before each text line; lines: the prefix ("/// ")
  std::string close = " */";        // block: the closing line (" */", "*/", "**/")
  int width = 80;                   // the column text is wrapped at (incl. indentation): 80, or the
                                    // file's longest doc line up to 120
  std::string sections;             // Python: "google", "numpy", "sphinx" when the file's docs show it
};

// Why `style` cannot be used for `language` (a pinned style from the project config), or nullopt:
// the opening, prefix or closing are not that language's comment syntax, or its tools read only
// the convention's opening (Javadoc, rustdoc, Go), or the width is outside 40..200.
std::optional<std::string> DocStyleProblem(Language language, const DocStyle& style);
// The language's own convention (what its template shows), origin "language".
DocStyle ConventionDocStyle(Language language);

struct ParsedFile {
  Language language;
  std::string text;               // the original bytes
  std::vector<Routine> routines;  // in source order of start_byte
  bool has_syntax_errors = false;
  std::vector<std::pair<int, int>> error_lines;  // [first, last] line ranges of syntax errors
  int error_nodes = 0;            // ERROR + MISSING nodes (Verify: the patch must not add any)
  bool c_header = false;          // C only: a header (.h): prototypes, structs, typedefs are routines
  std::vector<std::string> macros;  // ParseOptions::macros, kept for the re-parse in Verify
  DocStyle style;                   // how RenderComment writes new comments here
  std::string eol = "\n";         // the file's line ending ("\r\n" when most lines use CRLF)
  std::string indent_unit = "    ";  // one indentation level as the file writes it ("\t", "  ", ...)
  // Python: the encoding a PEP 263 comment on line 1 or 2 declares, as written ("latin-1",
  // "utf-8"); empty when none. Any codec but UTF-8 limits new comments to ASCII.
  std::string declared_encoding;
};

// Why comment TEXT from the model cannot go into this file, or nullopt: it is not valid UTF-8, or
// the file declares (PEP 263) an encoding other than UTF-8 and the text, after common punctuation
// is made ASCII (see RenderComment), still has non-ASCII characters. ApplyAndVerify drops such
// routines with this reason.
std::optional<std::string> CommentTextProblem(const ParsedFile& file, std::string_view text);

struct ParseOptions {
  bool c_header = false;               // see ParsedFile::c_header
  // C/C++: identifiers the project uses as macros in declarations (`LUA_API`, `ZEXPORT`, `FAR`),
  // from the project config; the worker also recognises undeclared ones (see c.cc).
  std::vector<std::string> macros;
  // The project's pinned doc style for this language (origin "project"), instead of learning it.
  std::optional<DocStyle> style;
  size_t max_bytes = 16 * 1024 * 1024;  // larger input: Error(kExitInput)
};
// Options for a file name: c_header for ".h".
ParseOptions ParseOptionsForPath(const std::filesystem::path& path);

// Parses `text`. Never throws for syntax errors (they are marked); throws scale::Error(kExitInput)
// if the parser gives up (e.g. time limit on pathological input).
// The parser's work is bounded by a deterministic operation budget proportional to the input size
// (the same input always succeeds or always fails), not by wall-clock time.
ParsedFile Parse(Language language, std::string text);
ParsedFile Parse(Language language, std::string text, const ParseOptions& options);

// Routine ids ordered innermost first: every routine comes after all of its descendants; ties in
// source order. This is the order comments are generated in.
std::vector<int> InnermostFirst(const ParsedFile& file);

// What the model is shown for routine `id`: its own code (decorators, signature, existing comment,
// body), where each direct child is reduced to its signature plus its comment from `new_comments`
// (else its existing one) and grandchildren are dropped. For a class: attributes + methods'
// signatures and comments. Indentation is kept relative to the routine.
std::string RoutineView(const ParsedFile& file, int id, const std::map<int, std::string>& new_comments);

// The comment text for routine `id` as the language's convention wants it, before rendering: Go
// docs start with the declared name ("Returns x." -> "Sum returns x."); other languages: `text`.
std::string ConventionalCommentText(const ParsedFile& file, int id, std::string_view text);
std::string ConventionalCommentText(Language language, const Routine& routine, std::string_view text);

// Renders comment TEXT (plain prose, no comment syntax) for routine `id` in the language's style,
// at the routine's indentation, using the file's indent unit (tabs vs spaces) and line ending
// (LF/CRLF); escapes anything that would end the comment early ('"""' in Python, '*/' in C/JS).
// The result is whole lines: every line starts with Routine::indent and ends with the file's eol,
// exactly what ApplyComments inserts at comment_begin (when replacing, it drops the first indent
// and the last eol, since those bytes stay). Lines longer than 80 columns are wrapped at spaces.
// Python: """One line.""" or """Summary\n\n<indent>more\n<indent>""" (backslashes doubled,
// runs of 3+ quotes and a trailing quote escaped). C/JS: "/**", " * text" lines, " */" ("*\/").
// In a Python file that declares a non-UTF-8 encoding, typographic quotes, dashes, the ellipsis
// and non-breaking spaces become ASCII first ("’" -> "'", "—" -> "--", "…" -> "...").
std::string RenderComment(const ParsedFile& file, int id, std::string_view text);

// Returns the file with each routine in `comments` (id -> comment text) given that comment:
// replacing its existing docstring / leading comment, or inserting one. Every byte outside the
// replaced comment ranges is kept (BOM, encoding lines, CRLF, trailing spaces, other comments).
// Routines that are not Patchable() are left unchanged (Verify then reports them); an id that is
// not a routine of `file` throws std::out_of_range (a caller bug).
std::string ApplyComments(const ParsedFile& file, const std::map<int, std::string>& comments);

// The proof. Parses `patched` and checks that the language itself accepts it as the original:
// no more syntax errors than the original; valid UTF-8 if the original was; Python: the same
// declared encoding, and ASCII-only new docstrings where it is not UTF-8. Then that only the
// patched routines' comments changed: the non-comment token stream equals the original's (for
// Python the docstrings, by the one definition above, are the comments), every other comment
// (directives, licences, `#` comments, other docstrings) is byte for byte the same and in the same
// order, and each routine in `patched_ids` (by original id) now has exactly one comment in the
// right place: C/JS with the same bytes between it and the routine as before (an inserted one
// directly above, or above its next-line directives). `problem` says what failed.
struct Verification {
  bool ok = false;
  std::string problem;
};
// Tokens also carry their tree depth, so a change of Python block structure is caught too.
Verification Verify(const ParsedFile& original, const std::string& patched, const std::vector<int>& patched_ids);

// ApplyComments + Verify for a whole file, keeping what can be proven. If the full set does not
// verify (in practice only next to syntax errors: tree-sitter's error recovery can change when a
// comment appears nearby), the set is split in halves until every kept routine verifies together.
// Routines that are not Patchable(), whose text has a CommentTextProblem, or fail alone are
// dropped with the reason. Deterministic.
struct VerifiedPatch {
  std::string text;                     // the patched file (== original text if nothing applied)
  std::vector<int> applied;             // ids whose comment is in `text`, ascending
  std::map<int, std::string> dropped;   // id -> why it was left as it was
};
VerifiedPatch ApplyAndVerify(const ParsedFile& file, const std::map<int, std::string>& comments);

// Non-comment leaf tokens (type + text) of a parse: the code identity used by Verify, exposed for
// tests and the round-trip property test. Python docstrings (only the first plain string of a
// module, class or def body; see Routine) count as comments; any other string is code.
// Each token is "<type> <text>". For C headers the grammar is the same, so no header flag.
std::vector<std::string> CodeTokens(Language language, std::string_view text);

// Splits a file into chunks of at most max_lines lines at top-level syntactic boundaries (a single
// top-level node longer than max_lines is split at its own children, then at line windows).
// Returns 1-based inclusive [first, last] line ranges covering every line of the file.
std::vector<std::pair<int, int>> SyntacticChunks(const ParsedFile& file, int max_lines);

}  // namespace scale::languages
