// ParseDoc: picks the format a language's docs use (for Python, the one this text uses) and hands
// the lines to its reader (doc_parse_python.cc, doc_parse_tags.cc, doc_parse_markup.cc); plus the
// line helpers those readers share and the line editing repairs use.
#include <algorithm>
#include <cctype>
#include <tuple>

#include "consistency/doc_parse.h"
#include "consistency/doc_parse_internal.h"
#include "util/text.h"

namespace scale::consistency {

namespace detail {

std::string_view NoCr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string_view LeadingBlanks(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) ++n;
  return line.substr(0, n);
}

int Indent(std::string_view line) {
  int col = 0;
  for (char c : LeadingBlanks(line)) col = c == '\t' ? (col / 8 + 1) * 8 : col + 1;
  return col;
}

bool BlankLine(std::string_view line) { return IsBlank(line); }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Squash(std::string_view s) {
  std::string out;
  for (char c : TrimView(s)) {
    bool blank = c == ' ' || c == '\t';
    if (blank && !out.empty() && out.back() == ' ') continue;
    out += blank ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

int LastNonBlank(const Lines& lines, int first, int last) {
  for (int i = last; i > first; --i) {
    if (!BlankLine(lines[static_cast<size_t>(i)])) return i;
  }
  return first;
}

bool LooksLikeExceptionName(std::string_view word) {
  if (word.empty() || word.find_first_of(".:\\") != std::string_view::npos) return !word.empty();
  for (std::string_view end : {"Error", "Exception", "Warning", "Exit", "Interrupt", "Iteration"}) {
    if (word.size() >= end.size() && word.substr(word.size() - end.size()) == end) return true;
  }
  bool upper_first = std::isupper(static_cast<unsigned char>(word[0]));
  for (size_t i = 1; upper_first && i < word.size(); ++i) {
    if (std::isupper(static_cast<unsigned char>(word[i])) && std::islower(static_cast<unsigned char>(word[i - 1]))) return true;
  }
  return false;
}

std::vector<std::string> SplitNames(std::string_view names, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= names.size()) {
    size_t end = names.find(sep, start);
    if (end == std::string_view::npos) end = names.size();
    std::string_view one = TrimView(names.substr(start, end - start));
    if (!one.empty()) out.emplace_back(one);
    start = end + 1;
  }
  return out;
}

std::vector<DocSection> GroupFields(const Lines& lines, const std::vector<Field>& fields) {
  std::vector<DocSection> out;
  int prev_last = -1;
  for (const Field& f : fields) {
    bool only_blanks_between = !out.empty();
    for (int i = prev_last + 1; only_blanks_between && i < f.first_line; ++i) {
      only_blanks_between = BlankLine(lines[static_cast<size_t>(i)]);
    }
    // Other parts stay apart by title: "@see" and "@since", <summary> and <remarks>.
    bool same = only_blanks_between && out.back().kind == f.kind &&
                (f.kind != SectionKind::kOther || out.back().title == f.title);
    if (same && f.first_line > prev_last) {
      out.back().last_line = f.last_line;
      out.back().entries.insert(out.back().entries.end(), f.entries.begin(), f.entries.end());
    } else {
      DocSection s;
      s.kind = f.kind;
      s.title = f.title;
      s.first_line = f.first_line;
      s.last_line = f.last_line;
      s.entries = f.entries;
      out.push_back(std::move(s));
    }
    prev_last = std::max(prev_last, f.last_line);
  }
  return out;
}

}  // namespace detail

namespace {

using detail::BlankLine;
using detail::Lines;

Lines SplitAtNewlines(std::string_view text) {
  Lines out;
  size_t start = 0;
  for (;;) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      out.emplace_back(text.substr(start));
      return out;
    }
    out.emplace_back(text.substr(start, nl - start));
    start = nl + 1;
  }
}

// How much of a text a Python reader explained: sections that rules use first, then any.
std::tuple<int, int> Score(const std::vector<DocSection>& sections) {
  int known = 0;
  for (const auto& s : sections) known += s.kind != SectionKind::kOther;
  return {known, static_cast<int>(sections.size())};
}

// A docstring is written in one style; the reader that finds the most in it is that style. Ties
// go to NumPy (underlined headings are unmistakable), then Google, then Sphinx.
void ParsePython(DocStructure& doc) {
  std::vector<DocSection> numpy = detail::ParseNumpy(doc.lines);
  std::vector<DocSection> google = detail::ParseGoogle(doc.lines, false);
  std::vector<DocSection> sphinx = detail::ParseSphinx(doc.lines);
  std::vector<DocSection>* best = &numpy;
  const char* format = "numpy";
  if (Score(google) > Score(*best)) best = &google, format = "google";
  if (Score(sphinx) > Score(*best)) best = &sphinx, format = "sphinx";
  if (best->empty()) return;
  doc.format = format;
  doc.sections = std::move(*best);
}

}  // namespace

const char* SectionKindName(SectionKind kind) {
  switch (kind) {
    case SectionKind::kParams: return "params";
    case SectionKind::kReturns: return "returns";
    case SectionKind::kYields: return "yields";
    case SectionKind::kRaises: return "raises";
    case SectionKind::kErrors: return "errors";
    case SectionKind::kPanics: return "panics";
    case SectionKind::kOther: return "other";
  }
  return "other";
}

DocStructure ParseDoc(languages::Language language, std::string_view text) {
  DocStructure doc;
  doc.lines = SplitAtNewlines(text);
  std::string_view name = languages::LanguageName(language);
  if (name == "python") {
    ParsePython(doc);
    return doc;
  }
  std::string format;
  if (name == "csharp") {
    format = "xml", doc.sections = detail::ParseXml(doc.lines);
  } else if (name == "rust") {
    format = "markdown", doc.sections = detail::ParseMarkdown(doc.lines);
  } else if (name == "bash") {
    format = "shell", doc.sections = detail::ParseGoogle(doc.lines, true);
  } else if (name != "go") {
    format = "tags", doc.sections = detail::ParseTags(doc.lines, name);
  }
  if (!doc.sections.empty()) doc.format = format;
  return doc;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i) out += '\n';
    out += lines[i];
  }
  return out;
}

std::string RemoveLines(const DocStructure& doc, const std::vector<std::pair<int, int>>& ranges) {
  const Lines& lines = doc.lines;
  std::vector<bool> removed(lines.size(), false);
  for (auto [first, last] : ranges) {
    for (int i = std::max(first, 0); i <= last && i < static_cast<int>(lines.size()); ++i) {
      removed[static_cast<size_t>(i)] = true;
    }
  }
  // Blank lines meeting where lines went are squeezed to one; blank runs elsewhere stay as written.
  Lines out;
  bool seam = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (removed[i]) {
      seam = true;
      continue;
    }
    bool blank = BlankLine(lines[i]);
    if (blank && seam && !out.empty() && BlankLine(out.back())) continue;
    if (!blank) seam = false;
    out.push_back(lines[i]);
  }
  while (!out.empty() && BlankLine(out.back())) out.pop_back();
  size_t lead = 0;
  while (lead < out.size() && BlankLine(out[lead])) ++lead;
  out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(lead));
  // A CRLF text whose last line had no line end keeps none after the cut.
  bool last_had_cr = !lines.empty() && !lines.back().empty() && lines.back().back() == '\r';
  if (!out.empty() && !last_had_cr && !out.back().empty() && out.back().back() == '\r') out.back().pop_back();
  return JoinLines(out);
}

}  // namespace scale::consistency
