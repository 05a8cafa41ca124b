// PHP's routine facts (facts.h). Parameters are `$names` (stored without the `$`): defaults make
// them optional, `...$xs` variadic, `&$x` and promoted constructor parameters (`private int $x`)
// plain. A declared return type decides returns_value (`void`/`never`: none); without one a
// visible body decides it (PHP returns null when nothing is returned). `throw` is an expression
// (`$x ?? throw new E()`). Closures, arrow functions and anonymous classes in a body are their own
// code: their returns, yields and throws are not the routine's.
#include <cctype>

#include "languages/facts_util.h"

namespace scale::languages::detail {

namespace {

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// `$x` -> "x" (also behind a by-ref `&$x` of a promoted parameter).
std::string VariableName(TSNode name, std::string_view text) {
  TSNode variable = FirstDescendant(name, {"variable_name"});
  if (ts_node_is_null(variable)) return "";
  std::string_view raw = Text(variable, text);
  if (!raw.empty() && raw.front() == '$') raw.remove_prefix(1);
  return std::string(raw);
}

void ReadParameters(TSNode list, std::string_view text, RoutineFacts& out) {
  if (ts_node_is_null(list)) return;
  for (TSNode parameter : NamedChildren(list)) {
    bool variadic = Is(parameter, "variadic_parameter");
    if (!variadic && !Is(parameter, "simple_parameter") && !Is(parameter, "property_promotion_parameter")) continue;
    Parameter p;
    p.name = VariableName(Field(parameter, "name"), text);
    if (p.name.empty()) continue;  // a parse error: no name to document
    if (variadic) p.kind = Parameter::kVariadic;
    p.optional = !ts_node_is_null(Field(parameter, "default_value"));
    out.parameters.push_back(std::move(p));
  }
}

// What `throw` names: `throw new \Foo\Bad(..)` -> "Foo\Bad". A thrown variable or call (`throw
// $e`, `throw self::error()`) names nothing.
std::string ThrownName(TSNode thrown, std::string_view text) {
  TSNode value = ts_node_named_child(thrown, 0);
  if (!Is(value, "object_creation_expression")) return "";
  TSNode type = ts_node_named_child(value, 0);
  if (!Is(type, "name") && !Is(type, "qualified_name")) return "";
  std::string_view name = Text(type, text);
  if (!name.empty() && name.front() == '\\') name.remove_prefix(1);
  return std::string(name);
}

struct BodyFacts {
  bool returns_value = false;
  bool yields = false;
  bool throws = false;
  std::vector<std::string> raised;
};

BodyFacts ReadBody(TSNode body, std::string_view text) {
  BodyFacts facts;
  NodeTypes nested = {"anonymous_function", "anonymous_function_creation_expression", "arrow_function",
                      "anonymous_class", "function_definition", "method_declaration", "class_declaration",
                      "interface_declaration", "trait_declaration", "enum_declaration"};
  VisitOwnBody(body, nested, [&](TSNode n) {
    if (Is(n, "return_statement") && ts_node_named_child_count(n) > 0) {
      // `return null;` counts: a base method returning null is documented by what overrides return.
      TSNode value = ts_node_named_child(n, 0);
      facts.returns_value = facts.returns_value || !Is(value, "comment");
    } else if (Is(n, "yield_expression")) {
      facts.yields = true;
    } else if (Is(n, "throw_expression")) {
      facts.throws = true;
      AddUnique(facts.raised, ThrownName(n, text));
    }
  });
  return facts;
}

// A body that only throws (`throw new LogicException('override me')`): a base method whose doc
// describes what overrides return, so "returns nothing" is not sure.
bool OnlyThrows(TSNode body) {
  bool any = false;
  for (TSNode statement : NamedChildren(body)) {
    if (Is(statement, "comment")) continue;
    if (!Is(statement, "expression_statement") || !Is(ts_node_named_child(statement, 0), "throw_expression")) {
      return false;
    }
    any = true;
  }
  return any;
}

bool IsVoidLike(TSNode type, std::string_view text) {
  return Is(type, "bottom_type") || (Is(type, "primitive_type") && EqualsIgnoringCase(Text(type, text), "void"));
}

void ReadReturns(TSNode decl, TSNode body, const BodyFacts& facts, std::string_view text, RoutineFacts& out) {
  TSNode type = Field(decl, "return_type");
  if (!ts_node_is_null(type)) {
    out.return_type = std::string(Text(type, text));
    out.returns_value = IsVoidLike(type, text) ? Known::kNo : Known::kYes;
  } else if (out.constructor || ts_node_is_null(body)) {
    out.returns_value = out.constructor ? Known::kNo : Known::kUnknown;  // abstract / interface methods
  } else if (facts.returns_value) {
    out.returns_value = Known::kYes;
  } else if (facts.yields || OnlyThrows(body)) {
    out.returns_value = Known::kUnknown;  // a generator's return value; a stub
  } else {
    out.returns_value = Known::kNo;
  }
}

}  // namespace

void PhpFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out) {
  if (routine.kind != "function" && routine.kind != "method") return;  // classes, interfaces, traits, enums
  TSNode decl = FirstDescendant(node, {"function_definition", "method_declaration"}, {"compound_statement"});
  if (ts_node_is_null(decl)) return;
  out.has_parameters = true;
  ReadParameters(Field(decl, "parameters"), text, out);
  TSNode name_node = Field(decl, "name");
  std::string_view name = ts_node_is_null(name_node) ? "" : Text(name_node, text);
  out.constructor = routine.kind == "method" && EqualsIgnoringCase(name, "__construct");
  bool destructor = routine.kind == "method" && EqualsIgnoringCase(name, "__destruct");
  TSNode body = Field(decl, "body");
  BodyFacts facts = ReadBody(body, text);
  ReadReturns(decl, body, facts, text, out);
  if (destructor && out.return_type.empty()) out.returns_value = Known::kNo;
  bool has_body = !ts_node_is_null(body);
  out.generator = !has_body ? Known::kUnknown : facts.yields ? Known::kYes : Known::kNo;
  out.raises = !has_body ? Known::kUnknown : facts.throws ? Known::kYes : Known::kNo;
  out.raised = std::move(facts.raised);
}

}  // namespace scale::languages::detail
