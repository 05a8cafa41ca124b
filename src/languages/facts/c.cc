// What a C routine's code says (facts.h): the parameters of a definition (ANSI or K&R) or a
// header prototype, and whether it returns a value. C has no exceptions and no generators, so
// `raises` and `generator` are always kNo. The tree is that of the masked text (c.cc's
// MaskCMacros): declaration macros are blank in it, so no node covers them.
#include <string>

#include "languages/facts_util.h"

namespace scale::languages::detail {

namespace {

// Follows a declarator to the function declarator that holds the routine's own parameter list:
// the last one before the name (`void (*signal(int sig, ...))(int)` takes `sig`, not the
// returned pointer's `int`). `direct` says whether the name's declarator is the top one, i.e.
// no pointer or outer function declarator wraps it: then `void` means nothing is returned.
TSNode OwnFunctionDeclarator(TSNode declarator, bool* direct) {
  TSNode own{};
  *direct = true;
  bool wrapped = false;  // a pointer or a function declarator encloses this point
  for (TSNode node = declarator; !ts_node_is_null(node) && !Is(node, "identifier");) {
    if (Is(node, "function_declarator")) {
      own = node;
      *direct = !wrapped;
    }
    wrapped = wrapped || Is(node, "pointer_declarator") || Is(node, "function_declarator");
    TSNode inner = Field(node, "declarator");
    if (ts_node_is_null(inner) && ts_node_named_child_count(node) > 0) inner = ts_node_named_child(node, 0);
    node = inner;
  }
  return own;
}

// The identifier a parameter's declarator declares (`*p`, `arr[10]`, `(*fn)(int)`), or null
// for an unnamed one (`char *`, `int`).
TSNode DeclaredIdentifier(TSNode declarator) {
  for (TSNode node = declarator; !ts_node_is_null(node);) {
    if (Is(node, "identifier")) return node;
    TSNode inner = Field(node, "declarator");
    if (ts_node_is_null(inner) && Is(node, "parenthesized_declarator") && ts_node_named_child_count(node) > 0) {
      inner = ts_node_named_child(node, 0);
    }
    node = inner;
  }
  return TSNode{};
}

bool IsVoidList(TSNode list, std::string_view text) {
  std::vector<TSNode> items;
  for (TSNode item : NamedChildren(list)) {
    if (!Is(item, "comment")) items.push_back(item);
  }
  return items.size() == 1 && Is(items[0], "parameter_declaration") && ts_node_is_null(Field(items[0], "declarator")) &&
         Text(items[0], text) == "void";
}

bool IsEmptyList(TSNode list) {
  for (TSNode item : NamedChildren(list)) {
    if (!Is(item, "comment")) return false;
  }
  return true;
}

// A definition's K&R declarations (`int a; char *b;` between the header and the body).
bool HasKAndRDeclarations(TSNode definition) {
  for (TSNode child : NamedChildren(definition)) {
    if (Is(child, "declaration")) return true;
  }
  return false;
}

// `kr`: the list names K&R parameters, where tree-sitter reads a lone `s` as a type name.
// `definition`: a body follows, so an unnamed parameter is no plain prototype's.
void ReadParameters(TSNode list, std::string_view text, bool kr, bool definition, RoutineFacts& out) {
  if (ts_node_is_null(list)) return;
  if (IsVoidList(list, text)) return;
  for (TSNode item : NamedChildren(list)) {
    if (Is(item, "identifier")) {  // K&R: `f(a, b) int a; char *b;`
      out.parameters.push_back({std::string(Text(item, text))});
    } else if (Is(item, "variadic_parameter")) {
      out.parameters.push_back({"...", Parameter::kVariadic});
    } else if (Is(item, "parameter_declaration")) {
      TSNode name = DeclaredIdentifier(Field(item, "declarator"));
      TSNode type = Field(item, "type");
      if (!ts_node_is_null(name)) {
        out.parameters.push_back({std::string(Text(name, text))});
      } else if (kr && Is(type, "type_identifier") && ts_node_is_null(Field(item, "declarator"))) {
        out.parameters.push_back({std::string(Text(type, text))});
      } else if (definition) {
        out.parameters_complete = false;  // `int f(a) { }`: implicit-int K&R or C23 unnamed
      }
    }
  }
}

// The result type as written: from the first qualifier or type word to the name (`const char **`,
// `void *`); just the type word when the declarator is a function pointer's (`void (*`).
std::string ReturnType(TSNode declaration, TSNode own, std::string_view text) {
  TSNode type = Field(declaration, "type");
  if (ts_node_is_null(type)) return "";
  size_t begin = ts_node_start_byte(type);
  for (TSNode child : NamedChildren(declaration)) {
    if (Is(child, "type_qualifier") && ts_node_start_byte(child) < begin) begin = ts_node_start_byte(child);
  }
  TSNode name = Field(own, "declarator");
  std::string written = WrittenBetween(declaration, begin, ts_node_start_byte(name), text);
  return written.find('(') == std::string::npos ? written : std::string(Text(type, text));
}

void FunctionFacts(TSNode declaration, TSNode body, std::string_view text, RoutineFacts& out) {
  bool direct = true;
  TSNode own = OwnFunctionDeclarator(Field(declaration, "declarator"), &direct);
  if (ts_node_is_null(own)) return;
  out.has_parameters = true;
  TSNode list = Field(own, "parameters");
  bool has_body = !ts_node_is_null(body);
  bool kr = has_body && (HasKAndRDeclarations(declaration) || Is(declaration, "declaration"));
  ReadParameters(list, text, kr, has_body, out);
  // `int f();` in a prototype says nothing about the parameters (before C23).
  if (!has_body && IsEmptyList(list)) out.parameters_complete = false;
  out.return_type = ReturnType(declaration, own, text);
  TSNode type = Field(declaration, "type");
  bool void_type = Is(type, "primitive_type") && (Text(type, text) == "void");
  if (!ts_node_is_null(type)) out.returns_value = void_type && direct ? Known::kNo : Known::kYes;
}

}  // namespace

void CFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out) {
  out.raises = Known::kNo;  // C has no exceptions
  out.generator = Known::kNo;
  if (routine.kind != "function" && routine.kind != "prototype") return;  // struct, enum, union, typedef
  TSNode def = DeclarationIn(node, routine, {"function_definition", "declaration"});
  if (ts_node_is_null(def)) {
    out.parameters_complete = false;
    return;
  }
  TSNode body = Field(def, "body");
  if (Is(def, "declaration") && routine.kind == "function") {  // K&R returning a pointer: the block follows
    body = ts_node_next_named_sibling(def);
    if (!Is(body, "compound_statement")) body = TSNode{};
  }
  FunctionFacts(def, body, text, out);
}

}  // namespace scale::languages::detail
