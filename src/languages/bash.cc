// The Bash worker: function definitions in all three spellings (`f() { }`, `function f { }`,
// `function f() { }`, any compound body: braces, a subshell, a test), with a run of `#` lines
// above as their comment. Functions defined inside functions (or inside if/case/loops in them)
// are children of the function. Heredoc bodies and strings are code, one token each.
#include <algorithm>

#include "languages/spec.h"
#include "languages/text_util.h"
#include "languages/ts_util.h"

extern "C" const TSLanguage* tree_sitter_bash();

namespace scale::languages::detail {

void BashFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out);  // facts/bash.cc

const LanguageSpec& BashSpec();

namespace {

constexpr CommentRole kDir = CommentRole::kDirective;
constexpr CommentRole kNext = CommentRole::kNextLineDirective;

// Matched at the start of the comment's first line, in order (longer markers first). ShellCheck
// reads `# shellcheck disable=...` (and source=, shell=) for the command right below it.
constexpr Marker kMarkers[] = {
    {"shellcheck ", kNext}, {"-*-", kDir}, {"vim:", kDir}, {"vi:", kDir}, {"ex:", kDir},
};

CommentRole ClassifyBash(std::string_view raw, const CommentContext& context) {
  if (raw.substr(0, 2) == "#!") return kDir;  // the shebang (its "!" would read as comment syntax)
  return ClassifyByMarkers(BashSpec(), raw, context);
}


struct Finder {
  const ParsedFile& file;
  std::string_view text;
  Collector& out;
  std::vector<CommentNode> comments;
  std::vector<std::pair<TSNode, int>> work;  // (node, enclosing function)

  void AddFunction(TSNode def, int parent) {
    Routine r;
    r.kind = "function";
    r.name = std::string(Text(Field(def, "name"), text));
    r.start_byte = ts_node_start_byte(def);
    r.end_byte = ts_node_end_byte(def);
    r.start_line = StartLine(def);
    r.end_line = EndLine(def);
    TSNode body = Field(def, "body");
    r.body_begin = ts_node_is_null(body) ? r.end_byte : ts_node_start_byte(body);
    std::string_view head = text.substr(r.start_byte, r.body_begin - r.start_byte);
    while (!head.empty() && std::string_view(" \t\r\n").find(head.back()) != std::string_view::npos) head.remove_suffix(1);
    r.signature = std::string(head);
    AttachLeadingComment(file, r, comments, r.start_byte);
    SkipIfANewLineDocWouldJoin(file, comments, r);
    int id = out.Add(std::move(r), parent);
    work.emplace_back(def, id);
  }

  void Run(TSNode root) {
    work.emplace_back(root, -1);
    while (!work.empty()) {
      auto [node, parent] = work.back();
      work.pop_back();
      size_t mark = work.size();
      for (TSNode child : NamedChildren(node)) {
        if (Is(child, "function_definition")) {
          AddFunction(child, parent);
        } else if (!Is(child, "comment") && !Is(child, "heredoc_body") && ts_node_named_child_count(child) > 0) {
          work.emplace_back(child, parent);
        }
      }
      std::reverse(work.begin() + static_cast<std::ptrdiff_t>(mark), work.end());
    }
  }
};

void FindBashRoutines(TSNode root, const ParsedFile& file, Collector& out) {
  Finder finder{file, file.text, out, CollectComments(root, file.text, file.language.spec().comments), {}};
  finder.Run(root);
}

}  // namespace

const LanguageSpec& BashSpec() {
  static const LanguageSpec spec = [] {
    LanguageSpec s;
    s.name = "bash";
    s.aliases = {"sh", "shell"};
    s.extensions = {".sh", ".bash"};
    s.grammar = tree_sitter_bash;
    s.comments.line_prefixes = {"#"};
    s.comments.block_open = "";
    s.comments.block_close = "";
    s.doc.kind = DocSyntax::kLines;
    s.doc.prefix = "# ";
    s.atomic_tokens = {"string", "raw_string", "heredoc_body", "ansi_c_string", "translated_string"};
    s.directives = kMarkers;
    s.find_routines = FindBashRoutines;
    s.facts = BashFacts;
    s.classify = ClassifyBash;
    return s;
  }();
  return spec;
}

}  // namespace scale::languages::detail
