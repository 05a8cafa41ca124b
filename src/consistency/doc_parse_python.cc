// The readers of headed sections with indented entries: Google docstrings (and the Google shell
// style, which is the same layout with its own titles) and NumPy docstrings (underlined headings),
// plus Sphinx field lists (:param x:), the third Python style.
#include <cctype>
#include <optional>

#include "consistency/doc_parse_internal.h"
#include "util/text.h"

namespace scale::consistency::detail {

namespace {

struct Title {
  std::string_view text;
  SectionKind kind;
};

// Napoleon's section titles (sphinx.ext.napoleon), which is what Google-style tools read.
constexpr Title kGoogleTitles[] = {
    {"args", SectionKind::kParams}, {"arguments", SectionKind::kParams}, {"parameters", SectionKind::kParams},
    {"params", SectionKind::kParams}, {"keyword args", SectionKind::kParams},
    {"keyword arguments", SectionKind::kParams}, {"other parameters", SectionKind::kParams},
    {"kwargs", SectionKind::kParams}, {"returns", SectionKind::kReturns}, {"return", SectionKind::kReturns},
    {"yields", SectionKind::kYields}, {"yield", SectionKind::kYields}, {"raises", SectionKind::kRaises},
    {"raise", SectionKind::kRaises}, {"exceptions", SectionKind::kRaises}, {"except", SectionKind::kRaises},
    {"attributes", SectionKind::kOther}, {"attention", SectionKind::kOther}, {"caution", SectionKind::kOther},
    {"danger", SectionKind::kOther}, {"error", SectionKind::kOther}, {"example", SectionKind::kOther},
    {"examples", SectionKind::kOther}, {"hint", SectionKind::kOther}, {"important", SectionKind::kOther},
    {"methods", SectionKind::kOther}, {"note", SectionKind::kOther}, {"notes", SectionKind::kOther},
    {"references", SectionKind::kOther}, {"see also", SectionKind::kOther}, {"tip", SectionKind::kOther},
    {"todo", SectionKind::kOther}, {"warning", SectionKind::kOther}, {"warnings", SectionKind::kOther},
    {"warns", SectionKind::kOther}, {"receives", SectionKind::kOther}, {"usage", SectionKind::kOther},
};

// The Google Shell Style Guide's function header parts, and the names people also use for them.
constexpr Title kShellTitles[] = {
    {"globals", SectionKind::kOther},     {"arguments", SectionKind::kParams}, {"args", SectionKind::kParams},
    {"parameters", SectionKind::kParams}, {"params", SectionKind::kParams},    {"outputs", SectionKind::kOther},
    {"output", SectionKind::kOther},      {"inputs", SectionKind::kOther},     {"returns", SectionKind::kReturns},
    {"return", SectionKind::kReturns},    {"exit status", SectionKind::kReturns},
    {"example", SectionKind::kOther},     {"examples", SectionKind::kOther},   {"usage", SectionKind::kOther},
    {"notes", SectionKind::kOther},       {"note", SectionKind::kOther},
};

template <size_t N>
std::optional<SectionKind> KindOf(const Title (&titles)[N], std::string_view title) {
  std::string key = Squash(title);
  for (const Title& t : titles) {
    if (t.text == key) return t.kind;
  }
  return std::nullopt;
}

struct Heading {
  SectionKind kind;
  std::string title;
  bool inline_text;  // "Returns: The sum." - the heading line is also the section's only entry
};

// "Args:" alone on its line; "Returns: text" too for the parts that are one statement (returns,
// yields, raises), since people write those inline.
std::optional<Heading> GoogleHeading(std::string_view line, bool shell) {
  std::string_view t = TrimView(NoCr(line));
  size_t colon = t.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view title = t.substr(0, colon);
  std::optional<SectionKind> kind = shell ? KindOf(kShellTitles, title) : KindOf(kGoogleTitles, title);
  if (!kind) return std::nullopt;
  std::string_view rest = TrimView(t.substr(colon + 1));
  if (rest.empty()) return Heading{*kind, std::string(title), false};
  bool statement = *kind == SectionKind::kReturns || *kind == SectionKind::kYields || *kind == SectionKind::kRaises;
  if (!statement || t[colon + 1] != ' ' || rest[0] == ':') return std::nullopt;  // "Returns::" is reST
  return Heading{*kind, std::string(title), true};
}

// Skips a Sphinx role and backquotes around an exception name: ":exc:`ValueError`" -> "ValueError".
std::string_view StripRole(std::string_view s) {
  if (s.rfind(":exc:", 0) == 0 || s.rfind(":class:", 0) == 0) s.remove_prefix(s.find(':', 1) + 1);
  while (!s.empty() && (s.front() == '`' || s.front() == '~' || s.front() == '!')) s.remove_prefix(1);
  return s;
}

// Continues the last entry (all of the names its line documents: "x, y") through `line`.
void ExtendLastEntries(DocSection& s, int line) {
  if (s.entries.empty()) return;
  int last = s.entries.back().last_line;
  for (size_t e = s.entries.size(); e-- > 0 && s.entries[e].last_line == last;) s.entries[e].last_line = line;
}

// The names an entry line documents and where its description starts, or nothing when the line
// is not an entry (a continuation written at the entry's indentation).
struct EntryHead {
  std::vector<std::string> names;
  std::string separator;
};

// "x: ...", "x (int, optional): ...", "*args: ...", "x, y: ...".
std::optional<EntryHead> GoogleParam(std::string_view c) {
  size_t p = 0;
  while (p < c.size() && (IsIdentChar(c[p]) || c[p] == '*' || c[p] == '.' || c[p] == ',' ||
                          (c[p] == ' ' && p > 0 && c[p - 1] == ','))) {
    ++p;
  }
  std::vector<std::string> names = SplitNames(c.substr(0, p));
  size_t q = p;
  while (q < c.size() && c[q] == ' ') ++q;
  if (q < c.size() && c[q] == '(') {
    int depth = 0;
    for (; q < c.size(); ++q) {
      depth += c[q] == '(' ? 1 : c[q] == ')' ? -1 : 0;
      if (depth == 0) break;
    }
    ++q;
    while (q < c.size() && c[q] == ' ') ++q;
  }
  if (names.empty() || q >= c.size() || c[q] != ':') return std::nullopt;
  if (q + 1 < c.size() && c[q + 1] != ' ' && c[q + 1] != '\t') return std::nullopt;
  return EntryHead{names, ": "};
}

// "ValueError: when", "requests.HTTPError: when", ":exc:`ValueError`: when", "ValueError if ...".
std::optional<EntryHead> GoogleRaise(std::string_view c) {
  c = StripRole(c);
  size_t p = 0;
  while (p < c.size() && (IsIdentChar(c[p]) || c[p] == '.' || c[p] == ',' || c[p] == '`' ||
                          (c[p] == ' ' && p > 0 && c[p - 1] == ','))) {
    ++p;
  }
  std::string_view head = c.substr(0, p);
  std::vector<std::string> names;
  for (std::string& n : SplitNames(head)) {
    std::string_view v = StripRole(n);
    while (!v.empty() && v.back() == '`') v.remove_suffix(1);
    if (!v.empty()) names.emplace_back(v);
  }
  if (names.empty()) return std::nullopt;
  bool colon = p < c.size() && c[p] == ':';
  if (!colon && p < c.size() && !LooksLikeExceptionName(names[0])) return std::nullopt;
  return EntryHead{names, ": "};
}

// Bash: "$1: desc", "$@: desc", "$1 - desc", "NAME: desc"; "None" documents nothing.
std::optional<EntryHead> ShellParam(std::string_view c) {
  size_t p = 0;
  while (p < c.size() && c[p] != ':' && c[p] != ' ' && c[p] != '\t') ++p;
  std::string name(c.substr(0, p));
  std::string lower = Lower(name);
  if (name.empty() || lower == "none" || lower == "none." || lower == "n/a") return std::nullopt;
  std::string_view rest = c.substr(p);
  std::string sep = rest.rfind(":", 0) == 0 ? ": " : rest.rfind(" - ", 0) == 0 ? " - " : " ";
  return EntryHead{{name}, sep};
}

// The entries of a Google section: lines at the first entry's indentation start one, deeper lines
// continue it.
void GoogleEntries(const Lines& lines, DocSection& s, bool shell) {
  int entry_indent = -1;
  for (int i = s.first_line + 1; i <= s.last_line; ++i) {
    std::string_view line = NoCr(lines[static_cast<size_t>(i)]);
    if (BlankLine(line)) continue;
    int indent = Indent(line);
    if (entry_indent < 0) entry_indent = indent;
    std::optional<EntryHead> head;
    if (indent <= entry_indent) {
      std::string_view c = TrimView(line);
      head = shell ? ShellParam(c) : s.kind == SectionKind::kParams ? GoogleParam(c) : GoogleRaise(c);
    }
    if (!head) {
      ExtendLastEntries(s, i);
      continue;
    }
    for (const std::string& name : head->names) {
      s.entries.push_back({name, i, i, std::string(LeadingBlanks(line)), head->separator, ""});
    }
  }
}

}  // namespace

std::vector<DocSection> ParseGoogle(const Lines& lines, bool shell) {
  std::vector<DocSection> out;
  int n = static_cast<int>(lines.size());
  for (int i = 0; i < n;) {
    std::optional<Heading> h = GoogleHeading(lines[static_cast<size_t>(i)], shell);
    if (!h) {
      ++i;
      continue;
    }
    int indent = Indent(lines[static_cast<size_t>(i)]);
    int j = i + 1;
    while (j < n && (BlankLine(lines[static_cast<size_t>(j)]) || Indent(lines[static_cast<size_t>(j)]) > indent)) ++j;
    DocSection s;
    s.kind = h->kind;
    s.title = h->title;
    s.has_heading = true;
    s.first_line = i;
    s.last_line = LastNonBlank(lines, i, j - 1);
    if (h->inline_text && s.kind == SectionKind::kRaises) {
      std::string_view line = NoCr(lines[static_cast<size_t>(i)]);
      if (auto head = GoogleRaise(TrimView(line.substr(line.find(':') + 1)))) {
        for (const std::string& name : head->names) s.entries.push_back({name, i, s.last_line, "", ": ", ""});
      }
    }
    bool with_entries = s.kind == SectionKind::kParams || s.kind == SectionKind::kRaises;
    if (with_entries && !h->inline_text) GoogleEntries(lines, s, shell);
    i = s.last_line + 1;
    out.push_back(std::move(s));
  }
  return out;
}

// --- NumPy ---------------------------------------------------------------------------------------

namespace {

constexpr Title kNumpyTitles[] = {
    {"parameters", SectionKind::kParams}, {"params", SectionKind::kParams},
    {"arguments", SectionKind::kParams}, {"args", SectionKind::kParams},
    {"other parameters", SectionKind::kParams}, {"keyword arguments", SectionKind::kParams},
    {"returns", SectionKind::kReturns}, {"return", SectionKind::kReturns},
    {"yields", SectionKind::kYields}, {"yield", SectionKind::kYields},
    {"raises", SectionKind::kRaises}, {"raise", SectionKind::kRaises},
};

bool IsUnderline(std::string_view line) {
  std::string_view t = TrimView(NoCr(line));
  return t.size() >= 3 && t.find_first_not_of('-') == std::string_view::npos;
}

bool NumpyHeading(const Lines& lines, int i) {
  if (i + 1 >= static_cast<int>(lines.size())) return false;
  std::string_view title = NoCr(lines[static_cast<size_t>(i)]);
  if (BlankLine(title) || IsUnderline(title)) return false;
  return IsUnderline(lines[static_cast<size_t>(i) + 1]) && Indent(title) == Indent(lines[static_cast<size_t>(i) + 1]);
}

// "x : int", "x", "x, y : float", "*args : tuple", "ValueError".
std::vector<std::string> NumpyNames(std::string_view c) {
  size_t colon = c.find(" :");
  if (colon == std::string_view::npos && !c.empty() && c.back() == ':') colon = c.size() - 1;
  if (colon == std::string_view::npos) colon = c.find(": ");
  std::vector<std::string> names = SplitNames(c.substr(0, colon));
  for (const std::string& n : names) {
    for (char ch : n) {
      if (!IsIdentChar(ch) && ch != '*' && ch != '.') return {};
    }
  }
  return names;
}

void NumpyEntries(const Lines& lines, DocSection& s) {
  int indent = Indent(lines[static_cast<size_t>(s.first_line)]);
  for (int i = s.first_line + 2; i <= s.last_line; ++i) {
    std::string_view line = NoCr(lines[static_cast<size_t>(i)]);
    if (BlankLine(line)) continue;
    std::vector<std::string> names = Indent(line) <= indent ? NumpyNames(TrimView(line)) : std::vector<std::string>{};
    if (names.empty()) {
      ExtendLastEntries(s, i);
      continue;
    }
    // The description's indentation, as the next line has it (NumPy's own docs: four spaces).
    std::string desc = std::string(LeadingBlanks(line)) + "    ";
    if (i + 1 <= s.last_line && Indent(lines[static_cast<size_t>(i) + 1]) > indent) {
      desc = std::string(LeadingBlanks(lines[static_cast<size_t>(i) + 1]));
    }
    for (const std::string& name : names) {
      s.entries.push_back({name, i, i, std::string(LeadingBlanks(line)), "\n" + desc, ""});
    }
  }
}

}  // namespace

std::vector<DocSection> ParseNumpy(const Lines& lines) {
  std::vector<int> headings;
  for (int i = 0; i < static_cast<int>(lines.size()); ++i) {
    if (NumpyHeading(lines, i)) headings.push_back(i++);
  }
  std::vector<DocSection> out;
  for (size_t h = 0; h < headings.size(); ++h) {
    int end = h + 1 < headings.size() ? headings[h + 1] - 1 : static_cast<int>(lines.size()) - 1;
    DocSection s;
    s.title = std::string(TrimView(NoCr(lines[static_cast<size_t>(headings[h])])));
    s.kind = KindOf(kNumpyTitles, s.title).value_or(SectionKind::kOther);
    s.has_heading = true;
    s.first_line = headings[h];
    s.last_line = LastNonBlank(lines, headings[h] + 1, end);
    if (s.kind == SectionKind::kParams || s.kind == SectionKind::kRaises) NumpyEntries(lines, s);
    out.push_back(std::move(s));
  }
  return out;
}

// --- Sphinx --------------------------------------------------------------------------------------

namespace {

enum class FieldRole { kParam, kType, kReturns, kRaises, kYields, kOther };

FieldRole RoleOf(std::string_view name) {
  std::string n = Lower(name);
  for (std::string_view p : {"param", "parameter", "arg", "argument", "key", "keyword"}) {
    if (n == p) return FieldRole::kParam;
  }
  if (n == "type") return FieldRole::kType;
  if (n == "returns" || n == "return" || n == "rtype") return FieldRole::kReturns;
  if (n == "raises" || n == "raise" || n == "except" || n == "exception") return FieldRole::kRaises;
  if (n == "yields" || n == "yield" || n == "ytype") return FieldRole::kYields;
  return FieldRole::kOther;
}

struct SphinxField {
  FieldRole role;
  std::string name;  // the field name as written: "param"
  std::string args;  // what follows it before the closing colon: "int x"
  std::string body;  // the rest of the line
};

// ":param int x: desc" -> {param, "int x", "desc"}; ":class:`X` is ..." is a role, not a field.
std::optional<SphinxField> ReadField(std::string_view line) {
  std::string_view t = TrimView(NoCr(line));
  if (t.size() < 3 || t[0] != ':' || !std::isalpha(static_cast<unsigned char>(t[1]))) return std::nullopt;
  size_t close = t.find(':', 1);
  if (close == std::string_view::npos) return std::nullopt;
  if (close + 1 < t.size() && (t[close + 1] == '`' || t[close + 1] == ':')) return std::nullopt;  // a role
  std::string_view inside = t.substr(1, close - 1);
  size_t sp = inside.find_first_of(" \t");
  std::string_view name = inside.substr(0, sp);
  std::string_view args = sp == std::string_view::npos ? "" : TrimView(inside.substr(sp));
  return SphinxField{RoleOf(name), std::string(name), std::string(args), std::string(TrimView(t.substr(close + 1)))};
}

std::string LastWord(std::string_view s) {
  size_t sp = s.find_last_of(" \t");
  return std::string(sp == std::string_view::npos ? s : s.substr(sp + 1));
}

std::vector<std::string> RaisedNames(const SphinxField& f) {
  std::string_view from = f.args;
  if (from.empty()) from = std::string_view(f.body).substr(0, f.body.find_first_of(" \t"));
  std::vector<std::string> out;
  for (const std::string& n : SplitNames(from)) {
    std::string_view v = StripRole(n);
    while (!v.empty() && (v.back() == '`' || v.back() == ',' || v.back() == '.')) v.remove_suffix(1);
    if (!v.empty()) out.emplace_back(v);
  }
  return out;
}

// The last line of the field starting at `i`: deeper lines continue it, also after a blank line.
int FieldEnd(const Lines& lines, int i) {
  int indent = Indent(lines[static_cast<size_t>(i)]);
  int last = i;
  for (int j = i + 1; j < static_cast<int>(lines.size()); ++j) {
    if (BlankLine(lines[static_cast<size_t>(j)])) continue;
    if (Indent(lines[static_cast<size_t>(j)]) <= indent) break;
    last = j;
  }
  return last;
}

Field MakeField(const Lines& lines, const SphinxField& f, int i, int last) {
  static constexpr SectionKind kKinds[] = {SectionKind::kParams, SectionKind::kOther, SectionKind::kReturns,
                                           SectionKind::kRaises, SectionKind::kYields, SectionKind::kOther};
  Field out{kKinds[static_cast<int>(f.role)], f.name, i, last, {}};
  std::string indent(LeadingBlanks(lines[static_cast<size_t>(i)]));
  if (f.role == FieldRole::kParam && !f.args.empty()) {
    std::string tag = RoleOf(f.name) == FieldRole::kParam && Lower(f.name).rfind("key", 0) == 0 ? "param" : f.name;
    out.entries.push_back({LastWord(f.args), i, last, indent + ":" + tag + " ", ": ", ""});
  }
  if (f.role == FieldRole::kRaises) {
    for (const std::string& n : RaisedNames(f)) out.entries.push_back({n, i, last, indent + ":" + f.name + " ", ": ", ""});
  }
  return out;
}

// A ":type x:" right before or after ":param x:" is part of x's entry: it goes when x goes.
bool MergeType(std::vector<Field>& fields, const std::vector<std::string>& type_of, size_t k) {
  auto same = [&](const Field& p) {
    return p.kind == SectionKind::kParams && p.entries.size() == 1 && p.entries[0].name == type_of[k];
  };
  Field& t = fields[k];
  if (k > 0 && fields[k - 1].last_line + 1 == t.first_line && same(fields[k - 1]) && type_of[k - 1].empty()) {
    fields[k - 1].last_line = fields[k - 1].entries[0].last_line = t.last_line;
    return true;
  }
  if (k + 1 < fields.size() && t.last_line + 1 == fields[k + 1].first_line && same(fields[k + 1])) {
    fields[k + 1].first_line = fields[k + 1].entries[0].first_line = t.first_line;
    return true;
  }
  return false;
}

}  // namespace

std::vector<DocSection> ParseSphinx(const Lines& lines) {
  std::vector<Field> fields;
  std::vector<std::string> type_of;  // per field: the parameter a ":type x:" is about
  for (int i = 0; i < static_cast<int>(lines.size()); ++i) {
    std::optional<SphinxField> f = ReadField(lines[static_cast<size_t>(i)]);
    if (!f) continue;
    int last = FieldEnd(lines, i);
    fields.push_back(MakeField(lines, *f, i, last));
    type_of.push_back(f->role == FieldRole::kType ? LastWord(f->args) : "");
    i = last;
  }
  std::vector<bool> merged(fields.size(), false);
  for (size_t k = 0; k < fields.size(); ++k) merged[k] = !type_of[k].empty() && MergeType(fields, type_of, k);
  std::vector<Field> kept;
  for (size_t k = 0; k < fields.size(); ++k) {
    if (!merged[k]) kept.push_back(fields[k]);
  }
  return GroupFields(lines, kept);
}

}  // namespace scale::consistency::detail
