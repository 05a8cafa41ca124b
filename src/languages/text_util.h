// Text helpers shared by the language workers (internal to src/languages): line arithmetic that
// respects a BOM and CRLF, file style detection, comment prose cleanup and wrapping, and the C/JS
// block comment (finding the one above a declaration, stripping and rendering its syntax).
#pragma once

#include <tree_sitter/api.h>

#include <string>
#include <string_view>
#include <vector>

#include "languages/language.h"
#include "util/text.h"  // SplitLines, used with these helpers

namespace scale::languages::detail {

size_t BomLength(std::string_view text);  // 3 for a UTF-8 BOM, else 0
// First byte of the line holding `pos` (never inside a leading BOM).
size_t LineStart(std::string_view text, size_t pos);
// Index of the '\n' ending the line holding `pos`, or text.size() on the last line.
size_t LineEnd(std::string_view text, size_t pos);
bool IsSpaces(std::string_view s);  // only blanks and tabs (also true when empty)
// Leading blanks/tabs of the line holding `pos` if nothing else precedes pos on it, else "" and false.
bool IndentBefore(std::string_view text, size_t pos, std::string* indent);

// Fills file.eol (CRLF when most line ends are CRLF) and file.indent_unit (tabs when most indented
// lines start with a tab, else the most common step between nested indentation levels, else 4).
void DetectStyle(ParsedFile& file);

// The model's prose as lines: newlines normalized, trailing blanks cut, blank lines at either end
// dropped. Lines longer than `width` columns are wrapped at spaces, keeping their own indentation.
std::vector<std::string> ProseLines(std::string_view text, size_t width);
// Columns used by the wrapping: room left after the indentation, never below 40.
size_t WrapWidth(std::string_view indent, size_t decoration, size_t width = 80);

// Like Python's inspect.cleandoc: first line stripped, the rest dedented by their common
// indentation, blank lines at either end dropped; lines joined with '\n'.
std::string Cleandoc(const std::vector<std::string>& lines);

// The text with typographic punctuation replaced by ASCII: ’ ‘ ‚ ′ -> ', “ ” „ ″ -> ", – ‒ ‐ ‑ −
// -> -, — ― -> --, … -> ..., no-break and thin spaces -> ' ', zero-width spaces and the BOM
// dropped. Anything else is left as it is.
std::string AsciiPunctuation(std::string_view text);
bool IsAscii(std::string_view text);

// --- comments above a declaration (every language but Python) ---------------------------------------------------------------
struct CommentNode {
  size_t begin = 0;
  size_t end = 0;
  bool line = false;    // "//..." rather than "/* ... */"
  bool header = false;  // starts before the file's first code (CommentContext::file_header)
};
struct CommentSyntax;
// Every comment node of the tree (the language's comment node types), in source order.
std::vector<CommentNode> CollectComments(TSNode root, std::string_view text, const CommentSyntax& syntax);

// One element of the stack of comments above a declaration (see language.h, "Which comment is the
// routine's"): a block comment, or a run of // lines that are not directives.
struct CommentBlock {
  size_t begin = 0;
  size_t end = 0;
  CommentRole role = CommentRole::kDoc;
  bool header = false;
  int blank_lines_below = 0;  // between its last line and the next block, or the declaration
};
// The stack above the line starting at `line_start`, nearest first.
std::vector<CommentBlock> CommentStack(const ParsedFile& file, const std::vector<CommentNode>& comments,
                                       size_t line_start);

// Sets r's indent, comment_begin/end, has_comment, existing_comment and comment_count for a
// declaration starting at `anchor`, by the rule in language.h ("Which comment is the routine's").
// Without a comment, comment_begin == comment_end is the line start where a new one goes (above
// next-line directives). A declaration that shares its line with code before it gets a
// skip_reason (a comment above would not be its).
void AttachLeadingComment(const ParsedFile& file, Routine& r, const std::vector<CommentNode>& comments,
                          size_t anchor);

// For languages whose tools take a doc only when it ends on the line right above (Go; Rust for
// plain comments): when r's comment found by AttachLeadingComment is a blank line away from the
// declaration, it is not r's after all, and a new comment goes directly above the declaration.
void DetachCommentAcrossBlankLine(const ParsedFile& file, Routine& r);

// For languages whose docs are line comments: gives a routine with no doc a skip_reason when the
// nearest comment above it (past next-line directives, no blank line between) is a run of line
// comments that is not documentation (a licence, decoration). New doc lines there would join that
// run and stop being a comment of their own. `comments` must carry the language's `line` flags.
void SkipIfANewLineDocWouldJoin(const ParsedFile& file, const std::vector<CommentNode>& comments, Routine& r);

// A new doc comment in file.style (the file's own, else the language's DocSyntax) at r.indent,
// each line ending with file.eol: "/**", " * text" lines, " */" with "*/" -> "*\/"; or "/// text"
// / "# text" lines; wrapped at the style's width.
std::string RenderDocComment(const ParsedFile& file, const Routine& r, std::string_view text);

// A comment's prose: block syntax ("/*", "*/", leading " * ") or line prefixes ("//", "#", with
// their repeats: "///", "##") removed, then Cleandoc.
std::string StripCommentSyntax(std::string_view raw, const CommentSyntax& syntax);

}  // namespace scale::languages::detail
