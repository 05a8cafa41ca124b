// The routine finder and comment classification JavaScript, TypeScript and TSX share. JavaScript's
// node types come first; TypeScript adds declarations without bodies (signatures, interfaces, type
// aliases, enums, namespaces, `declare`), class members outside method_definition (abstract
// methods, decorators as siblings of the member) and overloads. The comment always goes above the
// statement that binds the name: above `export`, `declare`, decorators, `const`, the object key.
#include "languages/js_family.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "languages/text_util.h"

namespace scale::languages::detail {

namespace {

constexpr CommentRole kDir = CommentRole::kDirective;
constexpr CommentRole kNext = CommentRole::kNextLineDirective;

// Matched at the start of the comment's first line, in order (longer markers first).
constexpr Marker kMarkers[] = {
    {"eslint-disable-next-line", kNext}, {"eslint-disable-line", kNext}, {"eslint-disable", kDir},
    {"eslint-enable", kDir}, {"eslint-env", kDir}, {"eslint ", kDir, true}, {"global ", kDir, true},
    {"globals ", kDir, true}, {"exported ", kDir, true}, {"jshint ", kDir}, {"jslint ", kDir}, {"jscs:", kDir},
    {"tslint:disable-next-line", kNext}, {"tslint:disable-line", kNext}, {"tslint:", kDir},
    {"biome-ignore", kNext}, {"deno-lint-ignore-file", kDir}, {"deno-lint-ignore", kNext},
    {"deno-fmt-ignore-file", kDir}, {"deno-fmt-ignore", kNext}, {"dprint-ignore-file", kDir}, {"dprint-ignore", kNext},
    {"@ts-ignore", kNext}, {"@ts-expect-error", kNext}, {"@ts-nocheck", kDir}, {"@ts-check", kDir},
    {"@flow", kDir}, {"@noflow", kDir}, {"$FlowFixMe", kNext}, {"$FlowIgnore", kNext},
    {"$FlowExpectedError", kNext}, {"prettier-ignore", kNext}, {"istanbul ignore", kNext},
    {"c8 ignore next", kNext}, {"c8 ignore", kDir}, {"v8 ignore next", kNext}, {"v8 ignore", kDir},
    {"#__PURE__", kNext}, {"@__PURE__", kNext}, {"#__NO_SIDE_EFFECTS__", kNext}, {"@__NO_SIDE_EFFECTS__", kNext},
    {"@jsx", kDir}, {"# sourceMappingURL", kDir}, {"@ sourceMappingURL", kDir}, {"clang-format", kDir},
    {"#region", kDir}, {"#endregion", kDir}, {"-*-", kDir}, {"vim:", kDir},
    // Triple-slash directives (`/// <reference types="node" />`): the comment syntax is stripped first.
    {"<reference ", kDir}, {"<amd-module", kDir}, {"<amd-dependency", kDir},
};

// Angular's DI annotation may sit anywhere in the comment (also inside a JSDoc block).
constexpr std::string_view kAnywhere[] = {"@ngInject", "@ngNoInject"};

// Type positions hold no routines (a method signature in a parameter's type is not a member).
constexpr std::string_view kTypeNodes[] = {
    "type_annotation", "opting_type_annotation", "omitting_type_annotation", "adding_type_annotation",
    "type_arguments", "type_parameters", "object_type", "asserts_annotation", "type_predicate_annotation",
    "implements_clause", "extends_type_clause", "enum_body",
};

bool IsTypeNode(TSNode node) {
  std::string_view type = ts_node_type(node);
  return std::find(std::begin(kTypeNodes), std::end(kTypeNodes), type) != std::end(kTypeNodes);
}

bool IsFunctionValue(TSNode node) {
  return Is(node, "function_expression") || Is(node, "arrow_function") || Is(node, "generator_function") ||
         Is(node, "class") || Is(node, "function");
}

std::string KindOf(TSNode value) {
  if (Is(value, "class") || Is(value, "class_declaration") || Is(value, "abstract_class_declaration")) return "class";
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

bool IsClassMember(TSNode node) {
  return Is(node, "method_definition") || Is(node, "method_signature") || Is(node, "abstract_method_signature");
}

std::string MemberKind(TSNode member, std::string_view name) {
  if (HasAnonymousChild(member, "get")) return "getter";
  if (HasAnonymousChild(member, "set")) return "setter";
  return name == "constructor" ? "constructor" : "method";
}

// What a statement declares once `export` and `declare` are looked through.
TSNode Unwrapped(TSNode stmt) {
  for (int guard = 0; guard < 4; ++guard) {
    if (Is(stmt, "export_statement") && !ts_node_is_null(Field(stmt, "declaration"))) {
      stmt = Field(stmt, "declaration");
    } else if (Is(stmt, "ambient_declaration") && ts_node_named_child_count(stmt) == 1) {
      stmt = ts_node_named_child(stmt, 0);
    } else if (Is(stmt, "expression_statement") && ts_node_named_child_count(stmt) == 1 &&
               Is(ts_node_named_child(stmt, 0), "internal_module")) {
      stmt = ts_node_named_child(stmt, 0);  // `namespace X {}` parses as an expression too
    } else {
      break;
    }
  }
  return stmt;
}

// The function under `(...)`, `... satisfies T`, `... as T` (`export const load = (async () => {})
// satisfies PageLoad` binds the function all the same).
TSNode Unparenthesized(TSNode value) {
  while ((Is(value, "parenthesized_expression") || Is(value, "satisfies_expression") || Is(value, "as_expression")) &&
         ts_node_named_child_count(value) > 0) {
    value = ts_node_named_child(value, 0);
  }
  return value;
}

// A declaration without a body: an overload signature, an abstract or ambient method.
bool IsSignature(TSNode node) {
  return Is(Unwrapped(node), "function_signature") || Is(node, "method_signature") ||
         Is(node, "abstract_method_signature");
}

// Nodes that are not members of the list they sit in: comments, and decorators (they belong to the
// member after them).
bool IsPassive(TSNode node) { return Is(node, "comment") || Is(node, "html_comment") || Is(node, "decorator"); }

struct Finder {
  const ParsedFile& file;
  std::string_view text;
  Collector& out;
  std::vector<CommentNode> comments;
  // Work items: (node whose children to visit, parent routine, object-literal qualification prefix).
  struct Item {
    TSNode node;
    int parent;
    std::string prefix;
  };
  std::vector<Item> work;

  // The text of a field as a name; "" when the node has no such field.
  std::string FieldName(TSNode node, std::string_view field) const {
    TSNode f = Field(node, field);
    return ts_node_is_null(f) ? "" : CleanName(Text(f, text));
  }

  // How one routine is added: `first` starts it (export, decorators), `def` is the declaration.
  struct Spot {
    TSNode first;
    TSNode def;
    size_t end = 0;  // past the last byte when more than `def` belongs to it (overloads)
  };
  int last_added = -1;  // the id Add gave last

  // Everything inside `def` belongs to the new routine (object literals inside get no prefix).
  int Add(const Spot& spot, std::string kind, std::string name, int parent, const std::string& prefix) {
    Routine r;
    r.kind = std::move(kind);
    r.name = std::move(name);
    r.start_byte = ts_node_start_byte(spot.first);
    r.end_byte = std::max<size_t>({ts_node_end_byte(spot.first), ts_node_end_byte(spot.def), spot.end});
    r.start_line = StartLine(spot.first);
    r.end_line = std::max(EndLine(spot.first), EndLine(spot.def));
    if (spot.end > ts_node_end_byte(spot.def)) {
      std::string_view rest = text.substr(ts_node_end_byte(spot.def), spot.end - ts_node_end_byte(spot.def));
      r.end_line += static_cast<int>(std::count(rest.begin(), rest.end(), '\n'));
    }
    TSNode body = Field(spot.def, "body");
    if (Is(spot.def, "type_alias_declaration")) body = Field(spot.def, "value");
    size_t def_end = std::max(ts_node_end_byte(spot.first), ts_node_end_byte(spot.def));
    r.body_begin = ts_node_is_null(body) ? def_end : ts_node_start_byte(body);
    r.signature = std::string(text.substr(r.start_byte, r.body_begin - r.start_byte));
    while (!r.signature.empty() && std::string_view(" \t\r\n").find(r.signature.back()) != std::string_view::npos) {
      r.signature.pop_back();
    }
    if (ts_node_is_null(body)) r.body_begin = r.end_byte;
    AttachLeadingComment(file, r, comments, r.start_byte);
    int id = out.Add(std::move(r), parent, prefix);
    work.push_back({spot.def, id, ""});
    return last_added = id;
  }

  // A value bound to `name`: a routine when it is a function or class; an object literal's members
  // are qualified by the name; anything else is searched for routines.
  void Bound(TSNode first, TSNode value, const std::string& name, std::string kind, int parent,
             const std::string& prefix) {
    value = Unparenthesized(value);
    if (IsFunctionValue(value)) {
      Add({first, value}, kind.empty() ? KindOf(value) : kind, name, parent, prefix);
    } else if (Is(value, "object")) {
      work.push_back({value, parent, prefix.empty() ? name : prefix + "." + name});
    } else if (!ts_node_is_null(value) && !IsTypeNode(value)) {
      work.push_back({value, parent, ""});
    }
  }

  // TypeScript declarations that have no JavaScript counterpart; false when `decl` is none.
  bool VisitTypeScript(const Spot& spot, int parent) {
    TSNode decl = spot.def;
    if (ts_node_is_null(decl)) return false;
    std::string_view type = ts_node_type(decl);
    std::string name = FieldName(decl, "name");
    if (type == "function_signature") {
      Add(spot, "function", name, parent, "");
    } else if (type == "interface_declaration") {
      Add(spot, "interface", name, parent, "");
    } else if (type == "type_alias_declaration") {
      Add(spot, "type", name, parent, "");
    } else if (type == "enum_declaration") {
      Add(spot, "enum", name, parent, "");
    } else if (type == "internal_module" || type == "module") {
      // `declare module 'pkg' {}` is an ambient module; `namespace A.B {}` and `module A {}` are
      // namespaces. Either way the members are qualified by its name.
      TSNode name_node = Field(decl, "name");
      if (ts_node_is_null(Field(decl, "body"))) return true;  // `declare module 'x';` declares nothing to read
      Add(spot, Is(name_node, "string") ? "module" : "namespace", name, parent, "");
    } else if (type == "ambient_declaration") {
      // `declare global { ... }`: members are global, no qualification.
      for (TSNode c : NamedChildren(decl)) {
        if (Is(c, "statement_block")) work.push_back({c, parent, ""});
      }
    } else {
      return false;
    }
    return true;
  }

  void VisitDeclaration(TSNode first, TSNode child, int parent, const std::string& prefix, size_t group_end) {
    Spot spot{first, child, group_end};
    if (Is(child, "function_declaration") || Is(child, "generator_function_declaration") ||
        Is(child, "class_declaration") || Is(child, "abstract_class_declaration")) {
      TSNode name = Field(child, "name");
      Add(spot, KindOf(child), ts_node_is_null(name) ? "default" : std::string(Text(name, text)), parent, "");
    } else if (VisitTypeScript(spot, parent)) {
    } else if (Is(child, "lexical_declaration") || Is(child, "variable_declaration")) {
      std::vector<TSNode> declarators;
      for (TSNode d : NamedChildren(child)) {
        if (Is(d, "variable_declarator")) declarators.push_back(d);
      }
      // With several declarators there is no single place whose comment would be this function's.
      TSNode name = declarators.size() == 1 ? Field(declarators[0], "name") : TSNode{};
      if (Is(name, "identifier")) {
        Bound(first, Field(declarators[0], "value"), std::string(Text(name, text)), "", parent, prefix);
      } else {
        work.push_back({child, parent, ""});
      }
    } else if (Is(child, "expression_statement") && ts_node_named_child_count(child) == 1 &&
               Is(ts_node_named_child(child, 0), "assignment_expression")) {
      TSNode assign = ts_node_named_child(child, 0);
      TSNode left = Field(assign, "left");
      if (Is(left, "identifier") || Is(left, "member_expression")) {
        Bound(first, Field(assign, "right"), CleanName(Text(left, text)), "", parent, prefix);
      } else {
        work.push_back({child, parent, ""});
      }
    } else if (IsClassMember(child)) {
      std::string name = FieldName(child, "name");
      Add(spot, MemberKind(child, name), name, parent, prefix);
    } else if (Is(child, "field_definition") || Is(child, "public_field_definition")) {
      TSNode value = Field(child, "value");
      TSNode key = Is(child, "field_definition") ? Field(child, "property") : Field(child, "name");
      Bound(first, value, CleanName(Text(key, text)), IsFunctionValue(value) && !Is(value, "class") ? "method" : "",
            parent, prefix);
    } else if (Is(child, "pair")) {
      TSNode value = Field(child, "value");
      std::string name = FieldName(child, "key");
      Bound(first, value, name, IsFunctionValue(value) && !Is(value, "class") ? "method" : "", parent, prefix);
    } else if (ts_node_named_child_count(child) > 0 && !IsTypeNode(child)) {
      work.push_back({child, parent, ""});
    }
  }

  // One member of a list; `first` is where it starts (a decorator above it, or itself).
  void VisitChild(TSNode first, TSNode child, int parent, const std::string& prefix, size_t group_end = 0) {
    if (Is(child, "export_statement") && ts_node_is_null(Field(child, "declaration"))) {
      TSNode value = Field(child, "value");
      if (IsFunctionValue(value)) {
        TSNode name = Field(value, "name");
        Add({first, value, group_end}, KindOf(value),
            ts_node_is_null(name) ? "default" : std::string(Text(name, text)), parent, "");
      } else {
        work.push_back({child, parent, ""});
      }
      return;
    }
    // The comment goes above `export` and `declare`; the declaration inside says what it is.
    VisitDeclaration(first, Unwrapped(child), parent, prefix, group_end);
  }

  // What makes members of a list overloads of one another ("" when `member` is none): a function's
  // name among statements, a method's name (with static, get/set) in a class or interface.
  std::string OverloadKey(TSNode list, TSNode member) {
    if (Is(list, "class_body") || Is(list, "interface_body")) {
      if (!IsClassMember(member) || HasAnonymousChild(member, "get") || HasAnonymousChild(member, "set")) return "";
      return (HasAnonymousChild(member, "static") ? "static " : "") + FieldName(member, "name");
    }
    TSNode decl = Unwrapped(member);
    if (!Is(decl, "function_signature") && !Is(decl, "function_declaration")) return "";
    return FieldName(decl, "name");
  }

  // The children of `list`. Overloads (`f(a: string): void; f(a: number): void; f(a: any) {}`) are
  // one routine: the first signature carries the doc (editors show the signatures' docs, never the
  // implementation's) and spans the group, so the model sees the implementation too. The later
  // signatures and the implementation are part of it: routines inside are its children.
  void VisitList(const Item& item) {
    std::vector<TSNode> children = NamedChildren(item.node);
    bool members = Is(item.node, "class_body") || Is(item.node, "interface_body");
    for (size_t i = 0; i < children.size(); ++i) {
      TSNode child = children[i];
      if (IsPassive(child)) continue;
      if (Is(item.node, "interface_body") && !Is(child, "method_signature")) continue;
      size_t j = i + 1;
      std::string key = members || IsStatementList(item.node) ? OverloadKey(item.node, child) : "";
      std::vector<size_t> group = {i};
      // Only signatures are followed by more of the group (two bodies of one name are no overloads).
      for (; !key.empty() && j < children.size() && IsSignature(children[group.back()]); ++j) {
        if (IsPassive(children[j])) continue;
        if (OverloadKey(item.node, children[j]) != key) break;
        group.push_back(j);
      }
      if (group.size() == 1) {
        VisitChild(FirstOf(children, i), child, item.parent, item.prefix);
        continue;
      }
      last_added = -1;
      VisitChild(FirstOf(children, i), child, item.parent, item.prefix, ts_node_end_byte(children[group.back()]));
      int owner = last_added >= 0 ? last_added : item.parent;
      for (size_t k = 1; k < group.size(); ++k) work.push_back({Unwrapped(children[group[k]]), owner, ""});
      i = group.back();
    }
  }

  static bool IsStatementList(TSNode node) {
    return Is(node, "program") || Is(node, "statement_block");
  }

  // Where children[i] starts: at the first of the decorators right above it (TypeScript puts a
  // method's decorators beside it in the class body, JavaScript inside it).
  static TSNode FirstOf(const std::vector<TSNode>& children, size_t i) {
    size_t k = i;
    while (k > 0 && Is(children[k - 1], "decorator")) --k;
    return children[k];
  }

  void Run(TSNode root) {
    work.push_back({root, -1, ""});
    while (!work.empty()) {
      Item item = std::move(work.back());
      work.pop_back();
      // Children go on the stack in reverse so that discovery stays roughly in source order.
      size_t mark = work.size();
      VisitList(item);
      std::reverse(work.begin() + static_cast<std::ptrdiff_t>(mark), work.end());
    }
  }
};

}  // namespace

std::span<const Marker> JsFamilyMarkers() { return kMarkers; }

CommentRole ClassifyJsFamily(const LanguageSpec& spec, std::string_view raw, const CommentContext& context) {
  CommentRole role = ClassifyByMarkers(spec, raw, context);
  if (role == kDir || role == kNext) return role;
  for (std::string_view p : kAnywhere) {
    if (raw.find(p) != std::string_view::npos) return kNext;
  }
  // Minifiers keep `/*! ... */` comments: in JavaScript that is how licence banners are marked
  // (in C, `/*!` is a Doxygen doc comment).
  if (raw.substr(0, 3) == "/*!") return CommentRole::kLicence;
  return role;
}

void FindJsFamilyRoutines(TSNode root, const ParsedFile& file, Collector& out) {
  Finder finder{file, file.text, out, CollectComments(root, file.text, file.language.spec().comments), {}};
  finder.Run(root);
}

}  // namespace scale::languages::detail
