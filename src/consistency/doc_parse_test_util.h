// Test helpers for the DocParse suite: a DocStructure written out as one line per section and
// entry, so that a test states every value a reader produced in one golden string.
#pragma once

#include <string>
#include <string_view>

#include "consistency/doc_parse.h"

namespace scale::consistency::testing {

inline std::string Escaped(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c == '"') out += "\\\"";
    else out += c;
  }
  return out + "\"";
}

// "format\n" then per section "kind title first-last [heading]\n" and per entry
// "  name first-last lead separator suffix\n" (strings quoted and escaped).
inline std::string Describe(const DocStructure& doc) {
  std::string out = doc.format + "\n";
  for (const DocSection& s : doc.sections) {
    out += std::string(SectionKindName(s.kind)) + " " + Escaped(s.title) + " " + std::to_string(s.first_line) + "-" +
           std::to_string(s.last_line) + (s.has_heading ? " heading" : "") + "\n";
    for (const DocEntry& e : s.entries) {
      out += "  " + e.name + " " + std::to_string(e.first_line) + "-" + std::to_string(e.last_line) + " " +
             Escaped(e.lead) + " " + Escaped(e.separator) + " " + Escaped(e.suffix) + "\n";
    }
  }
  return out;
}

inline std::string Describe(std::string_view language, std::string_view text) {
  return Describe(ParseDoc(languages::LanguageNamed(language), text));
}

}  // namespace scale::consistency::testing
