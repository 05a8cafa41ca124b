// The @-tag reader: one grammar (a line starting with @tag or \tag starts an entry that runs to the
// next tag line or blank line) with the dialects' ways of writing a parameter's name and type:
// JSDoc/TSDoc, Doxygen, Javadoc, PHPDoc, YARD, LDoc and LuaCATS.
#include <cctype>
#include <optional>

#include "consistency/doc_parse_internal.h"
#include "util/text.h"

namespace scale::consistency::detail {

namespace {

enum class Dialect { kJsDoc, kDoxygen, kJavadoc, kPhp, kYard, kLua };

Dialect DialectOf(std::string_view language) {
  if (language == "c" || language == "cpp") return Dialect::kDoxygen;
  if (language == "java") return Dialect::kJavadoc;
  if (language == "php") return Dialect::kPhp;
  if (language == "ruby") return Dialect::kYard;
  if (language == "lua") return Dialect::kLua;
  return Dialect::kJsDoc;
}

struct Tag {
  std::string written;  // "@param", "\throws"
  std::string word;     // "param", lowercase
  size_t end = 0;       // where the tag ends in the trimmed line
};

// Doxygen commands that sit inside a sentence (\c NULL, \p buf, \ref x, \f$x\f$): a wrapped line
// may start with one, and it does not start an entry.
bool InlineCommand(std::string_view word) {
  for (std::string_view w : {"a", "b", "c", "p", "e", "em", "ref", "link", "endlink", "f", "n", "anchor"}) {
    if (word == w) return true;
  }
  return false;
}

std::optional<Tag> ReadTag(std::string_view t, Dialect dialect) {
  if (t.size() < 2 || (t[0] != '@' && t[0] != '\\') || !std::isalpha(static_cast<unsigned char>(t[1]))) {
    return std::nullopt;
  }
  size_t end = 1;
  while (end < t.size() && (IsIdentChar(t[end]) || t[end] == '-' || t[end] == '\\')) ++end;
  Tag tag{std::string(t.substr(0, end)), Lower(t.substr(1, end - 1)), end};
  if (t[0] == '\\' && (dialect != Dialect::kDoxygen || InlineCommand(tag.word))) return std::nullopt;
  if (t[0] == '@' && dialect == Dialect::kDoxygen && InlineCommand(tag.word)) return std::nullopt;
  return tag;
}

SectionKind KindOf(const Tag& tag, Dialect dialect) {
  const std::string& w = tag.word;
  if (w == "param" || w == "arg" || w == "argument") return SectionKind::kParams;
  if (w == "tparam") return dialect == Dialect::kLua ? SectionKind::kParams : SectionKind::kOther;
  if (w == "return" || w == "returns" || w == "retval" || w == "result" || w == "treturn") return SectionKind::kReturns;
  if (w == "throws" || w == "throw" || w == "exception" || w == "raise" || w == "raises") return SectionKind::kRaises;
  if (w == "yields" || w == "yield") return SectionKind::kYields;
  return SectionKind::kOther;
}

// The index just past the bracket closing the one at `open` (nesting counted), or npos.
size_t PastClosing(std::string_view s, size_t open) {
  char o = s[open], c = o == '[' ? ']' : o == '{' ? '}' : '>';
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    depth += s[i] == o ? 1 : s[i] == c ? -1 : 0;
    if (depth == 0) return i + 1;
  }
  return std::string_view::npos;
}

size_t SkipBlanks(std::string_view s, size_t p) {
  while (p < s.size() && (s[p] == ' ' || s[p] == '\t')) ++p;
  return p;
}
size_t WordEnd(std::string_view s, size_t p) {
  while (p < s.size() && s[p] != ' ' && s[p] != '\t') ++p;
  return p;
}

bool IsDirection(std::string_view b) {
  std::string d;
  for (char ch : b) {
    if (ch != ' ') d += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return d == "in" || d == "out" || d == "in,out" || d == "out,in" || d == "inout";
}

// A LuaCATS type right after the name ("x string ...", "opts? table ...") rather than LDoc prose.
bool LooksLikeLuaType(std::string_view word) {
  for (std::string_view t : {"string", "number", "integer", "boolean", "table", "function", "any", "nil",
                             "userdata", "thread", "lightuserdata", "unknown", "self"}) {
    if (word.substr(0, t.size()) == t) return true;
  }
  return word.find_first_of("|[<?") != std::string_view::npos ||
         (!word.empty() && std::isupper(static_cast<unsigned char>(word[0])) && word.find('.') != std::string_view::npos);
}

struct ParamHead {
  std::vector<std::string> names;
  std::string lead_extra, separator;  // what goes after "@param " and after the name
  bool type_parameter = false;        // Javadoc "@param <T>"
};

// What follows "@param": the dialects' type and direction decorations around the name.
ParamHead ReadParam(std::string_view rest, const Tag& tag, Dialect dialect) {
  ParamHead out;
  size_t p = SkipBlanks(rest, 0);
  std::string name;
  bool bracketed = false, typed = false;
  for (int guard = 0; guard < 4 && p < rest.size() && name.empty(); ++guard) {
    if (rest[p] != '[' && rest[p] != '{') break;
    size_t close = PastClosing(rest, p);
    if (close == std::string_view::npos) break;
    std::string_view inside = rest.substr(p + 1, close - p - 2);
    if (dialect == Dialect::kLua && inside.rfind("opt", 0) == 0) {
      // LDoc's "@tparam[opt] type x" / "[opt=1]": a modifier, not the name
    } else if (rest[p] == '{' || IsDirection(inside) || dialect == Dialect::kYard) {
      typed = typed || !IsDirection(inside);  // {T}, YARD [Type]
    } else {
      name = std::string(TrimView(inside.substr(0, inside.find('='))));  // JSDoc [name=default]
      bracketed = true;
    }
    p = SkipBlanks(rest, close);
  }
  if (name.empty() && dialect == Dialect::kPhp) {
    for (size_t q = p; q < rest.size(); q = SkipBlanks(rest, WordEnd(rest, q))) {
      std::string_view word = rest.substr(q, WordEnd(rest, q) - q);
      size_t dollar = word.find('$');
      if (dollar != std::string_view::npos && word.find_first_not_of("&.") >= dollar) {
        typed = typed || q > p;
        name = std::string(word.substr(dollar));
        p = q + word.size();
        break;
      }
    }
  }
  if (name.empty() && !bracketed) {
    if (dialect == Dialect::kLua && tag.word == "tparam") p = SkipBlanks(rest, WordEnd(rest, p)), typed = true;
    size_t end = WordEnd(rest, p);
    name = std::string(rest.substr(p, end - p));
    p = end;
  }
  while (!name.empty() && (name.back() == ':' || name.back() == ',' || (dialect == Dialect::kLua && name.back() == '?'))) {
    if (name.back() == ':') --p;
    name.pop_back();
  }
  out.type_parameter = !name.empty() && name[0] == '<';
  out.names = dialect == Dialect::kDoxygen ? SplitNames(name) : std::vector<std::string>{name};
  std::string_view after = rest.substr(std::min(p, rest.size()));
  size_t q = SkipBlanks(after, 0);
  bool dash = q < after.size() && after[q] == '-' && (q + 1 == after.size() || after[q + 1] == ' ');
  out.separator = dash ? " - " : !after.empty() && after[0] == ':' ? ": " : " ";
  if (dialect == Dialect::kPhp) out.lead_extra = "mixed ";
  if (dialect == Dialect::kLua && tag.word == "tparam") {
    out.lead_extra = "any ";  // LDoc's "@tparam type x"
  } else if (dialect == Dialect::kLua && !dash &&
             (typed || LooksLikeLuaType(after.substr(q, WordEnd(after, q) - q)))) {
    out.separator = " any ";  // LuaCATS's "@param x type"
  }
  return out;
}

// What follows "@throws": "X", "{X}", "{@link X}", "{@link X | label}", YARD "[X, Y]", "X:".
std::vector<std::string> ReadRaised(std::string_view rest) {
  size_t p = SkipBlanks(rest, 0);
  if (p < rest.size() && (rest[p] == '{' || rest[p] == '[')) {
    size_t close = PastClosing(rest, p);
    if (close == std::string_view::npos) close = rest.size() + 1;
    std::string_view inside = TrimView(rest.substr(p + 1, close - p - 2));
    for (std::string_view link : {"@linkcode", "@linkplain", "@link"}) {
      if (inside.rfind(link, 0) == 0) {
        inside = TrimView(inside.substr(link.size()));
        return {std::string(inside.substr(0, std::min(inside.find_first_of(" \t|"), inside.size())))};
      }
    }
    return SplitNames(inside, rest[p] == '{' ? '|' : ',');
  }
  size_t end = WordEnd(rest, p);
  std::string name(rest.substr(p, end - p));
  while (!name.empty() && (name.back() == ':' || name.back() == ',')) name.pop_back();
  // "@throws Will throw when ..." (JSDoc allows a bare description) names nothing.
  bool alone = SkipBlanks(rest, end) == rest.size();
  if (name.empty() || (!alone && !LooksLikeExceptionName(name))) return {};
  return {name};
}

Field ReadEntry(const Lines& lines, int first, int last, const Tag& tag, std::string_view rest, Dialect dialect) {
  Field f{KindOf(tag, dialect), tag.written, first, last, {}};
  std::string indent(LeadingBlanks(lines[static_cast<size_t>(first)]));
  if (f.kind == SectionKind::kParams) {
    ParamHead head = ReadParam(rest, tag, dialect);
    if (head.type_parameter) {
      f.kind = SectionKind::kOther;
      return f;
    }
    for (const std::string& n : head.names) {
      if (!n.empty()) f.entries.push_back({n, first, last, indent + tag.written + " " + head.lead_extra, head.separator, ""});
    }
  } else if (f.kind == SectionKind::kRaises) {
    for (const std::string& n : ReadRaised(rest)) f.entries.push_back({n, first, last, indent + tag.written + " ", " ", ""});
  }
  return f;
}

}  // namespace

std::vector<DocSection> ParseTags(const Lines& lines, std::string_view language) {
  Dialect dialect = DialectOf(language);
  int n = static_cast<int>(lines.size());
  std::vector<Field> fields;
  for (int i = 0; i < n; ++i) {
    std::string_view t = TrimView(NoCr(lines[static_cast<size_t>(i)]));
    std::optional<Tag> tag = ReadTag(t, dialect);
    if (!tag) continue;
    int last = i;
    while (last + 1 < n) {
      std::string_view next = TrimView(NoCr(lines[static_cast<size_t>(last) + 1]));
      if (next.empty() || ReadTag(next, dialect)) break;
      ++last;
    }
    fields.push_back(ReadEntry(lines, i, last, *tag, t.substr(tag->end), dialect));
    i = last;
  }
  return GroupFields(lines, fields);
}

}  // namespace scale::consistency::detail
