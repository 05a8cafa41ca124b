// The JavaScript worker: function declarations, generators, classes, methods (static, get/set,
// #private), functions bound to names (const/let/var, `x.y = function`, class fields, object
// literal members, export default). The comment goes above the statement that binds the name,
// i.e. above `export`, `const`, the decorators of a method, or the object key.
#include <algorithm>

#include "languages/text_util.h"
#include "languages/worker.h"

namespace scale::languages::detail {

namespace {

bool IsFunctionValue(TSNode node) {
  return Is(node, "function_expression") || Is(node, "arrow_function") || Is(node, "generator_function") ||
         Is(node, "class") || Is(node, "function");
}

std::string KindOf(TSNode value) {
  if (Is(value, "class") || Is(value, "class_declaration")) return "class";
  if (Is(value, "generator_function") || Is(value, "generator_function_declaration")) return "generator";
  return "function";
}

// A name as people write it in --only: whitespace (line breaks in `a\n  .b`) removed, quotes of
// string keys dropped.
std::string CleanName(std::string_view raw) {
  std::string out;
  for (char c : raw) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') out += c;
  }
  if (out.size() >= 2 && (out[0] == '"' || out[0] == '\'') && out.back() == out[0]) out = out.substr(1, out.size() - 2);
  return out;
}

struct Finder {
  const ParsedFile& file;
  std::string_view text;
  Collector& out;
  std::vector<CommentNode> comments;
  // Work items: (node, parent routine, object-literal qualification prefix).
  struct Item {
    TSNode node;
    int parent;
    std::string prefix;
  };
  std::vector<Item> work;

  // `anchor` is where the comment goes, `def` the function/class itself.
  void Add(TSNode anchor, TSNode def, std::string kind, std::string name, int parent, const std::string& prefix) {
    Routine r;
    r.kind = std::move(kind);
    r.name = std::move(name);
    r.start_byte = ts_node_start_byte(anchor);
    r.end_byte = std::max(ts_node_end_byte(anchor), ts_node_end_byte(def));
    r.start_line = StartLine(anchor);
    r.end_line = EndLine(anchor);
    TSNode body = Field(def, "body");
    r.body_begin = ts_node_is_null(body) ? r.end_byte : ts_node_start_byte(body);
    r.signature = std::string(text.substr(r.start_byte, r.body_begin - r.start_byte));
    while (!r.signature.empty() && std::string_view(" \t\r\n").find(r.signature.back()) != std::string_view::npos) {
      r.signature.pop_back();
    }
    AttachLeadingComment(file, r, comments, r.start_byte);
    int id = out.Add(std::move(r), parent, prefix);
    // Everything inside belongs to the new routine (object literals inside get no extra prefix).
    work.push_back({def, id, ""});
  }

  // A value bound to `name` at `anchor`: a routine when it is a function or class; an object
  // literal's members are qualified by the name; anything else is searched for routines.
  void Bound(TSNode anchor, TSNode value, const std::string& name, std::string kind, int parent,
             const std::string& prefix) {
    if (IsFunctionValue(value)) {
      Add(anchor, value, kind.empty() ? KindOf(value) : kind, name, parent, prefix);
    } else if (Is(value, "object")) {
      work.push_back({value, parent, prefix.empty() ? name : prefix + "." + name});
    } else if (!ts_node_is_null(value)) {
      work.push_back({value, parent, ""});
    }
  }

  void VisitChild(TSNode child, int parent, const std::string& prefix) {
    TSNode anchor = child;
    if (Is(child, "export_statement")) {
      TSNode decl = Field(child, "declaration");
      TSNode value = Field(child, "value");
      if (!ts_node_is_null(decl)) {
        child = decl;  // the comment goes above `export`
      } else if (IsFunctionValue(value)) {
        TSNode name = Field(value, "name");
        Add(anchor, value, KindOf(value), ts_node_is_null(name) ? "default" : std::string(Text(name, text)), parent, "");
        return;
      } else {
        work.push_back({child, parent, ""});
        return;
      }
    }
    if (Is(child, "function_declaration") || Is(child, "generator_function_declaration") ||
        Is(child, "class_declaration")) {
      TSNode name = Field(child, "name");
      Add(anchor, child, KindOf(child), ts_node_is_null(name) ? "default" : std::string(Text(name, text)), parent, "");
    } else if (Is(child, "lexical_declaration") || Is(child, "variable_declaration")) {
      std::vector<TSNode> declarators;
      for (TSNode d : NamedChildren(child)) {
        if (Is(d, "variable_declarator")) declarators.push_back(d);
      }
      // With several declarators there is no single place whose comment would be this function's.
      TSNode name = declarators.size() == 1 ? Field(declarators[0], "name") : TSNode{};
      if (Is(name, "identifier")) {
        Bound(anchor, Field(declarators[0], "value"), std::string(Text(name, text)), "", parent, prefix);
      } else {
        work.push_back({child, parent, ""});
      }
    } else if (Is(child, "expression_statement") && ts_node_named_child_count(child) == 1 &&
               Is(ts_node_named_child(child, 0), "assignment_expression")) {
      TSNode assign = ts_node_named_child(child, 0);
      TSNode left = Field(assign, "left");
      if (Is(left, "identifier") || Is(left, "member_expression")) {
        Bound(anchor, Field(assign, "right"), CleanName(Text(left, text)), "", parent, prefix);
      } else {
        work.push_back({child, parent, ""});
      }
    } else if (Is(child, "method_definition")) {
      std::string kind = HasAnonymousChild(child, "get") ? "getter" : HasAnonymousChild(child, "set") ? "setter" : "method";
      Add(anchor, child, kind, CleanName(Text(Field(child, "name"), text)), parent, prefix);
    } else if (Is(child, "field_definition")) {
      TSNode value = Field(child, "value");
      std::string name = CleanName(Text(Field(child, "property"), text));
      Bound(anchor, value, name, IsFunctionValue(value) && !Is(value, "class") ? "method" : "", parent, prefix);
    } else if (Is(child, "pair")) {
      TSNode value = Field(child, "value");
      std::string name = CleanName(Text(Field(child, "key"), text));
      Bound(anchor, value, name, IsFunctionValue(value) && !Is(value, "class") ? "method" : "", parent, prefix);
    } else if (ts_node_named_child_count(child) > 0) {
      work.push_back({child, parent, ""});
    }
  }

  void Run(TSNode root) {
    work.push_back({root, -1, ""});
    while (!work.empty()) {
      Item item = std::move(work.back());
      work.pop_back();
      // Children go on the stack in reverse so that discovery stays roughly in source order.
      std::vector<TSNode> children = NamedChildren(item.node);
      size_t mark = work.size();
      for (TSNode child : children) VisitChild(child, item.parent, item.prefix);
      std::reverse(work.begin() + static_cast<std::ptrdiff_t>(mark), work.end());
    }
  }
};

}  // namespace

void FindJavaScriptRoutines(TSNode root, const ParsedFile& file, Collector& out) {
  Finder finder{file, file.text, out, CollectComments(root, file.text), {}};
  finder.Run(root);
}

}  // namespace scale::languages::detail
