// The C++ worker: functions, methods (in and out of class), constructors, destructors, operators,
// templates, classes/structs/unions/enums, lambdas bound to a name, at namespace and class scope
// (also inside #if branches and extern "C" {}); in headers also declarations. Qualified names join
// namespaces, classes and the scopes of an out-of-line definition with "." ("a.b.C.f"), as every
// other language does. docs/languages/cpp.md has the rules.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "languages/spec.h"
#include "languages/text_util.h"
#include "languages/ts_util.h"

extern "C" const TSLanguage* tree_sitter_cpp();

namespace scale::languages::detail {

namespace {

constexpr CommentRole kDir = CommentRole::kDirective;
constexpr CommentRole kNext = CommentRole::kNextLineDirective;

// Matched at the start of the comment's first line, in order (longer markers first). C's list plus
// what C++ tools add (PC-lint, SonarQube, CodeChecker, IDE formatter fences).
constexpr Marker kMarkers[] = {
    {"NOLINTNEXTLINE", kNext}, {"NOLINTBEGIN", kDir}, {"NOLINTEND", kDir}, {"NOLINT", kNext},
    {"clang-format", kDir}, {"clang-tidy", kDir}, {"IWYU pragma", kDir}, {"LCOV_EXCL", kDir}, {"GCOVR_EXCL", kDir},
    {"GCOV_EXCL", kDir}, {"cppcheck-suppress", kNext}, {"coverity[", kNext}, {"codechecker_suppress", kNext},
    {"NOSONAR", kNext}, {"lint ", kDir}, {"lint-", kDir}, {"@formatter:", kDir}, {"parasoft-", kDir},
    {"ARGSUSED", kNext}, {"NOTREACHED", kNext}, {"FALLTHROUGH", kNext}, {"FALLTHRU", kNext},
    {"@cond", kDir}, {"@endcond", kDir}, {"\\cond", kDir}, {"\\endcond", kDir},
    {"#region", kDir}, {"#endregion", kDir}, {"-*-", kDir}, {"vim:", kDir}, {"vi:", kDir},
};

// Where a routine is declared: its parent routine (the class) and the qualification between
// that parent and the name (namespaces; the scopes of `A::B::f`).
struct Scope {
  int parent = -1;
  std::string prefix;
  bool in_class = false;
  std::string class_name;  // the enclosing class's own name (a constructor is named like it)
};

std::string Join(const std::string& a, const std::string& b) { return a.empty() ? b : b.empty() ? a : a + "." + b; }

// A name as people write it in --only: whitespace removed ("operator ==" -> "operator=="), but one
// space after `operator` kept for conversions ("operator bool").
std::string CleanName(std::string_view raw) {
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
      out += c;
    } else if (out == "operator" && i + 1 < raw.size() && (std::isalpha(static_cast<unsigned char>(raw[i + 1])) ||
                                                           raw[i + 1] == '_')) {
      out += ' ';
    }
  }
  return out;
}

// What a declarator declares: the name node, the scopes written before it (`A::B::` -> "A.B"),
// and whether the name is directly that of a function declarator (not of a pointer to one).
struct Declared {
  TSNode name{};
  std::string scopes;
  bool is_function = false;
};

Declared FollowDeclarator(TSNode declarator, std::string_view text) {
  Declared d;
  TSNode node = declarator;
  for (int guard = 0; guard < 64 && !ts_node_is_null(node); ++guard) {
    if (Is(node, "qualified_identifier")) {
      TSNode scope = Field(node, "scope");
      if (!ts_node_is_null(scope)) {
        TSNode base = Is(scope, "template_type") ? Field(scope, "name") : scope;
        d.scopes = Join(d.scopes, CleanName(Text(base, text)));
      }
      node = Field(node, "name");
      continue;
    }
    if (Is(node, "identifier") || Is(node, "field_identifier") || Is(node, "type_identifier") ||
        Is(node, "destructor_name") || Is(node, "operator_name") || Is(node, "operator_cast")) {
      d.name = node;
      d.is_function = d.is_function || Is(node, "operator_cast");  // `operator bool() const`
      return d;
    }
    if (Is(node, "template_function") || Is(node, "template_method")) {
      node = Field(node, "name");  // `f<int>`: the specialisation of f
      continue;
    }
    TSNode inner = Field(node, "declarator");
    if (ts_node_is_null(inner) && (Is(node, "parenthesized_declarator") || Is(node, "reference_declarator") ||
                                   Is(node, "attributed_declarator") || Is(node, "parenthesized_field_declarator") ||
                                   Is(node, "reference_field_declarator"))) {
      inner = ts_node_named_child_count(node) > 0 ? ts_node_named_child(node, 0) : TSNode{};
    }
    d.is_function = Is(node, "function_declarator") || Is(node, "function_field_declarator");
    node = inner;
  }
  d.name = TSNode{};
  return d;
}

// "function", "method", "constructor", "destructor" or "operator", from what the syntax shows.
std::string FunctionKind(TSNode name, std::string_view clean, const Scope& scope, const std::string& scopes) {
  if (Is(name, "destructor_name")) return "destructor";
  if (Is(name, "operator_name") || Is(name, "operator_cast")) return "operator";
  std::string owner = scopes.empty() ? (scope.in_class ? scope.class_name : "") : scopes.substr(scopes.rfind('.') + 1);
  if (!owner.empty() && clean == owner) return "constructor";
  return scope.in_class ? "method" : "function";
}

bool IsClassSpecifier(TSNode node) {
  return Is(node, "class_specifier") || Is(node, "struct_specifier") || Is(node, "union_specifier") ||
         Is(node, "enum_specifier");
}

// Containers whose children are at the same scope as the container itself.
bool IsTransparent(TSNode node) {
  return Is(node, "translation_unit") || Is(node, "declaration_list") || Is(node, "preproc_if") ||
         Is(node, "preproc_ifdef") || Is(node, "preproc_else") || Is(node, "preproc_elif") ||
         Is(node, "preproc_elifdef");
}

// The name as written: `operator bool` for a conversion (without its parameter list).
std::string NameOf(TSNode name, std::string_view text) {
  if (Is(name, "operator_cast")) {
    TSNode type = Field(name, "type");
    return "operator " + CleanName(Text(type, text));
  }
  return CleanName(Text(name, text));
}

// `EXPORT_API`, `_GLIBCXX20_CONSTEXPR`, `JSON_HEDLEY_DEPRECATED_FOR(3.11, x)`: a capitalised word
// with an underscore, its arguments on the same line.
size_t MacroWordEnd(std::string_view line, size_t i) {
  size_t e = i;
  bool upper = false, underscore = false;
  while (e < line.size() && (std::isupper(static_cast<unsigned char>(line[e])) || line[e] == '_' ||
                             std::isdigit(static_cast<unsigned char>(line[e])))) {
    upper = upper || std::isupper(static_cast<unsigned char>(line[e]));
    underscore = underscore || line[e] == '_';
    ++e;
  }
  if (!upper || !underscore || e - i < 4 || (e < line.size() && (std::isalnum(static_cast<unsigned char>(line[e])) ||
                                                                   line.substr(e, 2) == "::"))) {
    return i;
  }
  if (e < line.size() && line[e] == '(') {
    int depth = 0;
    for (size_t k = e; k < line.size(); ++k) {
      char c = line[k];
      if (c == '"' || c == '\'' || c == '/' || c == ';' || c == '{' || c == '}') return i;
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (depth == 0) return k + 1;
    }
    return i;
  }
  return e;
}

// Macros before a declaration's type at the start of `line` (`GTEST_API_ AssertionResult f(`,
// `static _GLIBCXX20_CONSTEXPR void`), among specifier keywords, when a word follows them: blanked in `out`.
void MaskSpecifierMacros(std::string_view text, std::string_view line, std::string& out) {
  static constexpr std::string_view kSpecifiers[] = {"static", "inline", "constexpr", "virtual", "explicit",
                                                      "friend", "extern", "consteval", "constinit"};
  std::vector<std::pair<size_t, size_t>> macros;
  size_t i = 0;
  while (i < line.size()) {
    size_t e = MacroWordEnd(line, i);
    if (e > i) {
      macros.emplace_back(i, e);
    } else {
      e = i;
      while (e < line.size() && (std::isalnum(static_cast<unsigned char>(line[e])) || line[e] == '_')) ++e;
      std::string_view word = line.substr(i, e - i);
      if (std::find(std::begin(kSpecifiers), std::end(kSpecifiers), word) == std::end(kSpecifiers)) break;
    }
    i = line.find_first_not_of(" \t", e);
    if (i == std::string_view::npos) return;
  }
  if (macros.empty() || !(std::isalpha(static_cast<unsigned char>(line[i])) || line[i] == '_' || line[i] == '~')) return;
  if (out.empty()) out = text;
  size_t base = static_cast<size_t>(line.data() - text.data());
  for (auto [b, e] : macros) {
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(base + b), out.begin() + static_cast<std::ptrdiff_t>(base + e), ' ');
  }
}

std::string_view Trimmed(std::string_view line) {
  size_t b = line.find_first_not_of(" \t\f\r\n"), e = line.find_last_not_of(" \t\f\r\n");
  return b == std::string_view::npos ? std::string_view() : line.substr(b, e - b + 1);
}

struct Finder {
  const ParsedFile& file;
  std::string_view text;
  Collector& out;
  std::vector<CommentNode> comments;
  std::string masked;  // what tree-sitter read (MaskCppMacros)

  // Where the routine really starts: a masked macro line right above it (`_GLIBCXX_NODISCARD`,
  // `Q_INVOKABLE`, an export macro) is part of it.
  size_t DeclarationStart(size_t start) const {
    size_t at = start;
    while (at > 0 && std::isspace(static_cast<unsigned char>(masked[at - 1]))) --at;
    while (at < start && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
    std::string_view above = Trimmed(text.substr(at, start - at));
    bool blank_line = false;
    for (size_t nl = text.find('\n', at); nl < start && !blank_line; nl = text.find('\n', nl + 1)) {
      blank_line = Trimmed(text.substr(nl + 1, LineEnd(text, nl + 1) - nl - 1)).empty();
    }
    if (above.empty() || above.back() == ':' || blank_line) {
      return start;  // nothing masked above, a blank line between, or a Qt `signals:` section
    }
    return at;
  }

  // A routine from `anchor` (where its comment goes: `template`, `extern "C"`, `friend`, the
  // declaration of `auto f = ...`) over `def`, whose body (null for a declaration) is cut from the
  // signature.
  int Add(TSNode anchor, TSNode def, TSNode body, std::string kind, std::string name, const Scope& scope,
          const std::string& scopes) {
    Routine r;
    r.kind = std::move(kind);
    r.name = std::move(name);
    r.start_byte = DeclarationStart(ts_node_start_byte(anchor));
    r.end_byte = std::max(ts_node_end_byte(anchor), ts_node_end_byte(def));
    r.start_line = StartLine(anchor) - static_cast<int>(std::count(text.begin() + static_cast<std::ptrdiff_t>(r.start_byte),
                                                                   text.begin() + static_cast<std::ptrdiff_t>(ts_node_start_byte(anchor)), '\n'));
    r.end_line = EndLine(anchor);
    r.body_begin = ts_node_is_null(body) ? r.end_byte : ts_node_start_byte(body);
    r.signature = std::string(text.substr(r.start_byte, r.body_begin - r.start_byte));
    while (!r.signature.empty() && std::string_view(" \t\r\n").find(r.signature.back()) != std::string_view::npos) {
      r.signature.pop_back();
    }
    AttachLeadingComment(file, r, comments, r.start_byte);
    return out.Add(std::move(r), scope.parent, Join(scope.prefix, scopes));
  }

  // A function definition, or (`body` null) a declaration, named by `declarator`.
  void Function(TSNode anchor, TSNode def, TSNode declarator, TSNode body, const Scope& scope) {
    Declared d = FollowDeclarator(declarator, text);
    if (ts_node_is_null(d.name)) return;
    std::string name = NameOf(d.name, text);
    std::string kind = FunctionKind(d.name, name, scope, d.scopes);
    // Without a return type only a constructor, destructor or conversion can be declared: anything
    // else is a macro call (`DISALLOW_COPY(Foo);`, `TEST(Suite, Name)`).
    if (ts_node_is_null(Field(def, "type")) && (kind == "function" || kind == "method")) return;
    if (ts_node_is_null(body) && kind == "function") kind = "prototype";
    Add(anchor, def, body, kind, name, scope, d.scopes);
  }

  // `class A { ... }` with a name and a body: the class, then its members as its children.
  void Class(TSNode anchor, TSNode specifier, const Scope& scope) {
    TSNode name = Field(specifier, "name");
    TSNode body = Field(specifier, "body");
    if (ts_node_is_null(body)) return;
    std::string kind(ts_node_type(specifier));
    kind.resize(kind.find('_'));  // "class", "struct", "union", "enum"
    if (ts_node_is_null(name)) return;  // anonymous: its members belong to the enclosing scope's object
    Declared d = FollowDeclarator(name, text);
    TSNode base = Is(name, "template_type") ? Field(name, "name") : d.name;
    if (ts_node_is_null(base)) return;
    std::string own = CleanName(Text(base, text));
    int id = Add(anchor, specifier, body, kind, own, scope, d.scopes);
    if (kind == "enum") return;
    Scope inner{id, "", true, own};
    for (TSNode member : NamedChildren(body)) Visit(member, inner, TSNode{});
  }

  // A declaration (namespace or class scope): a class defined in it, a lambda bound to its one
  // name, or (in headers) a function or method declaration.
  void Declaration(TSNode anchor, TSNode node, const Scope& scope) {
    TSNode type = Field(node, "type");
    if (IsClassSpecifier(type) && !ts_node_is_null(Field(type, "body"))) return Class(anchor, type, scope);
    std::vector<TSNode> declarators;
    for (uint32_t i = 0; i < ts_node_child_count(node); ++i) {
      if (const char* field = ts_node_field_name_for_child(node, i); field && std::string_view(field) == "declarator") {
        declarators.push_back(ts_node_child(node, i));
      }
    }
    if (declarators.empty()) return;
    TSNode first = declarators[0];
    TSNode value = Is(first, "init_declarator") ? Field(first, "value") : Field(node, "default_value");
    if (Is(first, "init_declarator")) first = Field(first, "declarator");
    if (Is(value, "lambda_expression")) {
      Declared d = FollowDeclarator(first, text);
      if (declarators.size() == 1 && !ts_node_is_null(d.name)) {
        Add(anchor, node, Field(value, "body"), "lambda", CleanName(Text(d.name, text)), scope, d.scopes);
      }
      return;
    }
    // A pure virtual method is declared `= 0`; any other initializer makes it a variable.
    bool pure = Is(value, "number_literal") && Text(value, text) == "0";
    if (!file.c_header || (!ts_node_is_null(value) && !pure)) return;
    Declared d = FollowDeclarator(first, text);
    if (d.is_function) Function(anchor, node, first, TSNode{}, scope);
  }

  // One child of a namespace, class or #if body. `anchor` is set when an enclosing `template <>`,
  // `extern "C"` or `friend` starts the routine.
  void Visit(TSNode node, const Scope& scope, TSNode anchor) {
    TSNode at = ts_node_is_null(anchor) ? node : anchor;
    if (IsTransparent(node)) {
      for (TSNode child : NamedChildren(node)) Visit(child, scope, TSNode{});
    } else if (Is(node, "namespace_definition")) {
      TSNode name = Field(node, "name");
      Scope inner = scope;
      if (!ts_node_is_null(name)) inner.prefix = Join(scope.prefix, CleanName(Text(name, text)));
      for (size_t at_colon = inner.prefix.find("::"); at_colon != std::string::npos; at_colon = inner.prefix.find("::")) {
        inner.prefix.replace(at_colon, 2, ".");
      }
      TSNode body = Field(node, "body");
      if (!ts_node_is_null(body)) Visit(body, inner, TSNode{});
    } else if (Is(node, "linkage_specification")) {
      TSNode body = Field(node, "body");
      if (!ts_node_is_null(body)) Visit(body, scope, Is(body, "declaration_list") ? TSNode{} : at);
    } else if (Is(node, "template_declaration") || Is(node, "friend_declaration")) {
      Scope inner = scope;
      if (Is(node, "friend_declaration")) inner.in_class = false;  // a friend is no member: "function", "operator"
      for (TSNode child : NamedChildren(node)) {
        if (!Is(child, "template_parameter_list") && !Is(child, "requires_clause")) Visit(child, inner, at);
      }
    } else if (Is(node, "function_definition")) {
      TSNode body = Field(node, "body");
      if (!ts_node_is_null(body) || file.c_header) Function(at, node, Field(node, "declarator"), body, scope);
    } else if (Is(node, "declaration") || Is(node, "field_declaration")) {
      Declaration(at, node, scope);
    } else if (IsClassSpecifier(node)) {
      Class(at, node, scope);
    } else if (Is(node, "type_definition")) {
      // `typedef struct { ... } T;`: the struct is named by the typedef.
      TSNode type = Field(node, "type");
      if (IsClassSpecifier(type) && !ts_node_is_null(Field(type, "body"))) {
        if (!ts_node_is_null(Field(type, "name"))) return Class(at, type, scope);
        Declared d = FollowDeclarator(Field(node, "declarator"), text);
        std::string kind(ts_node_type(type));
        kind.resize(kind.find('_'));
        if (!ts_node_is_null(d.name)) Add(at, node, Field(type, "body"), kind, CleanName(Text(d.name, text)), scope, "");
      }
    }
  }
};

// ---- Macros on a line of their own ------------------------------------------------------------
// tree-sitter-cpp reads the text before the preprocessor: a lone `Q_OBJECT` or
// `_GLIBCXX_BEGIN_NAMESPACE_VERSION` (no `;`) is joined with the next member or declaration, and
// Qt's `signals:` / `public slots:` are errors. MaskCppMacros blanks such lines (same length, so
// every offset and line stays); the code tokens (AppendCppTokens) keep the masked words.

// `NAME` or `NAME(args)` in capitals, or a Qt signal/slot section; `line` is trimmed.
bool IsMacroLine(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (std::isupper(static_cast<unsigned char>(line[i])) || line[i] == '_' ||
                             (i > 0 && std::isdigit(static_cast<unsigned char>(line[i]))))) {
    ++i;
  }
  bool word = i >= 2 && std::any_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(i),
                                    [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
  if (word && i == line.size()) return true;
  if (word && line[i] == '(' && line.back() == ')') {
    std::string_view args = line.substr(i);
    int depth = 0;
    for (char c : args) {
      if (c == '"' || c == '\'' || c == '/' || c == '\\' || c == ';' || c == '{' || c == '}') return false;
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    }
    return depth == 0;
  }
  for (std::string_view access : {"public ", "protected ", "private "}) {
    if (line.substr(0, access.size()) == access) line.remove_prefix(line.find_first_not_of(' ', access.size()));
  }
  for (std::string_view qt : {"signals", "slots", "Q_SIGNALS", "Q_SLOTS"}) {
    if (line.substr(0, qt.size()) == qt && line.size() > qt.size() && line.back() == ':' &&
        IsSpaces(line.substr(qt.size(), line.size() - qt.size() - 1))) {
      return true;
    }
  }
  return false;
}

// A macro line is one whose code line above ends a declaration, a block or an access label (or
// there is none) and whose next line does not open a body (`TEST(A, B)` / `{`).
std::string MaskCppMacros(std::string_view text, const ParseOptions&) {
  std::string out;
  char previous = '\0';
  bool continued = false;  // inside a preprocessor line continued with a backslash
  for (size_t begin = BomLength(text); begin < text.size();) {
    size_t end = LineEnd(text, begin);
    std::string_view line = Trimmed(text.substr(begin, end - begin));
    size_t next = end + 1;
    bool directive = continued || (!line.empty() && line[0] == '#');
    continued = directive && !line.empty() && line.back() == '\\';
    if (line.empty() || directive || line.substr(0, 2) == "//" || line.substr(0, 2) == "/*" || line[0] == '*') {
      begin = next;
      continue;
    }
    // `namespace std _GLIBCXX_VISIBILITY(default)`: the macro after the name.
    if (line.substr(0, 10) == "namespace ") {
      size_t name_end = line.find(' ', 10);
      if (name_end != std::string_view::npos && IsMacroLine(Trimmed(line.substr(name_end)))) {
        if (out.empty()) out = text;
        size_t at = static_cast<size_t>(line.data() - text.data()) + name_end;
        std::fill(out.begin() + static_cast<std::ptrdiff_t>(at), out.begin() + static_cast<std::ptrdiff_t>(at + line.size() - name_end), ' ');
      }
    }
    bool after_end = previous == '\0' || std::string_view("{;}:").find(previous) != std::string_view::npos;
    if (after_end || previous == '>') MaskSpecifierMacros(text, line, out);
    if (after_end && IsMacroLine(line)) {
      size_t ahead = next;
      while (ahead < text.size() && Trimmed(text.substr(ahead, LineEnd(text, ahead) - ahead)).empty()) {
        ahead = LineEnd(text, ahead) + 1;
      }
      std::string_view following = ahead < text.size() ? Trimmed(text.substr(ahead, LineEnd(text, ahead) - ahead)) : "";
      if (following.empty() || following[0] != '{') {
        if (out.empty()) out = text;
        size_t at = static_cast<size_t>(line.data() - text.data());
        std::fill(out.begin() + static_cast<std::ptrdiff_t>(at), out.begin() + static_cast<std::ptrdiff_t>(at + line.size()), ' ');
        begin = next;
        continue;
      }
    }
    previous = line.back();
    begin = next;
  }
  return out.empty() ? std::string(text) : out;
}

const std::vector<std::string_view> kAtomicTokens = {"string_literal", "char_literal", "raw_string_literal",
                                                     "concatenated_string", "system_lib_string"};

// The shared code tokens of the (masked) tree plus, in place, every word of the original text no
// token covers: the masked macros, so that changing one is a change of code.
void AppendCppTokens(TSNode root, std::string_view text, bool with_depth, std::vector<std::string>& out) {
  size_t pos = 0;
  auto gap = [&](size_t until) {
    for (size_t i = pos; i < until && i < text.size();) {
      if (std::isspace(static_cast<unsigned char>(text[i]))) {
        ++i;
        continue;
      }
      size_t e = i;
      while (e < until && e < text.size() && !std::isspace(static_cast<unsigned char>(text[e]))) ++e;
      if (text.substr(i, e - i) != "\\") out.push_back("macro " + std::string(text.substr(i, e - i)));
      i = e;
    }
    pos = std::max(pos, until);
  };
  auto skip = [&](TSNode node) {
    gap(ts_node_start_byte(node));
    bool comment = Is(node, "comment");
    bool atomic = std::find(kAtomicTokens.begin(), kAtomicTokens.end(), std::string_view(ts_node_type(node))) !=
                  kAtomicTokens.end();
    if (comment || atomic || ts_node_child_count(node) == 0) pos = std::max(pos, static_cast<size_t>(ts_node_end_byte(node)));
    return comment;
  };
  AppendTokens(root, text, kAtomicTokens, skip, with_depth, out);
  gap(text.size());
}

void FindCppRoutines(TSNode root, const ParsedFile& file, Collector& out) {
  Finder finder{file, file.text, out, CollectComments(root, file.text, file.language.spec().comments),
                MaskCppMacros(file.text, ParseOptions{})};
  finder.Visit(root, Scope{}, TSNode{});
}

}  // namespace

void CppFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out);  // facts/cpp.cc

const LanguageSpec& CppSpec() {
  static const LanguageSpec spec = [] {
    LanguageSpec s;
    s.name = "cpp";
    s.aliases = {"c++", "cxx", "cc", "hpp"};
    s.extensions = {".cc", ".cpp", ".cxx", ".c++", ".hpp", ".hh", ".hxx", ".h++", ".ipp", ".inl", ".tcc"};
    s.header_extensions = {".hpp", ".hh", ".hxx", ".h++", ".ipp", ".inl", ".tcc"};
    s.grammar = tree_sitter_cpp;
    s.atomic_tokens = kAtomicTokens;
    s.directives = kMarkers;
    s.find_routines = FindCppRoutines;
    s.facts = CppFacts;
    s.doc.opening_follows_file = true;  // `/*` or `/**` and runs of `///` are taste in C++ as in C
    s.append_tokens = AppendCppTokens;
    s.prepare = MaskCppMacros;
    return s;
  }();
  return spec;
}

}  // namespace scale::languages::detail
