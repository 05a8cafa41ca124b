// A doc comment's documented structure, read from its TEXT (prose without comment syntax, as the
// model writes it and as Routine::existing_comment holds it): which parameters it documents, and
// whether it has a returns / yields / raises / errors / panics part, each with its lines, so that
// a rule can name what is wrong and a repair can remove or add lines and leave the rest as it was.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "languages/language.h"

namespace scale::consistency {

// The formats, per language (docs/consistency.md):
//   "google", "numpy", "sphinx"  Python docstrings (Args:/Returns:/Yields:/Raises:; underlined
//                                headings; :param x:/:returns:/:raises X:), whichever explains
//                                the most of the text
//   "tags"    @-tags: JSDoc/TSDoc, Doxygen (also \param), Javadoc, PHPDoc, YARD, LDoc/LuaCATS
//   "xml"     C# XML doc: <param name="x">, <returns>, <exception cref="X">
//   "markdown" Rust: "# Arguments", "# Errors", "# Panics", "# Returns" headings
//   "shell"   Bash (Google shell style): "Arguments:", "Returns:", "Globals:", "Outputs:"
//   "prose"   no structure found (Go always: its docs are sentences)
enum class SectionKind { kParams, kReturns, kYields, kRaises, kErrors, kPanics, kOther };
const char* SectionKindName(SectionKind kind);  // "params", "returns", ...

struct DocEntry {
  // The documented name as written, without the format's decoration: "x" for "x (int): ...",
  // "*args", "$x" (PHP, Bash "$1"), "options.key", "name" for JSDoc "[name=default]", "x" for
  // Doxygen "@param[in] x" and LuaCATS "x?"; for raises the exception ("ValueError",
  // "std::out_of_range", "{@link ParseError}" -> "ParseError", "T:System.IO.IOException" ->
  // "System.IO.IOException"). A line naming several ("x, y : float", Doxygen "\param x,y",
  // YARD "@raise [A, B]") gives one entry per name, all with that line's range. Javadoc's
  // "@param <T>" is no parameter entry (its section is kOther); a Sphinx ":type x:" right before or
  // after ":param x:" is part of x's entry (elsewhere it is a kOther section).
  std::string name;
  int first_line = 0, last_line = 0;  // 0-based, inclusive, into DocStructure::lines (continuations included)
  // How to write another entry like this one, for a repair that adds one: lead + name + separator
  // + description + suffix (may hold '\n' for a two-line NumPy entry). The entry's indentation is
  // kept; types and Doxygen directions are left out (the signature has them; PHP's "mixed" and
  // Lua's "any" where a type is required). E.g. "    " ": " (Google), "" "\n    " (NumPy),
  // ":param " ": " (Sphinx), "@param " " - " (JSDoc/TSDoc), "@param mixed " " " (PHP),
  // "@param " " any " (LuaCATS), "<param name=\"" "\">" "</param>" (XML), "* `" "` - " (Markdown).
  std::string lead, separator, suffix;
};

struct DocSection {
  SectionKind kind = SectionKind::kOther;
  // As written (of its first entry): "Args" (Google, shell), "Parameters" (NumPy), "param" (the
  // Sphinx field), "@param" / "\param" (tags), "returns" (the XML element), "# Errors".
  std::string title;
  int first_line = 0, last_line = 0;  // 0-based, inclusive: heading (if any) through its last entry line
  bool has_heading = false;           // Google/NumPy/markdown/shell: a heading line (NumPy: + underline)
  std::vector<DocEntry> entries;      // params and raises: one per name; other kinds: none
};

struct DocStructure {
  std::string format = "prose";
  std::vector<std::string> lines;  // the text split at '\n' ('\r' kept as written)
  // In text order. "tags", "sphinx", "xml": one section per run of tags of one kind that only blank
  // lines separate (two @param runs apart are two sections; kOther runs also split where the
  // title changes). Markdown: a "## x" under "# y" is a section of its own, inside y's lines.
  std::vector<DocSection> sections;
};

// Reads `text` in the formats `language` uses. Never throws; unknown text is "prose".
DocStructure ParseDoc(languages::Language language, std::string_view text);

// The text with lines [first, last] removed (ranges may overlap or reach past the end), the blank
// lines that meet where lines went squeezed to one, and blank lines at the start and end dropped:
// what removing a section or an entry leaves behind. Blank runs elsewhere stay as written.
std::string RemoveLines(const DocStructure& doc, const std::vector<std::pair<int, int>>& ranges);
// The lines joined back with '\n' (ParseDoc's inverse: Join(ParseDoc(l, t)) == t).
std::string JoinLines(const std::vector<std::string>& lines);

}  // namespace scale::consistency
