// The markup readers: C# XML documentation (top-level elements, which may span lines) and Rust's
// Markdown (ATX headings outside code fences; list items under "# Arguments").
#include <cctype>
#include <optional>

#include "consistency/doc_parse_internal.h"
#include "util/text.h"

namespace scale::consistency::detail {

namespace {

// The text as one string with each line's start, so that elements can span lines.
struct Flat {
  std::string text;
  std::vector<size_t> starts;
  explicit Flat(const Lines& lines) {
    for (const std::string& l : lines) {
      starts.push_back(text.size());
      text += l;
      text += '\n';
    }
  }
  int LineOf(size_t pos) const {
    size_t i = 0;
    while (i + 1 < starts.size() && starts[i + 1] <= pos) ++i;
    return static_cast<int>(i);
  }
};

struct Element {
  std::string name;  // as written: "param"
  std::string attr_name, attr_quote, cref;
  size_t begin = 0, end = 0;  // [begin, end) in Flat::text
};

bool NameChar(char c) { return IsIdentChar(c) || c == ':' || c == '.' || c == '-'; }

// The value of attribute `attr` in an open tag's text, and the quote it is written with.
std::optional<std::pair<std::string, char>> Attribute(std::string_view tag, std::string_view attr) {
  for (size_t at = tag.find(attr); at != std::string_view::npos; at = tag.find(attr, at + 1)) {
    if (at == 0 || NameChar(tag[at - 1])) continue;
    size_t p = at + attr.size();
    while (p < tag.size() && tag[p] == ' ') ++p;
    if (p >= tag.size() || tag[p] != '=') continue;
    ++p;
    while (p < tag.size() && tag[p] == ' ') ++p;
    if (p >= tag.size() || (tag[p] != '"' && tag[p] != '\'')) continue;
    size_t close = tag.find(tag[p], p + 1);
    if (close == std::string_view::npos) continue;
    return std::make_pair(std::string(tag.substr(p + 1, close - p - 1)), tag[p]);
  }
  return std::nullopt;
}

// The end of the element whose open tag ends at `from`: past its matching close tag (same-name
// elements nest), or `from` when it is never closed.
size_t ElementEnd(const std::string& text, const std::string& name, size_t from) {
  int depth = 1;
  for (size_t p = text.find('<', from); p != std::string::npos; p = text.find('<', p + 1)) {
    bool close = p + 1 < text.size() && text[p + 1] == '/';
    size_t n = p + (close ? 2 : 1);
    if (text.compare(n, name.size(), name) != 0 || (n + name.size() < text.size() && NameChar(text[n + name.size()]))) {
      continue;
    }
    size_t gt = text.find('>', n);
    if (gt == std::string::npos) return from;
    if (!close && text[gt - 1] != '/') ++depth;
    if (close && --depth == 0) return gt + 1;
  }
  return from;
}

// The element starting at `p` ('<'), or nothing for a comment, a stray close tag or a lone '<'.
std::optional<Element> ReadElement(const std::string& text, size_t p) {
  if (p + 1 >= text.size() || !std::isalpha(static_cast<unsigned char>(text[p + 1]))) return std::nullopt;
  size_t n = p + 1;
  while (n < text.size() && NameChar(text[n])) ++n;
  size_t gt = n;
  for (char quote = 0; gt < text.size(); ++gt) {
    if (quote) quote = text[gt] == quote ? 0 : quote;
    else if (text[gt] == '"' || text[gt] == '\'') quote = text[gt];
    else if (text[gt] == '>' || text[gt] == '<') break;
  }
  if (gt >= text.size() || text[gt] != '>') return std::nullopt;
  Element e;
  e.name = text.substr(p + 1, n - p - 1);
  e.begin = p;
  std::string_view open(text.data() + n, gt - n);
  if (auto a = Attribute(open, "name")) e.attr_name = a->first, e.attr_quote = std::string(1, a->second);
  if (auto c = Attribute(open, "cref")) {
    e.cref = c->first;
    if (e.cref.size() > 2 && e.cref[1] == ':') e.cref = e.cref.substr(2);  // "T:System.IO.IOException"
  }
  e.end = text[gt - 1] == '/' ? gt + 1 : ElementEnd(text, e.name, gt + 1);
  return e;
}

Field ElementField(const Lines& lines, const Flat& flat, const Element& e) {
  Field f{SectionKind::kOther, e.name, flat.LineOf(e.begin), flat.LineOf(e.end - 1), {}};
  std::string lower = Lower(e.name);
  std::string indent(LeadingBlanks(lines[static_cast<size_t>(f.first_line)]));
  const std::string& q = e.attr_quote.empty() ? std::string("\"") : e.attr_quote;
  if (lower == "param") {
    f.kind = SectionKind::kParams;
    if (!e.attr_name.empty()) {
      f.entries.push_back({e.attr_name, f.first_line, f.last_line, indent + "<" + e.name + " name=" + q, q + ">",
                           "</" + e.name + ">"});
    }
  } else if (lower == "returns") {
    f.kind = SectionKind::kReturns;
  } else if (lower == "exception") {
    f.kind = SectionKind::kRaises;
    if (!e.cref.empty()) {
      f.entries.push_back({e.cref, f.first_line, f.last_line, indent + "<" + e.name + " cref=\"", "\">",
                           "</" + e.name + ">"});
    }
  }
  return f;
}

}  // namespace

std::vector<DocSection> ParseXml(const Lines& lines) {
  Flat flat(lines);
  std::vector<Field> fields;
  for (size_t p = flat.text.find('<'); p != std::string::npos; p = flat.text.find('<', p)) {
    if (flat.text.compare(p, 4, "<!--") == 0) {
      size_t close = flat.text.find("-->", p);
      p = close == std::string::npos ? flat.text.size() : close + 3;
      continue;
    }
    std::optional<Element> e = ReadElement(flat.text, p);
    if (!e) {
      ++p;
      continue;
    }
    fields.push_back(ElementField(lines, flat, *e));
    p = e->end;
  }
  return GroupFields(lines, fields);
}

// --- Markdown (rustdoc) --------------------------------------------------------------------------

namespace {

// "# Errors" -> 1; 0 when the line is no ATX heading (at most three spaces before the #s).
int HeadingLevel(std::string_view line) {
  size_t p = 0;
  while (p < line.size() && p < 4 && line[p] == ' ') ++p;
  if (p > 3) return 0;
  size_t hashes = 0;
  while (p + hashes < line.size() && line[p + hashes] == '#') ++hashes;
  if (hashes == 0 || hashes > 6) return 0;
  size_t after = p + hashes;
  if (after < line.size() && line[after] != ' ' && line[after] != '\t') return 0;
  return static_cast<int>(hashes);
}

SectionKind MarkdownKind(std::string_view heading) {
  size_t text = heading.find_first_not_of("# \t");
  std::string t = text == std::string_view::npos ? "" : Squash(heading.substr(text));
  while (!t.empty() && (t.back() == ':' || t.back() == '#' || t.back() == ' ')) t.pop_back();
  if (t == "arguments" || t == "parameters" || t == "params" || t == "args") return SectionKind::kParams;
  if (t == "returns" || t == "return" || t == "return value") return SectionKind::kReturns;
  if (t == "errors") return SectionKind::kErrors;
  if (t == "panics") return SectionKind::kPanics;
  return SectionKind::kOther;
}

// A list item line "* `name` - desc": where its name is and the text around it.
std::optional<DocEntry> ListEntry(std::string_view line, int i) {
  size_t p = 0;
  while (p < line.size() && (line[p] == ' ' || line[p] == '\t')) ++p;
  if (p + 1 >= line.size() || (line[p] != '*' && line[p] != '-' && line[p] != '+') || line[p + 1] != ' ') {
    return std::nullopt;
  }
  size_t start = p + 2;
  while (start < line.size() && line[start] == ' ') ++start;
  bool tick = start < line.size() && line[start] == '`';
  size_t name_begin = start + (tick ? 1 : 0);
  size_t name_end = tick ? line.find('`', name_begin) : name_begin;
  if (!tick) {
    while (name_end < line.size() && line[name_end] != ' ' && line[name_end] != ':') ++name_end;
  }
  if (name_end == std::string_view::npos || name_end == name_begin) return std::nullopt;
  size_t desc = name_end + (tick ? 1 : 0);
  while (desc < line.size() && (line[desc] == ' ' || line[desc] == ':' || line[desc] == '-')) ++desc;
  std::string name(line.substr(name_begin, name_end - name_begin));
  return DocEntry{name, i, i, std::string(line.substr(0, name_begin)), std::string(line.substr(name_end, desc - name_end)),
                  ""};
}

void MarkdownEntries(const Lines& lines, DocSection& s) {
  int item_indent = -1;
  for (int i = s.first_line + 1; i <= s.last_line; ++i) {
    std::string_view line = NoCr(lines[static_cast<size_t>(i)]);
    if (BlankLine(line)) {
      item_indent = -1;  // a blank line ends the item; a deeper line after it is a new paragraph
      continue;
    }
    std::optional<DocEntry> e = ListEntry(line, i);
    if (e && (item_indent < 0 || Indent(line) <= item_indent)) {
      item_indent = Indent(line);
      s.entries.push_back(std::move(*e));
    } else if (item_indent >= 0 && !s.entries.empty()) {
      s.entries.back().last_line = i;
    }
  }
}

}  // namespace

std::vector<DocSection> ParseMarkdown(const Lines& lines) {
  struct Heading {
    int line, level;
  };
  std::vector<Heading> headings;
  std::string fence;  // the open fence's marker ("```", "~~~~"), empty outside one
  for (int i = 0; i < static_cast<int>(lines.size()); ++i) {
    std::string_view t = TrimView(NoCr(lines[static_cast<size_t>(i)]));
    if (t.rfind("```", 0) == 0 || t.rfind("~~~", 0) == 0) {
      std::string marker(t.substr(0, t.find_first_not_of(t[0])));
      if (fence.empty()) fence = marker;
      else if (marker[0] == fence[0] && marker.size() >= fence.size()) fence.clear();
      continue;
    }
    if (fence.empty()) {
      if (int level = HeadingLevel(NoCr(lines[static_cast<size_t>(i)]))) headings.push_back({i, level});
    }
  }
  std::vector<DocSection> out;
  for (size_t h = 0; h < headings.size(); ++h) {
    int end = static_cast<int>(lines.size()) - 1;
    for (size_t k = h + 1; k < headings.size(); ++k) {
      if (headings[k].level <= headings[h].level) {
        end = headings[k].line - 1;
        break;
      }
    }
    DocSection s;
    s.title = std::string(TrimView(NoCr(lines[static_cast<size_t>(headings[h].line)])));
    s.kind = MarkdownKind(s.title);
    s.has_heading = true;
    s.first_line = headings[h].line;
    s.last_line = LastNonBlank(lines, s.first_line, end);
    if (s.kind == SectionKind::kParams) MarkdownEntries(lines, s);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace scale::consistency::detail
