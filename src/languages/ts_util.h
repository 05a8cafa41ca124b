// Shared tree-sitter plumbing for the language workers (internal to src/languages): bounded
// parsing, node helpers, syntax-error collection, code-token streams and the routine collector.
#pragma once

#include <tree_sitter/api.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "languages/language.h"

namespace scale::languages::detail {

struct CommentSyntax;

const TSLanguage* Grammar(Language language);
// Python-like: the routine's comment is a docstring inside its body, not a comment above it.
bool IsDocstringLanguage(Language language);
// Whether the node is one of the language's comment node types.
bool IsCommentNode(const CommentSyntax& syntax, TSNode node);

struct TreeDeleter {
  void operator()(TSTree* tree) const { ts_tree_delete(tree); }
};
using TreePtr = std::unique_ptr<TSTree, TreeDeleter>;

// Parses with a deterministic operation budget (proportional to the size) instead of a clock, so
// the same input always gives the same answer. Throws Error(kExitInput) when the input is larger
// than max_bytes or the parser gives up.
TreePtr ParseTree(Language language, std::string_view text, size_t max_bytes);
// The tree of `text` as the language has tree-sitter read it (LanguageSpec::prepare, e.g. C's
// macros blanked), with ParseTree's limits. Offsets are those of `text`.
TreePtr ParsePrepared(Language language, std::string_view text, const ParseOptions& options);

inline std::string_view Text(TSNode node, std::string_view text) {
  if (ts_node_is_null(node)) return {};
  return text.substr(ts_node_start_byte(node), ts_node_end_byte(node) - ts_node_start_byte(node));
}
inline bool Is(TSNode node, std::string_view type) { return !ts_node_is_null(node) && type == ts_node_type(node); }
inline TSNode Field(TSNode node, std::string_view name) {
  return ts_node_child_by_field_name(node, name.data(), static_cast<uint32_t>(name.size()));
}
inline int StartLine(TSNode node) { return static_cast<int>(ts_node_start_point(node).row) + 1; }
inline int EndLine(TSNode node) { return static_cast<int>(ts_node_end_point(node).row) + 1; }
std::vector<TSNode> NamedChildren(TSNode node);  // empty for a null node (an absent field)
std::vector<TSNode> Children(TSNode node);
bool HasAnonymousChild(TSNode node, std::string_view type);  // e.g. "async", "get", "static"

// ERROR / MISSING nodes into file.error_lines (merged), error_nodes, has_syntax_errors.
void CollectErrors(TSNode root, ParsedFile& file);

// Leaf tokens of the code, skipping subtrees for which `skip(node)` is true (comments, docstrings).
// Nodes of the `atomic` types (string literals) are one token. With depth, each token is prefixed
// by its depth in the tree so that a change of nesting (Python indentation) shows up. Iterative:
// machine-generated code nests deep enough to overflow a recursive walk.
template <typename Skip>
void AppendTokens(TSNode root, std::string_view text, const std::vector<std::string_view>& atomic, Skip&& skip,
                  bool with_depth, std::vector<std::string>& out) {
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  int depth = 0;
  while (true) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    bool descend = false;
    if (!skip(node)) {
      std::string_view type = ts_node_type(node);
      bool is_atomic = false;
      for (auto a : atomic) is_atomic = is_atomic || a == type;
      if (ts_node_child_count(node) == 0 || is_atomic) {
        std::string token = with_depth ? std::to_string(depth) + " " : std::string();
        if (ts_node_is_missing(node)) token += "MISSING-";
        token += type;
        token += ' ';
        token += Text(node, text);
        out.push_back(std::move(token));
      } else {
        descend = true;
      }
    }
    if (descend && ts_tree_cursor_goto_first_child(&cursor)) {
      ++depth;
      continue;
    }
    bool finished = false;
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (!ts_tree_cursor_goto_parent(&cursor)) {
        finished = true;
        break;
      }
      --depth;
    }
    if (finished) break;
  }
  ts_tree_cursor_delete(&cursor);
}

// Gathers routines in any order with provisional parent links (indices into the collector), then
// sorts them into source order and fills ids, parents, children, depth and qualified names.
class Collector {
 public:
  // `prefix` is extra qualification between the parent's name and this one (a JS object literal's
  // binding: `const o = { m() {} }` -> "o.m").
  int Add(Routine routine, int parent, std::string prefix = "");
  Routine& at(int index) { return items_[static_cast<size_t>(index)]; }
  void Finish(ParsedFile& file);

 private:
  std::vector<Routine> items_;
  std::vector<int> parents_;
  std::vector<std::string> prefixes_;
};

}  // namespace scale::languages::detail
