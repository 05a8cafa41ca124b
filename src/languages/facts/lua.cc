// What a Lua function says (facts.h): its parameters (`...` as a variadic "..."), `self` as the
// receiver of a `function M:m()` method, and what its own body does. A Lua function always has a
// visible body and returns nothing unless a `return` gives values, so those facts are sure. Lua
// raises with the `error` and `assert` functions (with any value, so no class names), and a
// coroutine's function yields with `coroutine.yield`.
#include <string>
#include <string_view>
#include <vector>

#include "languages/facts_util.h"

namespace scale::languages::detail {

namespace {

// What a nested function does is not the enclosing one's.
template <typename Visit>
void VisitLuaBody(TSNode body, Visit&& visit) {
  VisitOwnBody(body, {"function_definition", "function_declaration"}, visit);
}

void ReadParameters(TSNode def, std::string_view text, RoutineFacts& out) {
  for (TSNode child : NamedChildren(Field(def, "parameters"))) {
    Parameter p;
    if (Is(child, "identifier")) {
      p.name = std::string(Text(child, text));
    } else if (Is(child, "vararg_expression")) {
      p.name = "...";
      p.kind = Parameter::kVariadic;
    } else {
      continue;  // comments
    }
    out.parameters.push_back(std::move(p));
  }
}

// The name a call is made through: "error", "coroutine.yield" ("" for `obj:m()` and the like).
std::string_view CalleeName(TSNode call, std::string_view text) {
  TSNode name = Field(call, "name");
  return Is(name, "identifier") || Is(name, "dot_index_expression") ? Text(name, text) : "";
}

struct BodyFacts {
  bool returns_value = false;
  bool yields = false;
  bool raises = false;
};

BodyFacts ReadBody(TSNode body, std::string_view text) {
  BodyFacts out;
  VisitLuaBody(body, [&](TSNode node) {
    if (Is(node, "return_statement")) {
      for (TSNode value : NamedChildren(node)) out.returns_value = out.returns_value || !Is(value, "comment");
    } else if (Is(node, "function_call")) {
      std::string_view callee = CalleeName(node, text);
      out.raises = out.raises || callee == "error" || callee == "assert";
      out.yields = out.yields || callee == "coroutine.yield";
    }
  });
  return out;
}

}  // namespace

void LuaFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out) {
  TSNode def = FirstDescendant(node, {"function_declaration", "function_definition"});
  if (ts_node_is_null(def)) return;
  out.has_parameters = true;
  // `function M:m(x)` takes `self` without naming it.
  if (routine.kind == "method") out.receivers.emplace_back("self");
  ReadParameters(def, text, out);
  // `function f() end` has no body node: an empty body, which does nothing.
  BodyFacts seen = ReadBody(Field(def, "body"), text);
  out.returns_value = seen.returns_value ? Known::kYes : Known::kNo;
  out.generator = seen.yields ? Known::kYes : Known::kNo;
  out.raises = seen.raises ? Known::kYes : Known::kNo;
}

}  // namespace scale::languages::detail
