// What one language is to scale (internal to src/languages): the plain data and the few functions
// a `src/languages/<name>.cc` file provides. registry.cc lists every language once; nothing else
// in scale names a language. docs/languages.md says how to add one.
#pragma once

#include <tree_sitter/api.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "languages/language.h"

namespace scale::languages::detail {

class Collector;

// How comments are written in the language (reading them: finding, classifying, stripping).
struct CommentSyntax {
  std::vector<std::string_view> node_types = {"comment"};  // tree-sitter node types that are comments
  std::vector<std::string_view> line_prefixes = {"//"};    // line comments, longest first ("///", "//")
  std::string_view block_open = "/*";                      // "" when the language has no block comment
  std::string_view block_close = "*/";
  // Node types that come before the code and still belong to the file's header (shebang lines).
  std::vector<std::string_view> header_node_types = {"hash_bang_line"};
};

// How scale writes a NEW doc comment (the language community's convention).
struct DocSyntax {
  enum Kind {
    kBlock,      // open line, gutter + text lines, close line: "/**", " * text", " */"
    kLines,      // every line starts with `prefix`: "/// text", "# text", "--- text"
    kDocstring,  // Python: a string literal as the body's first statement (python.cc renders it)
  };
  Kind kind = kBlock;
  std::string_view open = "/**";
  std::string_view gutter = " * ";  // kBlock: before each text line (" *" alone on a blank line)
  std::string_view close = " */";
  std::string_view escape_from = "*/";  // kBlock: what would end the comment early, and its escape
  std::string_view escape_to = "*\\/";
  std::string_view prefix = "/// ";  // kLines: "/// text", and "///" alone on a blank line
  // Whether a file's own doc opening replaces the convention's (house_style.h): true where the
  // opening is taste (C: `/*` or `/**`, runs of `//`), false where tools read it (Javadoc `/**`,
  // rustdoc `///`, Go's `//` doc lines).
  bool opening_follows_file = false;
};

// A directive marker, matched at the start of a comment's first line (after its syntax).
struct Marker {
  std::string_view text;
  CommentRole role;
  bool block_only = false;  // only in a block comment (ESLint reads `/* global x */`, not `// global x`)
};

struct LanguageSpec {
  std::string_view name;                     // "python": --language, scale-cfg/<name>.txt, reports
  std::vector<std::string_view> aliases;     // other --language spellings ("py")
  std::vector<std::string_view> extensions;  // with the dot, lower case: ".py"
  std::vector<std::string_view> header_extensions;  // of those, headers (ParseOptions::c_header)
  const TSLanguage* (*grammar)() = nullptr;
  CommentSyntax comments;
  DocSyntax doc;
  // Node types that are one token each for the code identity (string literals: their inner
  // structure would otherwise make an escape and a literal character look alike).
  std::vector<std::string_view> atomic_tokens;
  std::span<const Marker> directives;  // see ClassifyComment
  // Every routine of the tree into `out` (language.h, Routine): the language's one required job.
  void (*find_routines)(TSNode root, const ParsedFile& file, Collector& out) = nullptr;

  // Optional: nullptr means the shared rule.
  // What a comment is (default: ClassifyByMarkers with `directives`, licences, decoration).
  CommentRole (*classify)(std::string_view comment, const CommentContext& context) = nullptr;
  // The code tokens (default: AppendTokens skipping comment node types, atomic_tokens whole).
  void (*append_tokens)(TSNode root, std::string_view text, bool with_depth, std::vector<std::string>& out) = nullptr;
  // The model's comment text as the language's convention wants it (Go: starting with the name),
  // before it is rendered (ConventionalCommentText in language.h).
  std::string (*conventional_text)(const Routine& routine, std::string_view text) = nullptr;
  // The text tree-sitter parses instead of `text`: the same length, so every node's offsets are
  // the original's, which everything else reads (C: declaration macros blanked, see c.cc).
  std::string (*prepare)(std::string_view text, const ParseOptions& options) = nullptr;
  // What the routine's code says (facts.h): its parameters and what its body visibly does. `node`
  // is RoutineNode(root, routine) (facts_util.h). Unset: nothing is known, no consistency rule
  // that needs facts applies.
  void (*facts)(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out) = nullptr;
};

// Parts of the shared classification, for a language's own `classify`: the first marker `line`
// (a comment's first line without its syntax) starts with; whether a comment is a licence.
std::optional<CommentRole> MatchDirective(std::span<const Marker> markers, std::string_view line, bool block);
bool IsLicenceText(std::string_view comment, bool file_header);

// The shared classification (ClassifyComment in language.h) for a language that writes comments
// with `syntax`: `markers` first, then licences, then decoration, else documentation.
CommentRole ClassifyByMarkers(const LanguageSpec& spec, std::string_view comment, const CommentContext& context);

// Every registered language, in registry order.
std::span<const LanguageSpec* const> Registry();

}  // namespace scale::languages::detail
