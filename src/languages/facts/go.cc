// Go's routine facts (facts.h): the signature says everything Go lets it say. Parameters come from
// the parameter list (grouped `a, b int` are two, `...int` is variadic, unnamed and `_` ones are
// not documentable and skipped), the receiver goes into `receivers`, type parameters from `[K
// comparable, V any]`. A declared result is a returned value, no result is none: the compiler
// allows no `return x` without one, so the body is not read for returns. Go reports failures as
// error values and panics, neither a raise a doc's "Raises" could name: raises stays unknown.
#include "languages/facts_util.h"

namespace scale::languages::detail {

namespace {

// The named, non-blank names of a parameter declaration (`a, b int` -> "a", "b"; `int`, `_ int` ->
// none): Go repeats the `name` field once per grouped name.
std::vector<std::string> DeclaredNames(TSNode declaration, std::string_view text) {
  std::vector<std::string> names;
  for (uint32_t i = 0; i < ts_node_child_count(declaration); ++i) {
    const char* field = ts_node_field_name_for_child(declaration, i);
    if (field == nullptr || std::string_view(field) != "name") continue;
    std::string_view name = Text(ts_node_child(declaration, i), text);
    if (name != "_") names.emplace_back(name);
  }
  return names;
}

void ReadParameters(TSNode list, std::string_view text, RoutineFacts& out) {
  if (ts_node_is_null(list)) return;
  for (TSNode declaration : NamedChildren(list)) {
    bool variadic = Is(declaration, "variadic_parameter_declaration");
    if (!variadic && !Is(declaration, "parameter_declaration")) continue;  // comments
    for (std::string& name : DeclaredNames(declaration, text)) {
      Parameter p;
      p.name = std::move(name);
      if (variadic) p.kind = Parameter::kVariadic;
      out.parameters.push_back(std::move(p));
    }
  }
}

void ReadReceiver(TSNode list, std::string_view text, RoutineFacts& out) {
  if (ts_node_is_null(list)) return;
  for (TSNode declaration : NamedChildren(list)) {
    if (!Is(declaration, "parameter_declaration")) continue;
    for (std::string& name : DeclaredNames(declaration, text)) out.receivers.push_back(std::move(name));
  }
}

// `[K comparable, V any]`, `[S ~[]E, E any]`: every declared name, in order.
void ReadTypeParameters(TSNode list, std::string_view text, RoutineFacts& out) {
  if (ts_node_is_null(list)) return;
  for (TSNode declaration : NamedChildren(list)) {
    if (!Is(declaration, "type_parameter_declaration")) continue;
    for (std::string& name : DeclaredNames(declaration, text)) out.type_parameters.push_back(std::move(name));
  }
}

}  // namespace

void GoFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out) {
  if (routine.kind != "function" && routine.kind != "method") return;  // types: no parameter list
  // Interface methods are `method_elem`s; `node` is the declaration itself for all three.
  TSNode decl = FirstDescendant(node, {"function_declaration", "method_declaration", "method_elem"}, {"block"});
  if (ts_node_is_null(decl)) return;
  out.has_parameters = true;
  ReadParameters(Field(decl, "parameters"), text, out);
  ReadReceiver(Field(decl, "receiver"), text, out);
  ReadTypeParameters(Field(decl, "type_parameters"), text, out);
  TSNode result = Field(decl, "result");
  out.returns_value = ts_node_is_null(result) ? Known::kNo : Known::kYes;
  if (!ts_node_is_null(result)) out.return_type = std::string(Text(result, text));
  // Go has no generators (iterators are functions taking a yield callback): never one, body or not.
  out.generator = Known::kNo;
  out.raises = Known::kUnknown;
}

}  // namespace scale::languages::detail
