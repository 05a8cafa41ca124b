// Internal to doc_parse*.cc: the line helpers every format reader shares, and the readers
// themselves (one per family of formats), each returning the sections it found in text order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "consistency/doc_parse.h"

namespace scale::consistency::detail {

using Lines = std::vector<std::string>;

std::string_view NoCr(std::string_view line);  // without the '\r' of a CRLF line end
std::string_view LeadingBlanks(std::string_view line);
int Indent(std::string_view line);  // columns of leading blanks, tabs to stops of 8 (like cleandoc)
bool BlankLine(std::string_view line);
std::string Lower(std::string_view s);
std::string Squash(std::string_view s);  // lowercase, runs of blanks to one space, trimmed
bool IsIdentChar(char c);                 // [A-Za-z0-9_]
// The last non-blank line in [first, last], or `first` when all are blank.
int LastNonBlank(const Lines& lines, int first, int last);
// Whether a word written without punctuation after it names an exception type rather than starting
// a sentence ("ValueError if ..." vs "If the file ..."): CamelCase, qualified, or ending in Error,
// Exception or Warning.
bool LooksLikeExceptionName(std::string_view word);
// Splits "a, b" at commas into trimmed, non-empty names.
std::vector<std::string> SplitNames(std::string_view names, char sep = ',');

// One tag / field / element with its lines and entries, before adjacent ones of a kind are
// grouped into sections (formats without headings: sphinx, tags, xml).
struct Field {
  SectionKind kind = SectionKind::kOther;
  std::string title;
  int first_line = 0, last_line = 0;
  std::vector<DocEntry> entries;
};
// Groups runs of fields of one kind that only blank lines separate into sections (fields of the
// other kind only when their titles are the same).
std::vector<DocSection> GroupFields(const Lines& lines, const std::vector<Field>& fields);

// The readers. `shell`: the Google shell style's titles (Globals:, Arguments:, Outputs:, Returns:).
std::vector<DocSection> ParseGoogle(const Lines& lines, bool shell);
std::vector<DocSection> ParseNumpy(const Lines& lines);
std::vector<DocSection> ParseSphinx(const Lines& lines);
// `language`: languages::LanguageName, which picks the tag dialect (PHP types, YARD, LDoc, ...).
std::vector<DocSection> ParseTags(const Lines& lines, std::string_view language);
std::vector<DocSection> ParseXml(const Lines& lines);
std::vector<DocSection> ParseMarkdown(const Lines& lines);

}  // namespace scale::consistency::detail
