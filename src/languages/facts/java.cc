// What a Java routine's code says (facts.h): parameters (varargs, an explicit `this` receiver),
// generic type parameters, the declared result, a `throws` clause and what its own body throws.
// A record takes its components as parameters (Javadoc documents them with @param), and so does
// its compact constructor, which declares none itself.
#include <string>

#include "languages/facts_util.h"

namespace scale::languages::detail {

namespace {

// Code inside a body that belongs to something else: lambdas, anonymous and local classes.
const NodeTypes kNested = {"lambda_expression", "class_body", "class_declaration", "interface_declaration",
                           "record_declaration", "enum_declaration"};

void TypeParameters(TSNode declaration, std::string_view text, RoutineFacts& out) {
  TSNode list = Field(declaration, "type_parameters");
  if (ts_node_is_null(list)) return;
  for (TSNode param : NamedChildren(list)) {
    if (!Is(param, "type_parameter")) continue;
    TSNode name = FirstDescendant(param, {"type_identifier", "identifier"}, {"type_bound", "annotation", "marker_annotation"});
    if (!ts_node_is_null(name)) out.type_parameters.emplace_back(Text(name, text));
  }
}

void ReadParameters(TSNode list, std::string_view text, RoutineFacts& out) {
  if (ts_node_is_null(list)) return;
  for (TSNode item : NamedChildren(list)) {
    if (Is(item, "formal_parameter")) {
      std::string_view name = Text(Field(item, "name"), text);
      if (!name.empty()) out.parameters.push_back({std::string(name)});
    } else if (Is(item, "spread_parameter")) {  // `String... parts`
      TSNode declarator = FirstDescendant(item, {"variable_declarator"});
      TSNode name = Field(declarator, "name");
      if (!ts_node_is_null(name)) out.parameters.push_back({std::string(Text(name, text)), Parameter::kVariadic});
    } else if (Is(item, "receiver_parameter")) {  // `Box<T> this`: the receiver spelled out
      out.receivers.emplace_back("this");
    }
  }
}

// `new Foo(..)` -> "Foo"; a variable rethrown (`throw e;`) names nothing.
std::string ThrownName(TSNode thrown, std::string_view text) {
  if (!Is(thrown, "object_creation_expression")) return "";
  TSNode type = Field(thrown, "type");
  if (Is(type, "generic_type")) type = ts_node_named_child(type, 0);
  return ts_node_is_null(type) ? "" : std::string(Text(type, text));
}

// The exception types of a `throws` clause, as written (`java.io.IOException`).
void ThrowsClause(TSNode declaration, std::string_view text, RoutineFacts& out) {
  TSNode clause = FirstDescendant(declaration, {"throws"}, {"block", "constructor_body", "formal_parameters"});
  if (ts_node_is_null(clause)) return;
  out.raises = Known::kYes;
  for (TSNode type : NamedChildren(clause)) {
    TSNode base = Is(type, "generic_type") ? ts_node_named_child(type, 0) : type;
    if (!Is(base, "annotation") && !Is(base, "marker_annotation")) AddUnique(out.raised, Text(base, text));
  }
}

void ReadBody(TSNode body, std::string_view text, RoutineFacts& out) {
  bool throws = false;
  VisitOwnBody(body, kNested, [&](TSNode node) {
    if (!Is(node, "throw_statement")) return;
    throws = true;
    if (ts_node_named_child_count(node) > 0) AddUnique(out.raised, ThrownName(ts_node_named_child(node, 0), text));
  });
  if (throws) out.raises = Known::kYes;
  else if (out.raises == Known::kUnknown) out.raises = Known::kNo;
}

// A compact constructor's parameters are its record's components.
void RecordComponents(TSNode compact, std::string_view text, RoutineFacts& out) {
  TSNode record = ts_node_parent(ts_node_parent(compact));  // record_declaration > class_body > it
  if (Is(record, "record_declaration")) ReadParameters(Field(record, "parameters"), text, out);
}

void MethodFacts(TSNode declaration, std::string_view text, RoutineFacts& out) {
  out.has_parameters = true;
  TypeParameters(declaration, text, out);
  if (Is(declaration, "compact_constructor_declaration")) RecordComponents(declaration, text, out);
  else ReadParameters(Field(declaration, "parameters"), text, out);
  bool constructor = !Is(declaration, "method_declaration") && !Is(declaration, "annotation_type_element_declaration");
  out.constructor = constructor;
  TSNode type = Field(declaration, "type");
  if (!ts_node_is_null(type)) out.return_type = std::string(Text(type, text));
  if (constructor) out.returns_value = Known::kNo;
  else out.returns_value = Is(type, "void_type") ? Known::kNo : Known::kYes;
  ThrowsClause(declaration, text, out);
  TSNode body = Field(declaration, "body");
  if (ts_node_is_null(body)) return;  // abstract, interface, native: only the throws clause shows
  out.generator = Known::kNo;  // `yield` in Java ends a switch expression's arm
  ReadBody(body, text, out);
}

}  // namespace

void JavaFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out) {
  TSNode declaration = FirstDescendant(node, {"method_declaration", "constructor_declaration", "compact_constructor_declaration",
                                              "annotation_type_element_declaration", "class_declaration",
                                              "interface_declaration", "record_declaration", "enum_declaration",
                                              "annotation_type_declaration"});
  if (ts_node_is_null(declaration)) return;
  if (routine.kind == "method" || routine.kind == "constructor") return MethodFacts(declaration, text, out);
  TypeParameters(declaration, text, out);
  if (Is(declaration, "record_declaration")) {  // `record Point(int x, int y)`: @param x, @param y
    out.has_parameters = true;
    ReadParameters(Field(declaration, "parameters"), text, out);
  }
}

}  // namespace scale::languages::detail
