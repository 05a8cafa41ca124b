// What a C# member's code says (facts.h): parameters (`params` arrays, defaults), generic type
// parameters, the declared result (async Task/ValueTask unwrapped), and what its own body throws
// (statements and `?? throw` expressions). Local functions, lambdas and anonymous methods inside
// a body are not the member's code. A record's or class's primary constructor parameters are
// the type's parameters (documented with <param>); an indexer's bracketed list is its own.
#include <string>

#include "languages/facts_util.h"

namespace scale::languages::detail {

namespace {

const NodeTypes kNested = {"local_function_statement", "lambda_expression", "anonymous_method_expression",
                           "class_declaration", "struct_declaration", "record_declaration", "interface_declaration"};

std::string Squeezed(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') out += c;
  }
  return out;
}

void TypeParameters(TSNode declaration, std::string_view text, RoutineFacts& out) {
  for (TSNode child : NamedChildren(declaration)) {
    if (!Is(child, "type_parameter_list")) continue;
    for (TSNode param : NamedChildren(child)) {
      TSNode name = Field(param, "name");
      if (Is(param, "type_parameter") && !ts_node_is_null(name)) out.type_parameters.emplace_back(Text(name, text));
    }
  }
}

// `[Optional]` makes a parameter optional without a default value.
bool HasOptionalAttribute(TSNode parameter, std::string_view text) {
  for (TSNode child : NamedChildren(parameter)) {
    if (!Is(child, "attribute_list")) continue;
    for (TSNode attribute : NamedChildren(child)) {
      std::string name = Squeezed(Text(Field(attribute, "name"), text));
      if (name == "Optional" || name == "OptionalAttribute" || name.ends_with(".Optional")) return true;
    }
  }
  return false;
}

// A `parameter` node, or (for `params T[] xs`) the list's own children: the grammar inlines a
// parameter array into the list, so its `name` field is the list's.
void ReadParameters(TSNode list, std::string_view text, RoutineFacts& out) {
  if (ts_node_is_null(list)) return;
  bool params = false;
  for (uint32_t i = 0; i < ts_node_child_count(list); ++i) {
    TSNode child = ts_node_child(list, i);
    const char* field = ts_node_field_name_for_child(list, i);
    if (Is(child, "params")) {
      params = true;
    } else if (field && std::string_view(field) == "name") {
      out.parameters.push_back({std::string(Text(child, text)), params ? Parameter::kVariadic : Parameter::kPlain});
      params = false;
    } else if (Is(child, "parameter")) {
      TSNode name = Field(child, "name");
      if (ts_node_is_null(name)) continue;
      Parameter p{std::string(Text(name, text))};
      // A default value follows the name (`int y = 0`, `CancellationToken ct = default`).
      p.optional = !ts_node_is_null(ts_node_next_named_sibling(name)) || HasOptionalAttribute(child, text);
      out.parameters.push_back(std::move(p));
    }
  }
}

// `new ArgumentNullException(nameof(x))` -> "ArgumentNullException"; a rethrown variable names nothing.
std::string ThrownName(TSNode thrown, std::string_view text) {
  if (!Is(thrown, "object_creation_expression")) return "";
  return Squeezed(Text(Field(thrown, "type"), text));
}

struct BodyFacts {
  bool visible = false;
  bool yields = false;
  bool throws = false;
  std::vector<std::string> raised;
};

void ReadBody(TSNode body, std::string_view text, BodyFacts& b) {
  if (ts_node_is_null(body)) return;
  b.visible = true;
  VisitOwnBody(body, kNested, [&](TSNode node) {
    if (Is(node, "yield_statement")) {
      b.yields = true;
    } else if (Is(node, "throw_statement") || Is(node, "throw_expression")) {
      b.throws = true;
      if (ts_node_named_child_count(node) > 0) AddUnique(b.raised, ThrownName(ts_node_named_child(node, 0), text));
    }
  });
}

// What a declared result says: void and the non-generic Task/ValueTask (an async procedure's
// handle, often documented with <returns>) are no value, or not surely one.
Known ReturnsOf(TSNode type, std::string_view text) {
  if (ts_node_is_null(type)) return Known::kUnknown;
  std::string written = Squeezed(Text(type, text));
  if (written == "void") return Known::kNo;
  for (std::string_view task : {"Task", "ValueTask"}) {
    for (std::string_view ns : {"", "System.Threading.Tasks.", "global::System.Threading.Tasks."}) {
      if (written == std::string(ns) + std::string(task)) return Known::kUnknown;
    }
  }
  return Known::kYes;
}

bool HasModifier(TSNode declaration, std::string_view text, std::string_view word) {
  for (TSNode child : NamedChildren(declaration)) {
    if (Is(child, "modifier") && Text(child, text) == word) return true;
  }
  return false;
}

// Methods, constructors, finalizers, operators, delegates, local functions: a parameter list.
void MethodFacts(TSNode declaration, const Routine& routine, std::string_view text, RoutineFacts& out) {
  out.has_parameters = true;
  TypeParameters(declaration, text, out);
  ReadParameters(Field(declaration, "parameters"), text, out);
  out.async = HasModifier(declaration, text, "async");
  out.constructor = routine.kind == "constructor";
  TSNode type = Field(declaration, "returns");
  if (ts_node_is_null(type)) type = Field(declaration, "type");
  if (!ts_node_is_null(type)) out.return_type = std::string(Text(type, text));
  bool no_result = routine.kind == "constructor" || routine.kind == "finalizer";
  out.returns_value = no_result ? Known::kNo : ReturnsOf(type, text);
  BodyFacts b;
  ReadBody(Field(declaration, "body"), text, b);
  if (!b.visible) return;  // abstract, interface, extern, partial, delegate
  out.generator = b.yields ? Known::kYes : Known::kNo;
  out.raises = b.throws ? Known::kYes : Known::kNo;
  out.raised = b.raised;
}

// Properties, indexers, events: what their accessors throw. Auto accessors (`get; set;`) run no
// code of the member's own.
void AccessorFacts(TSNode declaration, std::string_view text, RoutineFacts& out) {
  BodyFacts b;
  b.visible = true;
  ReadBody(Field(declaration, "accessors"), text, b);
  ReadBody(Field(declaration, "value"), text, b);  // `int X => _x;`
  out.raises = b.throws ? Known::kYes : Known::kNo;
  out.raised = b.raised;
  out.generator = b.yields ? Known::kYes : Known::kNo;
  TSNode type = Field(declaration, "type");
  if (!ts_node_is_null(type)) out.return_type = std::string(Text(type, text));
}

bool IsTypeKind(const std::string& kind) {
  return kind == "class" || kind == "struct" || kind == "record" || kind == "interface" || kind == "enum";
}

}  // namespace

void CSharpFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out) {
  TSNode declaration = node;  // the declaration itself: its bytes are the routine's
  if (IsTypeKind(routine.kind)) {
    TypeParameters(declaration, text, out);
    TSNode list = FirstDescendant(declaration, {"parameter_list"}, {"declaration_list", "base_list", "type_parameter_list"});
    if (!ts_node_is_null(list) && ts_node_eq(ts_node_parent(list), declaration)) {  // primary constructor
      out.has_parameters = true;
      ReadParameters(list, text, out);
    }
    return;
  }
  if (routine.kind == "property" || routine.kind == "event") return AccessorFacts(declaration, text, out);
  if (routine.kind == "indexer") {
    AccessorFacts(declaration, text, out);
    out.has_parameters = true;
    ReadParameters(Field(declaration, "parameters"), text, out);
    out.returns_value = Known::kYes;
    return;
  }
  MethodFacts(declaration, routine, text, out);
}

}  // namespace scale::languages::detail
