// The Ruby worker: `def` methods (endless `def x = expr` and one-line `def a; end` too), classes
// and modules, with YARD/RDoc `#` comment blocks above them. Methods are children of their class
// or module; qualified names join with dots like every worker's (`A::B#m` is "A.B.m", `class
// A::D` is "A.D"). Methods inside `class << self` belong to the enclosing class. Left alone, each
// with its reason: singleton methods written `def self.x` / `def obj.x` (the issue asks for it),
// and routines marked `# :nodoc:` (RDoc/YARD leave them out; `:nodoc: all` covers what is inside).
// `define_method(:x) { }` calls are never routines.
#include <algorithm>

#include "languages/spec.h"
#include "languages/text_util.h"
#include "languages/ts_util.h"

extern "C" const TSLanguage* tree_sitter_ruby();

namespace scale::languages::detail {

const LanguageSpec& RubySpec();

namespace {

constexpr CommentRole kDir = CommentRole::kDirective;

// Matched at the start of the comment's first line, in order (longer markers first): magic
// comments, linters, RDoc/YARD directives, editor modelines.
constexpr Marker kMarkers[] = {
    {"frozen_string_literal:", kDir}, {"encoding:", kDir}, {"coding:", kDir}, {"warn_indent:", kDir},
    {"warn_past_scope:", kDir}, {"shareable_constant_value:", kDir}, {"typed:", kDir},
    {"rubocop:", kDir}, {"standard:", kDir}, {"steep:", kDir}, {"simplecov", kDir}, {":nocov:", kDir},
    {":nodoc:", kDir}, {":stopdoc:", kDir}, {":startdoc:", kDir}, {":enddoc:", kDir}, {":doc:", kDir},
    {"@!", kDir}, {"-*-", kDir}, {"vim:", kDir}, {"vi:", kDir},
};

constexpr std::string_view kNodoc = ":nodoc:";

CommentRole ClassifyRuby(std::string_view raw, const CommentContext& context) {
  if (raw.substr(0, 2) == "#!") return kDir;  // the shebang (its "!" would read as comment syntax)
  return ClassifyByMarkers(RubySpec(), raw, context);
}


std::string Trimmed(std::string_view s) {
  while (!s.empty() && std::string_view(" \t\r\n;").find(s.back()) != std::string_view::npos) s.remove_suffix(1);
  return std::string(s);
}

struct Finder {
  const ParsedFile& file;
  std::string_view text;
  Collector& out;
  std::vector<CommentNode> comments;
  struct Item {
    TSNode node;
    int parent;
    bool in_scope;    // directly in a class/module body (also through `class << self`)
    bool nodoc_all;   // under `# :nodoc: all`
  };
  std::vector<Item> work;

  // `private def x`, `memoize def x`: the comment goes above the call that takes the method.
  TSNode Anchor(TSNode def) const {
    TSNode node = def;
    for (int guard = 0; guard < 8; ++guard) {
      TSNode args = ts_node_parent(node);
      TSNode call = ts_node_parent(args);
      if (!Is(args, "argument_list") || !Is(call, "call") || ts_node_named_child_count(args) != 1 ||
          StartLine(call) != StartLine(def)) {
        break;
      }
      node = call;
    }
    return node;
  }

  // The :nodoc: mark of the routine at `anchor`: on its first line (`def x # :nodoc:`) or in the
  // comments right above it. 0 none, 1 this routine, 2 `:nodoc: all`.
  int NodocMark(size_t anchor) const {
    auto mark = [](std::string_view c) {
      size_t at = c.find(kNodoc);
      if (at == std::string_view::npos) return 0;
      std::string_view rest = c.substr(at + kNodoc.size());
      size_t word = rest.find_first_not_of(" \t");
      return word != std::string_view::npos && rest.substr(word, 3) == "all" ? 2 : 1;
    };
    size_t line_end = LineEnd(text, anchor);
    for (const CommentNode& c : comments) {
      if (c.begin >= anchor && c.begin < line_end) return mark(text.substr(c.begin, c.end - c.begin));
    }
    for (const CommentBlock& b : CommentStack(file, comments, LineStart(text, anchor))) {
      if (int m = mark(text.substr(b.begin, b.end - b.begin))) return m;
      if (b.blank_lines_below > 0) break;
    }
    return 0;
  }

  // Adds the routine; *inside_nodoc says whether what it holds is `:nodoc: all` too.
  int Add(TSNode def, TSNode anchor, std::string kind, std::string name, const std::string& prefix, TSNode head_end,
          TSNode body, const Item& at, bool* inside_nodoc) {
    Routine r;
    r.kind = std::move(kind);
    r.name = std::move(name);
    r.start_byte = ts_node_start_byte(anchor);
    r.end_byte = ts_node_end_byte(def);
    r.start_line = StartLine(anchor);
    r.end_line = EndLine(def);
    r.body_begin = ts_node_is_null(body) ? r.end_byte : ts_node_start_byte(body);
    r.signature = Trimmed(text.substr(r.start_byte, ts_node_end_byte(head_end) - r.start_byte));
    AttachLeadingComment(file, r, comments, r.start_byte);
    int nodoc = NodocMark(r.start_byte);
    if (r.skip_reason.empty() && (nodoc > 0 || at.nodoc_all)) {
      r.skip_reason = "marked # :nodoc: (RDoc and YARD leave it undocumented)";
    }
    SkipIfANewLineDocWouldJoin(file, comments, r);
    *inside_nodoc = at.nodoc_all || nodoc == 2;
    return out.Add(std::move(r), at.parent, prefix);
  }

  // The last node of a header: parameters, else the name (and superclass for a class).
  static TSNode HeadEnd(TSNode def) {
    for (const char* field : {"superclass", "parameters", "name"}) {
      TSNode n = Field(def, field);
      if (!ts_node_is_null(n)) return n;
    }
    return def;
  }

  void Visit(TSNode child, const Item& at) {
    if (Is(child, "method")) {
      TSNode name = Field(child, "name");
      bool all = false;
      int id = Add(child, Anchor(child), at.in_scope ? "method" : "function", std::string(Text(name, text)), "",
                   HeadEnd(child), Field(child, "body"), at, &all);
      work.push_back({child, id, false, all});
    } else if (Is(child, "singleton_method")) {
      std::string name = std::string(Text(Field(child, "object"), text)) + "." + std::string(Text(Field(child, "name"), text));
      bool all = false;
      int id = Add(child, Anchor(child), "singleton_method", name, "", HeadEnd(child), Field(child, "body"), at, &all);
      Routine& r = out.at(id);
      if (r.skip_reason.empty()) r.skip_reason = "singleton method (def self.x): left alone";
      work.push_back({child, id, false, all});
    } else if (Is(child, "class") || Is(child, "module")) {
      TSNode name = Field(child, "name");
      std::string prefix, last(Text(name, text));
      if (Is(name, "scope_resolution")) {
        // `class A::B::C`: "C" qualified by "A.B" (a leading `::` names the top level).
        TSNode scope = Field(name, "scope");
        std::string scope_text = ts_node_is_null(scope) ? "" : std::string(Text(scope, text));
        for (size_t at_colons; (at_colons = scope_text.find("::")) != std::string::npos;) scope_text.replace(at_colons, 2, ".");
        prefix = scope_text;
        last = std::string(Text(Field(name, "name"), text));
      }
      bool all = false;
      int id = Add(child, child, ts_node_type(child), last, prefix, HeadEnd(child), Field(child, "body"), at, &all);
      work.push_back({child, id, true, all});
    } else if (Is(child, "singleton_class")) {
      work.push_back({child, at.parent, true, at.nodoc_all});  // `class << self`: not a routine
    } else if (!Is(child, "comment") && ts_node_named_child_count(child) > 0) {
      // Blocks, calls (`define_method(:x) { }` included), conditionals: searched, never routines.
      // `private def x` keeps x in its class's scope.
      bool scope = at.in_scope && (Is(child, "body_statement") || Is(child, "call") || Is(child, "argument_list"));
      work.push_back({child, at.parent, scope, at.nodoc_all});
    }
  }

  void Run(TSNode root) {
    work.push_back({root, -1, false, false});
    while (!work.empty()) {
      Item item = work.back();
      work.pop_back();
      size_t mark = work.size();
      for (TSNode child : NamedChildren(item.node)) Visit(child, item);
      std::reverse(work.begin() + static_cast<std::ptrdiff_t>(mark), work.end());
    }
  }
};

void FindRubyRoutines(TSNode root, const ParsedFile& file, Collector& out) {
  Finder finder{file, file.text, out, CollectComments(root, file.text, file.language.spec().comments), {}};
  finder.Run(root);
}

}  // namespace

void RubyFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out);  // facts/ruby.cc

const LanguageSpec& RubySpec() {
  static const LanguageSpec spec = [] {
    LanguageSpec s;
    s.name = "ruby";
    s.aliases = {"rb"};
    s.extensions = {".rb", ".rake", ".gemspec", ".ru"};
    s.grammar = tree_sitter_ruby;
    s.comments.line_prefixes = {"#"};
    s.comments.block_open = "=begin";
    s.comments.block_close = "=end";
    s.doc.kind = DocSyntax::kLines;
    s.doc.prefix = "# ";
    s.atomic_tokens = {"string", "heredoc_body", "regex", "string_array", "symbol_array", "subshell"};
    s.directives = kMarkers;
    s.find_routines = FindRubyRoutines;
    s.facts = RubyFacts;
    s.classify = ClassifyRuby;
    return s;
  }();
  return spec;
}

}  // namespace scale::languages::detail
