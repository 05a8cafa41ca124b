// The C worker: function definitions (K&R ones too) and named struct/enum/union definitions at
// top level (also inside #if/#ifdef); in headers also prototypes and typedefs. Declaration macros
// are masked before tree-sitter reads the file (MaskCMacros, docs/languages/c.md).
#include <algorithm>
#include <cctype>
#include <initializer_list>

#include "languages/spec.h"
#include "languages/text_util.h"
#include "languages/worker.h"

extern "C" const TSLanguage* tree_sitter_c();

namespace scale::languages::detail {

namespace {

constexpr CommentRole kDir = CommentRole::kDirective;
constexpr CommentRole kNext = CommentRole::kNextLineDirective;

// Matched at the start of the comment's first line, in order (longer markers first).
constexpr Marker kCMarkers[] = {
    {"NOLINTNEXTLINE", kNext}, {"NOLINTBEGIN", kDir}, {"NOLINTEND", kDir}, {"NOLINT", kNext},
    {"clang-format", kDir}, {"IWYU pragma", kDir}, {"LCOV_EXCL", kDir}, {"GCOVR_EXCL", kDir},
    {"cppcheck-suppress", kNext}, {"coverity[", kNext},
    // lint(1)'s annotations, written directly above the function they describe.
    {"ARGSUSED", kNext}, {"VARARGS", kNext}, {"PRINTFLIKE", kNext}, {"SCANFLIKE", kNext}, {"LINTLIBRARY", kDir},
    {"LINTED", kNext}, {"NOTREACHED", kNext}, {"FALLTHROUGH", kNext}, {"FALLTHRU", kNext},
    {"@cond", kDir}, {"@endcond", kDir}, {"\\cond", kDir}, {"\\endcond", kDir},
    {"#region", kDir}, {"#endregion", kDir}, {"-*-", kDir}, {"vim:", kDir}, {"vi:", kDir},
};

// Follows a declarator to the identifier it declares, remembering whether that identifier is
// directly the name of a function declarator (`int *f(void)`, `void (*signal(int))(int)`) rather
// than of a pointer to one (`int (*fp)(int)`).
TSNode DeclaredName(TSNode declarator, bool* is_function) {
  *is_function = false;
  TSNode node = declarator;
  for (int guard = 0; guard < 64 && !ts_node_is_null(node); ++guard) {
    if (Is(node, "identifier") || Is(node, "type_identifier") || Is(node, "field_identifier")) return node;
    TSNode inner;
    if (Is(node, "parenthesized_declarator")) {
      inner = ts_node_named_child_count(node) > 0 ? ts_node_named_child(node, 0) : TSNode{};
    } else {
      inner = Field(node, "declarator");
    }
    *is_function = Is(node, "function_declarator");
    node = inner;
  }
  return TSNode{};
}

bool IsTypeSpecifier(TSNode node) {
  return Is(node, "struct_specifier") || Is(node, "enum_specifier") || Is(node, "union_specifier");
}

std::string TypeKind(TSNode specifier) {
  std::string_view type = ts_node_type(specifier);
  return std::string(type.substr(0, type.find('_')));  // "struct", "enum", "union"
}

// ---- Macros in declarations ------------------------------------------------------------------
// tree-sitter-c reads C before the preprocessor, so `LUA_API int f(void)`, `int ZEXPORT f(a) int a;`,
// `struct s FAR *p` or `void f OF((int x));` are syntax errors to it, and every routine they touch
// would be skipped. MaskCMacros finds such identifiers and hands tree-sitter the text with them
// replaced by spaces (same length, so every offset and line stays; comments and strings are never
// touched). Routines are found on that tree, with the original bytes for everything else, and the
// code tokens (AppendCTokens) include the masked words, so the proof still sees every byte.

struct Tok {
  enum Kind { kWord, kPunct, kLiteral, kDirective } kind;
  size_t begin, end;
};

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

size_t SkipQuoted(std::string_view t, size_t i) {  // t[i] is the opening quote
  char q = t[i++];
  while (i < t.size() && t[i] != q && t[i] != '\n') i += t[i] == '\\' ? 2 : 1;
  return std::min(t.size(), i + 1);
}

// A preprocessor line from its `#`, with continuations and the comments and strings in it.
size_t SkipDirective(std::string_view t, size_t i) {
  while (i < t.size() && t[i] != '\n') {
    if (t.compare(i, 2, "/*") == 0) {
      size_t e = t.find("*/", i + 2);
      i = e == std::string_view::npos ? t.size() : e + 2;
    } else if (t.compare(i, 2, "//") == 0) {
      while (i < t.size() && t[i] != '\n') i += t[i] == '\\' ? 2 : 1;
    } else if (t[i] == '"' || t[i] == '\'') {
      i = SkipQuoted(t, i);
    } else {
      i += t[i] == '\\' ? 2 : 1;
    }
  }
  return std::min(i, t.size());
}

// Enough of C's lexer to see declarations: words, one-character punctuation, literals and whole
// preprocessor lines; comments and whitespace are left out.
std::vector<Tok> LexC(std::string_view t) {
  std::vector<Tok> out;
  bool line_start = true;
  for (size_t i = 0; i < t.size();) {
    char c = t[i];
    if (c == '\n') {
      line_start = true;
      ++i;
      continue;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' ||
               (c == '\\' && i + 1 < t.size() && (t[i + 1] == '\n' || t[i + 1] == '\r'))) {
      ++i;
      continue;
    } else if (t.compare(i, 2, "/*") == 0) {
      size_t e = t.find("*/", i + 2);
      i = e == std::string_view::npos ? t.size() : e + 2;
      continue;  // a comment is a space: `/* x */ #if` is still a directive
    } else if (t.compare(i, 2, "//") == 0) {
      while (i < t.size() && t[i] != '\n') i += t[i] == '\\' ? 2 : 1;
      i = std::min(i, t.size());
    } else if (c == '#' && line_start) {
      size_t e = SkipDirective(t, i);
      out.push_back({Tok::kDirective, i, e});
      i = e;
      continue;  // at its line end: the next line starts fresh
    } else if (c == '"' || c == '\'') {
      size_t e = SkipQuoted(t, i);
      out.push_back({Tok::kLiteral, i, e});
      i = e;
    } else if (IsWordChar(c)) {
      size_t e = i;
      while (e < t.size() && IsWordChar(t[e])) ++e;
      bool number = std::isdigit(static_cast<unsigned char>(c));
      if (number) {  // pp-number: 1e+5, 0x1p-3
        while (e < t.size() && (IsWordChar(t[e]) || t[e] == '.' || ((t[e] == '+' || t[e] == '-') && (t[e - 1] | 0x20) == 'e') ||
                                ((t[e] == '+' || t[e] == '-') && (t[e - 1] | 0x20) == 'p'))) {
          ++e;
        }
      }
      std::string_view word = t.substr(i, e - i);
      bool prefix = word == "L" || word == "u" || word == "U" || word == "u8";
      if (e < t.size() && (t[e] == '"' || t[e] == '\'') && prefix) {  // L"x", u8'c'
        e = SkipQuoted(t, e);
        number = true;
      }
      out.push_back({number ? Tok::kLiteral : Tok::kWord, i, e});
      i = e;
      line_start = false;
      continue;
    } else {
      out.push_back({Tok::kPunct, i, i + 1});
      ++i;
    }
    line_start = false;
  }
  return out;
}

bool InList(std::string_view word, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// Words tree-sitter-c knows in declaration specifiers (besides type names).
bool IsSpecifierKeyword(std::string_view w) {
  return InList(w, {"extern", "static", "auto", "register", "inline", "__inline", "__inline__", "__forceinline",
                    "thread_local", "__thread", "_Thread_local", "typedef", "const", "constexpr", "volatile", "restrict",
                    "__restrict", "__restrict__", "__extension__", "_Noreturn", "noreturn", "_Nonnull", "__cdecl",
                    "__clrcall", "__stdcall", "__fastcall", "__thiscall", "__vectorcall", "_Nullable"});
}

bool IsPrimitiveType(std::string_view w) {
  if (InList(w, {"void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "bool", "_Bool",
                 "_Complex", "size_t", "ssize_t", "ptrdiff_t", "intptr_t", "uintptr_t", "charptr_t", "nullptr_t",
                 "max_align_t"})) {
    return true;
  }
  for (std::string_view p : {"int", "uint", "char"}) {
    for (std::string_view n : {"8_t", "16_t", "32_t", "64_t"}) {
      if (w.size() == p.size() + n.size() && w.substr(0, p.size()) == p && w.substr(p.size()) == n) return true;
    }
  }
  return false;
}

// Words that make a run of words an expression or statement, never a declaration to repair.
bool IsStatementKeyword(std::string_view w) {
  return InList(w, {"return", "if", "else", "while", "for", "do", "switch", "case", "default", "goto", "break",
                    "continue", "sizeof", "_Alignof", "alignof", "__alignof__", "_Generic", "_Static_assert",
                    "static_assert", "defined"});
}

// Words followed by a parenthesised group that belongs to the declaration (`__attribute__((x))`);
// the type ones name a type themselves.
bool IsTypeGroupWord(std::string_view w) { return InList(w, {"typeof", "__typeof__", "__typeof", "_Atomic", "typeof_unqual"}); }
bool IsGroupWord(std::string_view w) {
  return IsTypeGroupWord(w) ||
         InList(w, {"__attribute__", "__attribute", "__declspec", "_Alignas", "alignas", "__asm__", "__asm", "asm", "__based"});
}

// ALL_CAPS (digits and underscores allowed): the usual spelling of a macro.
bool IsCapsWord(std::string_view w) {
  bool letter = false;
  for (char c : w) {
    if (std::islower(static_cast<unsigned char>(c))) return false;
    letter = letter || std::isupper(static_cast<unsigned char>(c));
  }
  return letter && w.size() >= 2;
}

class MacroMasker {
 public:
  MacroMasker(std::string_view text, const std::vector<std::string>& listed)
      : text_(text), listed_(listed), toks_(LexC(text)), masked_(toks_.size(), false) {}

  std::string Run() {
    MaskConditionals();
    MaskListedAndWrappers();
    live_.clear();
    for (size_t i = 0; i < toks_.size(); ++i) {
      if (!masked_[i]) live_.push_back(i);
    }
    for (size_t p = 0; p < live_.size();) p = Analyze(p);
    std::string out(text_);
    for (size_t i = 0; i < toks_.size(); ++i) {
      if (!masked_[i]) continue;
      for (size_t k = toks_[i].begin; k < toks_[i].end; ++k) {
        if (out[k] != '\n' && out[k] != '\r') out[k] = ' ';  // lines stay where they are
      }
    }
    return out;
  }

 private:
  std::string_view Str(size_t i) const { return text_.substr(toks_[i].begin, toks_[i].end - toks_[i].begin); }
  bool IsPunct(size_t i, char c) const { return i < toks_.size() && toks_[i].kind == Tok::kPunct && text_[toks_[i].begin] == c; }
  bool IsWord(size_t i) const { return i < toks_.size() && toks_[i].kind == Tok::kWord; }
  bool Listed(std::string_view w) const { return std::find(listed_.begin(), listed_.end(), w) != listed_.end(); }
  bool IsIdentifier(std::string_view w) const {
    return !IsSpecifierKeyword(w) && !IsPrimitiveType(w) && !IsStatementKeyword(w) && !IsGroupWord(w) &&
           !InList(w, {"struct", "union", "enum"});
  }

  // The token closing the parenthesis opened at `open`, or npos.
  size_t Match(size_t open) const {
    int depth = 0;
    for (size_t i = open; i < toks_.size(); ++i) {
      if (toks_[i].kind != Tok::kPunct) continue;
      char c = text_[toks_[i].begin];
      if (c == '(') ++depth;
      if (c == ')' && --depth == 0) return i;
      if (c == ';' || c == '{' || c == '}') return std::string_view::npos;
    }
    return std::string_view::npos;
  }

  enum class Dir { kIf, kElse, kEnd, kOther };
  Dir DirectiveKind(size_t i) const {
    std::string_view d = Str(i).substr(1);
    while (!d.empty() && (d[0] == ' ' || d[0] == '\t')) d.remove_prefix(1);
    size_t n = 0;
    while (n < d.size() && IsWordChar(d[n])) ++n;
    d = d.substr(0, n);
    if (d == "if" || d == "ifdef" || d == "ifndef") return Dir::kIf;
    if (d == "elif" || d == "else" || d == "elifdef" || d == "elifndef") return Dir::kElse;
    return d == "endif" ? Dir::kEnd : Dir::kOther;
  }

  // The #elif/#else directives and the #endif (last) of the group opened at `i`; empty when it
  // is not closed.
  std::vector<size_t> GroupParts(size_t i) const {
    std::vector<size_t> parts;
    int depth = 0;
    for (size_t k = i + 1; k < toks_.size(); ++k) {
      if (toks_[k].kind != Tok::kDirective) continue;
      Dir d = DirectiveKind(k);
      if (d == Dir::kIf) ++depth;
      if (d == Dir::kElse && depth == 0) parts.push_back(k);
      if (d == Dir::kEnd && depth-- == 0) {
        parts.push_back(k);
        return parts;
      }
    }
    return {};
  }

  bool OpensLinkage(size_t brace) const {  // `extern "C" {`
    return brace >= 2 && toks_[brace - 1].kind == Tok::kLiteral && IsWord(brace - 2) && Str(brace - 2) == "extern";
  }

  // Whether the tokens between `a` and `b` open (or close) more code braces than they close.
  bool Unbalanced(size_t a, size_t b) const {
    int balance = 0;
    for (size_t k = a + 1; k < b; ++k) {
      if (IsPunct(k, '{') && !OpensLinkage(k)) ++balance;
      if (IsPunct(k, '}')) --balance;
    }
    return balance != 0;
  }

  // `#if` branches tree-sitter cannot read as a whole: inside a body, an initializer or
  // parentheses, in the middle of a declaration (`int f(a)\n#ifdef X ...`), or each opening the
  // body (`#ifdef X\nint f(int a) {\n#else ...`). The first branch stays; the directives and the
  // other branches are masked. Groups between top-level declarations are left to tree-sitter.
  void MaskConditionals() {
    std::vector<bool> braces;  // per open brace: whether it is `extern "C" {`
    int parens = 0;
    size_t prev = std::string_view::npos;  // the last token that is no directive
    for (size_t i = 0; i < toks_.size(); ++i) {
      if (masked_[i]) continue;
      if (toks_[i].kind == Tok::kDirective) {
        if (DirectiveKind(i) != Dir::kIf) continue;
        std::vector<size_t> parts = GroupParts(i);
        if (parts.empty()) continue;
        bool in_code = std::find(braces.begin(), braces.end(), false) != braces.end() || parens > 0;
        bool mid_declaration = prev != std::string_view::npos && !IsPunct(prev, ';') && !IsPunct(prev, '}') && !IsPunct(prev, '{');
        // The first branch ends inside a declaration (`int f(int a)` before `#else`).
        size_t last = parts[0];
        while (last > i + 1 && toks_[last - 1].kind == Tok::kDirective) --last;
        bool ends_open = last > i + 1 && !IsPunct(last - 1, ';') && !IsPunct(last - 1, '}') && !IsPunct(last - 1, '{');
        if (in_code || mid_declaration || ends_open || Unbalanced(i, parts[0])) {
          masked_[i] = true;
          for (size_t k = parts[0]; k <= parts.back(); ++k) masked_[k] = true;
        }
        continue;
      }
      if (IsPunct(i, '(')) ++parens;
      if (IsPunct(i, ')') && parens > 0) --parens;
      if (IsPunct(i, '{')) braces.push_back(OpensLinkage(i));
      if (IsPunct(i, '}') && !braces.empty()) braces.pop_back();
      prev = i;
    }
  }

  // The project's list (object-like, or function-like with its arguments), and prototype wrappers
  // `name OF((int x))`, which keep their inner parentheses as the parameter list.
  void MaskListedAndWrappers() {
    for (size_t i = 0; i < toks_.size(); ++i) {
      if (!IsWord(i) || masked_[i]) continue;
      std::string_view w = Str(i);
      bool listed = Listed(w);
      if (!listed && !IsCapsWord(w)) continue;
      size_t close = IsPunct(i + 1, '(') ? Match(i + 1) : std::string_view::npos;
      bool wrapper = IsPunct(i + 2, '(') && close != std::string_view::npos && IsPunct(close - 1, ')') &&
                     Match(i + 2) == close - 1 && (listed || (i > 0 && ((IsWord(i - 1) && IsIdentifier(Str(i - 1))) || IsPunct(i - 1, ')'))));
      if (wrapper) {
        masked_[i] = masked_[i + 1] = masked_[close] = true;
      } else if (listed && close != std::string_view::npos) {
        for (size_t k = i; k <= close; ++k) masked_[k] = true;
      } else if (listed && !IsPunct(i + 1, '(')) {
        masked_[i] = true;
      }
    }
  }

  struct Item {
    size_t tok;
    bool star;
  };

  // One run of words and `*` starting at live_[p]: masks the identifiers no declaration could
  // hold (more than one type name, a word between `*` and the declared name). Returns where the
  // next run may start.
  size_t Analyze(size_t p) {
    auto starts_run = [&](size_t q) { return IsWord(live_[q]) || IsPunct(live_[q], '*'); };
    if (!starts_run(p)) return p + 1;
    std::vector<Item> items;
    size_t q = p;
    while (q < live_.size() && starts_run(q)) {
      size_t tok = live_[q];
      items.push_back({tok, !IsWord(tok)});
      if (IsWord(tok) && IsGroupWord(Str(tok)) && q + 1 < live_.size() && IsPunct(live_[q + 1], '(')) {
        size_t close = Match(live_[q + 1]);
        if (close == std::string_view::npos) return q + 1;
        while (q < live_.size() && live_[q] <= close) ++q;  // the group is kept as written
        continue;
      }
      ++q;
    }
    size_t prev = p > 0 ? live_[p - 1] : std::string_view::npos;
    bool after_member = prev != std::string_view::npos &&
                        (IsPunct(prev, '.') || (IsPunct(prev, '>') && prev > 0 && IsPunct(prev - 1, '-') &&
                                                toks_[prev - 1].end == toks_[prev].begin));
    bool after_literal = prev != std::string_view::npos && toks_[prev].kind == Tok::kLiteral;
    if (!after_member && !after_literal) MaskRun(items);
    return q;
  }

  void MaskRun(const std::vector<Item>& items) {
    bool has_type = false, seen_star = false, ident_between_stars = false;
    std::vector<size_t> ids;  // identifiers, in order
    std::vector<bool> after_star;
    for (size_t k = 0; k < items.size(); ++k) {
      if (items[k].star) {
        if (seen_star && !ids.empty() && after_star.back()) ident_between_stars = true;
        seen_star = true;
        continue;
      }
      std::string_view w = Str(items[k].tok);
      if (IsStatementKeyword(w)) return;
      if (InList(w, {"struct", "union", "enum"})) {
        has_type = true;
        if (k + 1 < items.size() && !items[k + 1].star && IsIdentifier(Str(items[k + 1].tok))) ++k;  // the tag
        continue;
      }
      if (IsPrimitiveType(w) || IsTypeGroupWord(w)) has_type = true;
      if (!IsIdentifier(w)) continue;
      ids.push_back(items[k].tok);
      after_star.push_back(seen_star);
    }
    if (ident_between_stars) return;  // `a * b * c`: arithmetic
    bool has_name = !items.empty() && !items.back().star && !ids.empty() && ids.back() == items.back().tok;
    size_t expected = (has_type ? 0 : 1) + (has_name ? 1 : 0);
    if (ids.size() <= expected) return;
    std::vector<size_t> candidates(ids.begin(), ids.end() - (has_name ? 1 : 0));
    // Which words are the macros: those after a `*`, then ALL_CAPS ones, then the earliest
    // (`local int`, `z_const Bytef`): the type name is the last lower-case one.
    std::vector<std::pair<int, size_t>> order;
    for (size_t k = 0; k < candidates.size(); ++k) {
      int rank = after_star[k] ? 0 : IsCapsWord(Str(candidates[k])) ? 1 : 2;
      order.emplace_back(rank, k);
    }
    std::stable_sort(order.begin(), order.end());
    for (size_t k = 0; k < ids.size() - expected; ++k) masked_[candidates[order[k].second]] = true;
  }

  std::string_view text_;
  const std::vector<std::string>& listed_;
  std::vector<Tok> toks_;
  std::vector<bool> masked_;
  std::vector<size_t> live_;  // indices of the tokens not masked by the first pass
};

std::string MaskCMacros(std::string_view text, const ParseOptions& options) {
  return MacroMasker(text, options.macros).Run();
}

const std::vector<std::string_view> kAtomicTokens = {"string_literal", "char_literal", "system_lib_string",
                                                     "concatenated_string"};

// The shared code tokens of the (masked) tree plus, in place, every word of the original text no
// token covers: the masked macros, so that changing one is a change of code.
void AppendCTokens(TSNode root, std::string_view text, bool with_depth, std::vector<std::string>& out) {
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
    std::string_view type = ts_node_type(node);
    bool atomic = std::find(kAtomicTokens.begin(), kAtomicTokens.end(), type) != kAtomicTokens.end();
    if (comment || atomic || ts_node_child_count(node) == 0) pos = std::max(pos, static_cast<size_t>(ts_node_end_byte(node)));
    return comment;
  };
  AppendTokens(root, text, kAtomicTokens, skip, with_depth, out);
  gap(text.size());
}

struct Finder {
  const ParsedFile& file;
  std::string_view text;
  Collector& out;
  std::vector<CommentNode> comments;
  std::string masked;  // what tree-sitter read (MaskCMacros)

  // Where the declaration really starts: masked macros before the node (`LUA_API`, `local` on the
  // line above) are part of it.
  size_t DeclarationStart(size_t start, int* line) const {
    size_t at = start;
    while (at > 0 && std::isspace(static_cast<unsigned char>(masked[at - 1]))) --at;
    while (at < start && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
    *line -= static_cast<int>(std::count(text.begin() + static_cast<std::ptrdiff_t>(at),
                                         text.begin() + static_cast<std::ptrdiff_t>(start), '\n'));
    return at;
  }

  void Add(TSNode node, std::string kind, std::string name, TSNode body, TSNode last = TSNode{}) {
    if (ts_node_is_null(last)) last = node;
    Routine r;
    r.kind = std::move(kind);
    r.name = std::move(name);
    r.start_line = StartLine(node);
    r.start_byte = DeclarationStart(ts_node_start_byte(node), &r.start_line);
    r.end_byte = ts_node_end_byte(last);
    r.end_line = EndLine(last);
    r.body_begin = ts_node_is_null(body) ? r.end_byte : ts_node_start_byte(body);
    std::string_view head = text.substr(r.start_byte, r.body_begin - r.start_byte);
    if (!ts_node_is_null(body) && r.kind != "function") {
      // struct/enum/typedef: the whole thing with the member list elided, e.g. "typedef struct { ... } T;"
      r.signature = std::string(head) + "{ ... }" + std::string(text.substr(ts_node_end_byte(body), r.end_byte - ts_node_end_byte(body)));
    } else {
      r.signature = std::string(head);
    }
    while (!r.signature.empty() && (r.signature.back() == ' ' || r.signature.back() == '\n' || r.signature.back() == '\r' ||
                                    r.signature.back() == '\t')) {
      r.signature.pop_back();
    }
    AttachLeadingComment(file, r, comments, r.start_byte);
    out.Add(std::move(r), -1);
  }

  // `struct s { ... }` with a name and a member list, possibly as the type of a declaration.
  void TryTypeDefinition(TSNode node, TSNode specifier) {
    TSNode name = Field(specifier, "name");
    TSNode body = Field(specifier, "body");
    if (ts_node_is_null(name) || ts_node_is_null(body)) return;
    Add(node, TypeKind(specifier), std::string(Text(name, text)), body);
  }

  // tree-sitter-c reads a K&R definition returning a pointer (`char *f(a) int a; { ... }`) as a
  // declaration followed by a bare block (which C never has at top level): together they are
  // the function.
  bool TryPointerKAndR(TSNode declaration, TSNode block) {
    if (!Is(declaration, "declaration") || !Is(block, "compound_statement")) return false;
    bool is_function = false;
    TSNode name = DeclaredName(Field(declaration, "declarator"), &is_function);
    if (ts_node_is_null(name) || !is_function) return false;
    Add(declaration, "function", std::string(Text(name, text)), block, block);
    return true;
  }

  void Visit(TSNode node) {
    if (Is(node, "function_definition")) {
      bool is_function = false;
      TSNode name = DeclaredName(Field(node, "declarator"), &is_function);
      if (!ts_node_is_null(name)) Add(node, "function", std::string(Text(name, text)), Field(node, "body"));
    } else if (IsTypeSpecifier(node)) {
      TryTypeDefinition(node, node);
    } else if (Is(node, "declaration")) {
      TSNode type = Field(node, "type");
      if (IsTypeSpecifier(type) && !ts_node_is_null(Field(type, "body"))) {
        TryTypeDefinition(node, type);
      } else if (file.c_header) {
        TSNode declarator = Field(node, "declarator");  // the first one names the prototype
        bool is_function = false;
        TSNode name = DeclaredName(declarator, &is_function);
        if (!ts_node_is_null(name) && is_function) Add(node, "prototype", std::string(Text(name, text)), TSNode{});
      }
    } else if (Is(node, "type_definition") && file.c_header) {
      TSNode declarator = Field(node, "declarator");
      bool is_function = false;
      TSNode name = DeclaredName(declarator, &is_function);
      TSNode type = Field(node, "type");
      TSNode body = IsTypeSpecifier(type) ? Field(type, "body") : TSNode{};
      if (!ts_node_is_null(name)) Add(node, "typedef", std::string(Text(name, text)), body);
    } else if (Is(node, "preproc_if") || Is(node, "preproc_ifdef") || Is(node, "preproc_else") ||
               Is(node, "preproc_elif") || Is(node, "preproc_elifdef") || Is(node, "translation_unit") ||
               Is(node, "linkage_specification") || Is(node, "declaration_list") || Is(node, "ERROR")) {
      // Conditional compilation and the `extern "C" {` guard of headers do not make a definition
      // any less top level. A definition inside a syntax error is found too (and marked
      // in_error_region), so that it is reported and --check counts it.
      std::vector<TSNode> children = NamedChildren(node);
      for (size_t i = 0; i < children.size(); ++i) {
        if (i + 1 < children.size() && TryPointerKAndR(children[i], children[i + 1])) ++i;
        else Visit(children[i]);
      }
    }
  }
};

void FindCRoutines(TSNode root, const ParsedFile& file, Collector& out) {
  ParseOptions options;
  options.macros = file.macros;
  Finder finder{file, file.text, out, CollectComments(root, file.text, file.language.spec().comments),
                MaskCMacros(file.text, options)};
  finder.Visit(root);
}

}  // namespace

void CFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out);  // facts/c.cc

const LanguageSpec& CSpec() {
  static const LanguageSpec spec = [] {
    LanguageSpec s;
    s.name = "c";
    s.aliases = {"h"};
    s.extensions = {".c", ".h"};
    s.header_extensions = {".h"};
    s.grammar = tree_sitter_c;
    s.atomic_tokens = kAtomicTokens;
    s.directives = kCMarkers;
    s.find_routines = FindCRoutines;
    s.facts = CFacts;
    s.doc.opening_follows_file = true;  // `/*` with `**` gutters (SQLite), `/**`, runs of `//`
    s.prepare = MaskCMacros;
    s.append_tokens = AppendCTokens;
    return s;
  }();
  return spec;
}

}  // namespace scale::languages::detail
