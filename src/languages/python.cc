// The Python worker: class / def / async def (with decorators) and their docstrings.
#include <cctype>
#include <unordered_set>

#include "languages/spec.h"
#include "languages/text_util.h"
#include "languages/worker.h"

extern "C" const TSLanguage* tree_sitter_python();

namespace scale::languages::detail {

namespace {

constexpr CommentRole kDir = CommentRole::kDirective;
constexpr CommentRole kNext = CommentRole::kNextLineDirective;

// After the '#' of a Python comment.
constexpr Marker kPythonMarkers[] = {
    {"type:", kDir}, {"noqa", kDir}, {"pragma:", kDir}, {"pylint:", kDir}, {"fmt:", kDir}, {"mypy:", kDir},
    {"pyright:", kDir}, {"isort:", kDir}, {"ruff:", kDir}, {"nosec", kDir}, {"-*-", kDir}, {"vim:", kDir},
    {"coding", kDir}, {"!", kDir},
};

// A plain string literal: no prefix but r/u (any case). f-strings and t-strings build a value at
// run time and bytes are not str, so to CPython none of them is a docstring.
bool IsPlainString(TSNode node, std::string_view text) {
  if (!Is(node, "string")) return false;
  std::string_view literal = Text(node, text);
  for (char c : literal) {
    if (c == '"' || c == '\'') return true;
    if (c != 'r' && c != 'R' && c != 'u' && c != 'U') return false;
  }
  return false;
}

// An expression statement that is only a str constant: a plain string, a concatenation of plain
// strings, or either in parentheses (ast.get_docstring sees through all three).
bool IsStrConstantStatement(TSNode stmt, std::string_view text) {
  if (!Is(stmt, "expression_statement") || ts_node_named_child_count(stmt) != 1) return false;
  TSNode value = ts_node_named_child(stmt, 0);
  while (Is(value, "parenthesized_expression") && ts_node_named_child_count(value) == 1) {
    value = ts_node_named_child(value, 0);
  }
  if (Is(value, "concatenated_string")) {
    for (TSNode part : NamedChildren(value)) {
      if (!IsPlainString(part, text)) return false;
    }
    return true;
  }
  return IsPlainString(value, text);
}

// The string node (or concatenation) inside a str-constant statement.
TSNode StringValue(TSNode stmt) {
  TSNode value = ts_node_named_child(stmt, 0);
  while (Is(value, "parenthesized_expression")) value = ts_node_named_child(value, 0);
  return value;
}

// The body's statements without the comments tree-sitter keeps among them.
std::vector<TSNode> Statements(TSNode block) {
  std::vector<TSNode> out;
  for (TSNode child : NamedChildren(block)) {
    if (!Is(child, "comment")) out.push_back(child);
  }
  return out;
}

// Str-constant statements leading the body: the docstring and any that follow it right away
// (Routine::comment_count; only the first is a comment, the rest are code).
int LeadingStrConstants(const std::vector<TSNode>& statements, std::string_view text) {
  int n = 0;
  while (n < static_cast<int>(statements.size()) && IsStrConstantStatement(statements[static_cast<size_t>(n)], text)) ++n;
  return n;
}

// The prose of one string literal: prefix and quotes removed; in non-raw strings the escapes a
// writer uses for quotes and backslashes undone, so that rendering it again round-trips.
std::string StringContent(std::string_view s) {
  size_t p = 0;
  bool raw = false;
  while (p < s.size() && s[p] != '"' && s[p] != '\'') raw = raw || s[p] == 'r' || s[p] == 'R', ++p;
  s.remove_prefix(p);
  size_t q = (s.size() >= 6 && (s.substr(0, 3) == "\"\"\"" || s.substr(0, 3) == "'''")) ? 3 : 1;
  if (s.size() < 2 * q) return "";
  s = s.substr(q, s.size() - 2 * q);
  if (raw) return std::string(s);
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char n = s[i + 1];
      if (n == '\\' || n == '"' || n == '\'') {
        out += n;
        ++i;
        continue;
      }
      if (n == '\n') {
        ++i;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

std::string DocstringText(TSNode value, std::string_view text) {
  std::string content;
  if (Is(value, "concatenated_string")) {
    for (TSNode part : NamedChildren(value)) {
      if (Is(part, "string")) content += StringContent(Text(part, text));
    }
  } else {
    content = StringContent(Text(value, text));
  }
  return Cleandoc(SplitLines(content));
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// `rule : a b | c` (or `rule ::= ...`, as SPARK writes it): a grammar production.
bool IsProduction(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_')) ++i;
  if (i == 0) return false;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return StartsWith(line.substr(i), "::=") || (StartsWith(line.substr(i), ":") && !StartsWith(line.substr(i), "::"));
}

bool HasDoctest(const std::string& doc) {
  for (const std::string& line : SplitLines(doc)) {
    size_t lead = line.find_first_not_of(" \t");
    if (lead == std::string::npos) continue;
    std::string_view rest = std::string_view(line).substr(lead);
    if (rest == ">>>" || StartsWith(rest, ">>> ")) return true;
  }
  return false;
}

struct Finder {
  const ParsedFile& file;
  std::string_view text;
  Collector& out;

  void AddRoutine(TSNode def, TSNode anchor, int parent, bool in_class, std::vector<std::pair<TSNode, int>>& work) {
    Routine r;
    bool is_class = Is(def, "class_definition");
    r.kind = is_class ? "class" : in_class ? "method" : "function";
    r.name = std::string(Text(Field(def, "name"), text));
    r.start_byte = ts_node_start_byte(anchor);
    r.end_byte = ts_node_end_byte(def);
    r.start_line = StartLine(anchor);
    r.end_line = EndLine(def);
    TSNode body = Field(def, "body");
    r.body_begin = ts_node_is_null(body) ? r.end_byte : ts_node_start_byte(body);
    // The header ends at the ':' before the body (not at the body: comments may sit between).
    size_t colon = r.body_begin;
    for (TSNode child : Children(def)) {
      if (!ts_node_is_named(child) && Is(child, ":") && ts_node_start_byte(child) < r.body_begin) {
        colon = ts_node_end_byte(child);
      }
    }
    r.signature = std::string(text.substr(r.start_byte, colon - r.start_byte));
    std::vector<TSNode> statements = ts_node_is_null(body) ? std::vector<TSNode>{} : Statements(body);
    r.comment_count = LeadingStrConstants(statements, text);
    std::string own_indent;
    IndentBefore(text, r.start_byte, &own_indent);
    if (statements.empty()) {
      r.skip_reason = "empty body";
      r.comment_begin = r.comment_end = r.body_begin;
      r.indent = own_indent + file.indent_unit;
    } else {
      TSNode first = statements.front();
      size_t first_byte = ts_node_start_byte(first);
      bool own_line = LineStart(text, first_byte) > colon && IndentBefore(text, first_byte, &r.indent);
      if (!own_line) r.indent = own_indent + file.indent_unit;
      TSNode doc = DocstringStatement(body, text);
      if (!ts_node_is_null(doc)) {
        TSNode value = StringValue(doc);
        r.has_comment = true;
        r.comment_begin = ts_node_start_byte(value);
        r.comment_end = ts_node_end_byte(value);
        r.existing_comment = DocstringText(value, text);
        r.skip_reason = DocstringDataReason(Text(value, text), r.name);
      } else if (!own_line) {
        // `def f(): return 1`: a docstring needs a line of its own, which means moving code.
        r.skip_reason = "one-line body (a docstring would need the code reformatted)";
        r.comment_begin = r.comment_end = first_byte;
      } else {
        // Insert on a new line right after the header line, before any comments in the body.
        size_t line_end = LineEnd(text, colon);
        std::string_view rest = text.substr(colon, line_end - colon);
        size_t lead = rest.find_first_not_of(" \t\r\f");
        if (lead != std::string_view::npos && rest[lead] != '#') {
          r.skip_reason = "the header line continues after ':'";
          r.comment_begin = r.comment_end = first_byte;
        } else {
          r.comment_begin = r.comment_end = AfterTypeComment(line_end + 1, first_byte);
        }
      }
    }
    int id = out.Add(std::move(r), parent);
    if (!ts_node_is_null(body)) work.emplace_back(body, id * 2 + (is_class ? 1 : 0));
  }

  // A PEP 484 signature comment (`# type: (int) -> str`) must stay on the line right after the
  // header, above the docstring: where the docstring goes when such a line starts at `line`.
  size_t AfterTypeComment(size_t line, size_t first_statement) const {
    if (line >= first_statement) return line;
    size_t end = LineEnd(text, line);
    std::string_view content = text.substr(line, end - line);
    size_t lead = content.find_first_not_of(" \t\f");
    if (lead == std::string_view::npos || content.substr(lead, 1) != "#") return line;
    std::string_view comment = content.substr(lead);
    comment.remove_prefix(1);
    while (!comment.empty() && (comment.front() == ' ' || comment.front() == '\t')) comment.remove_prefix(1);
    bool signature = comment.substr(0, 5) == "type:" && comment.substr(0, 12) != "type: ignore";
    return signature && end < text.size() ? end + 1 : line;
  }

  void Run(TSNode root) {
    // Work items carry (node, parent routine * 2 + "parent is a class"), -2 meaning none.
    std::vector<std::pair<TSNode, int>> work{{root, -2}};
    while (!work.empty()) {
      auto [node, context] = work.back();
      work.pop_back();
      int parent = context < 0 ? -1 : context / 2;
      bool in_class = context >= 0 && context % 2 == 1;
      std::vector<TSNode> children = NamedChildren(node);
      for (auto it = children.rbegin(); it != children.rend(); ++it) {
        TSNode child = *it;
        if (Is(child, "decorated_definition")) {
          TSNode def = Field(child, "definition");
          if (Is(def, "function_definition") || Is(def, "class_definition")) {
            AddRoutine(def, child, parent, in_class, work);
            continue;
          }
        }
        if (Is(child, "function_definition") || Is(child, "class_definition")) {
          AddRoutine(child, child, parent, in_class, work);
        } else if (ts_node_named_child_count(child) > 0) {
          work.emplace_back(child, context);
        }
      }
    }
  }
};

// A docstring must not end the literal early: '\' doubles, every quote in a run of three or more
// is escaped, and so is a quote right before the closing delimiter.
std::string EscapeDocstringLine(const std::string& line, bool before_close) {
  std::string out;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\\') {
      out += "\\\\";
      continue;
    }
    if (c == '"') {
      size_t run_start = i, run_end = i;
      while (run_start > 0 && line[run_start - 1] == '"') --run_start;
      while (run_end < line.size() && line[run_end] == '"') ++run_end;
      bool at_end = before_close && run_end == line.size();
      if (run_end - run_start >= 3 || at_end) out += '\\';
    }
    out += c;
  }
  return out;
}

}  // namespace

void FindPythonRoutines(TSNode root, const ParsedFile& file, Collector& out) {
  Finder finder{file, file.text, out};
  finder.Run(root);
}

std::string RenderDocstring(const ParsedFile& file, const Routine& r, std::string_view text) {
  std::vector<std::string> lines = ProseLines(text, WrapWidth(r.indent, 6, static_cast<size_t>(file.style.width)));
  const std::string& eol = file.eol;
  if (lines.size() <= 1) {
    std::string line = lines.empty() ? "" : EscapeDocstringLine(lines[0], true);
    return r.indent + "\"\"\"" + line + "\"\"\"" + eol;
  }
  std::string out = r.indent + "\"\"\"" + EscapeDocstringLine(lines[0], false) + eol;
  for (size_t i = 1; i < lines.size(); ++i) {
    out += lines[i].empty() ? eol : r.indent + EscapeDocstringLine(lines[i], false) + eol;
  }
  out += r.indent + "\"\"\"" + eol;
  return out;
}

TSNode DocstringStatement(TSNode body, std::string_view text) {
  for (TSNode child : NamedChildren(body)) {
    if (Is(child, "comment")) continue;
    return IsStrConstantStatement(child, text) ? child : TSNode{};
  }
  return TSNode{};
}

std::vector<TSNode> DocstringStatements(TSNode root, std::string_view text) {
  std::vector<TSNode> out;
  std::vector<TSNode> work{root};
  while (!work.empty()) {
    TSNode node = work.back();
    work.pop_back();
    bool is_def = Is(node, "function_definition") || Is(node, "class_definition");
    TSNode body = is_def ? Field(node, "body") : Is(node, "module") ? node : TSNode{};
    if (!ts_node_is_null(body)) {
      TSNode doc = DocstringStatement(body, text);
      if (!ts_node_is_null(doc)) out.push_back(doc);
    }
    for (TSNode child : NamedChildren(node)) {
      if (ts_node_named_child_count(child) > 0) work.push_back(child);
    }
  }
  return out;
}

TSNode DocstringValue(TSNode statement) { return StringValue(statement); }

void AppendPythonTokens(TSNode root, std::string_view text, bool with_depth, std::vector<std::string>& out) {
  // The docstring statements first (by the one definition above), then the walk that skips them.
  std::unordered_set<uint32_t> docstrings;
  for (TSNode doc : DocstringStatements(root, text)) docstrings.insert(ts_node_start_byte(doc));
  static const std::vector<std::string_view> atomic{"string"};
  AppendTokens(
      root, text, atomic,
      [&](TSNode n) {
        return Is(n, "comment") || (Is(n, "expression_statement") && docstrings.count(ts_node_start_byte(n)) > 0 &&
                                    IsStrConstantStatement(n, text));
      },
      with_depth, out);
}

std::string DocstringDataReason(std::string_view literal, std::string_view routine_name) {
  std::string doc = Cleandoc(SplitLines(StringContent(literal)));
  if (HasDoctest(doc)) return "docstring holds doctest examples (tests that replacing it would delete)";
  std::string first = doc.substr(0, doc.find('\n'));
  if (StartsWith(routine_name, "p_") && IsProduction(first)) return "docstring is data (PLY grammar rule)";
  // PLY's lexer takes a t_ function's docstring as its token's regular expression.
  bool raw = literal.find_first_of("rR") < literal.find_first_of("'\"");
  if (StartsWith(routine_name, "t_") && (raw || (doc.find_first_of(" \n") == std::string::npos && !doc.empty()))) {
    return "docstring is data (PLY token regex)";
  }
  return "";
}

std::string DeclaredEncoding(std::string_view text) {
  // As CPython's tokenize.detect_encoding: line 1, then line 2 only if line 1 is blank or a comment.
  text.remove_prefix(BomLength(text));
  for (int line_no = 0; line_no < 2; ++line_no) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    size_t lead = line.find_first_not_of(" \t\f");
    if (lead == std::string_view::npos || line[lead] != '#') {
      if (lead != std::string_view::npos && line[lead] != '\r') return "";  // code: no line 2
    } else {
      // `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)`
      for (size_t at = line.find("coding", lead); at != std::string_view::npos; at = line.find("coding", at + 1)) {
        size_t p = at + 6;
        if (p >= line.size() || (line[p] != ':' && line[p] != '=')) continue;
        ++p;
        while (p < line.size() && (line[p] == ' ' || line[p] == '\t')) ++p;
        size_t q = p;
        while (q < line.size() && (std::isalnum(static_cast<unsigned char>(line[q])) || line[q] == '-' ||
                                   line[q] == '_' || line[q] == '.')) {
          ++q;
        }
        if (q > p) return std::string(line.substr(p, q - p));
      }
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return "";
}

bool IsUtf8EncodingName(std::string_view name) {
  std::string n;
  for (char c : name.substr(0, 12)) n += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return n == "utf-8" || StartsWith(n, "utf-8-") || n == "utf8" || StartsWith(n, "utf8-");
}

namespace {

CommentRole ClassifyPython(std::string_view raw, const CommentContext& context) {
  if (raw.substr(0, 1) != "#") {  // a docstring literal
    return DocstringDataReason(raw, context.routine_name).empty() ? CommentRole::kDoc : CommentRole::kData;
  }
  std::string_view line = raw.substr(1);
  if (line.substr(0, 1) == "!") return kDir;  // a shebang
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  if (auto role = MatchDirective(kPythonMarkers, line, false)) return *role;
  if (IsLicenceText(raw, context.file_header)) return CommentRole::kLicence;
  return CommentRole::kOther;  // Python documents code with docstrings, never with `#` comments
}

}  // namespace

void PythonFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out);  // facts/python.cc

const LanguageSpec& PythonSpec() {
  static const LanguageSpec spec = [] {
    LanguageSpec s;
    s.name = "python";
    s.aliases = {"py"};
    s.extensions = {".py", ".pyw", ".pyi"};
    s.grammar = tree_sitter_python;
    s.comments.line_prefixes = {"#"};
    s.comments.block_open = s.comments.block_close = "";
    s.doc.kind = DocSyntax::kDocstring;
    s.find_routines = FindPythonRoutines;
    s.classify = ClassifyPython;
    s.append_tokens = AppendPythonTokens;
    s.facts = PythonFacts;
    return s;
  }();
  return spec;
}

}  // namespace scale::languages::detail
