// What a Ruby `def` says (facts.h): its parameters with their sigils read as kinds (`*rest`,
// `**opts`, `&block`, `key:`), whether it yields to a block and what it raises. Every Ruby method
// returns its last expression, so whether it returns something worth documenting is not in the
// code: kUnknown, except `initialize` and setters (kNo) and an explicit `return <value>` (kYes).
// Blocks are the method's own code (`each { raise }` raises from it, `each { return x }` returns
// from it); lambdas and nested defs, classes and modules are not.
#include <string>
#include <string_view>
#include <vector>

#include "languages/facts_util.h"

namespace scale::languages::detail {

namespace {

// `raise`, `lambda`: the method name of a call without a receiver ("" for any other node).
std::string_view BareCallName(TSNode node, std::string_view text) {
  if (Is(node, "identifier")) return Text(node, text);  // `raise` alone parses as a name
  if (!Is(node, "call") || !ts_node_is_null(Field(node, "receiver"))) return "";
  return Text(Field(node, "method"), text);
}

// `-> { }` and `lambda { }` / `lambda do end`: a `return` inside leaves only the lambda.
bool IsLambda(TSNode node, std::string_view text) {
  return Is(node, "lambda") || (Is(node, "call") && !ts_node_is_null(Field(node, "block")) &&
                                BareCallName(node, text) == "lambda");
}

// Calls visit(node) for the method's own body and the nodes in it, depth first, not entering
// nested definitions or lambdas.
template <typename Visit>
void VisitRubyBody(TSNode body, std::string_view text, Visit&& visit) {
  if (ts_node_is_null(body)) return;
  std::vector<TSNode> stack{body};  // the body itself too: in `def x = raise Foo` it is the call
  while (!stack.empty()) {
    TSNode node = stack.back();
    stack.pop_back();
    if (IsOneOf(node, {"method", "singleton_method", "class", "module", "singleton_class"}) || IsLambda(node, text)) {
      continue;
    }
    visit(node);
    for (uint32_t i = ts_node_named_child_count(node); i > 0; --i) stack.push_back(ts_node_named_child(node, i - 1));
  }
}

// The names a destructured parameter `(a, (b, *c))` binds, in order.
void DestructuredNames(TSNode node, std::string_view text, std::vector<std::string>& out) {
  for (TSNode child : NamedChildren(node)) {
    if (Is(child, "identifier")) {
      out.emplace_back(Text(child, text));
    } else if (Is(child, "destructured_parameter")) {
      DestructuredNames(child, text, out);
    } else if (!ts_node_is_null(Field(child, "name"))) {
      out.emplace_back(Text(Field(child, "name"), text));  // `*c`
    }
  }
}

// One entry of the parameter list; false for anonymous `*`, `**`, `&`, `**nil` and comments (no
// name a doc could use).
bool ReadParameter(TSNode node, std::string_view text, Parameter& p) {
  if (Is(node, "identifier")) {
    p.name = std::string(Text(node, text));
    return true;
  }
  if (Is(node, "destructured_parameter")) {
    DestructuredNames(node, text, p.members);
    return !p.members.empty();
  }
  std::string_view type = ts_node_type(node);
  if (type == "splat_parameter") p.kind = Parameter::kVariadic;
  if (type == "hash_splat_parameter") p.kind = Parameter::kKeywords;
  if (type == "block_parameter") p.kind = Parameter::kBlock;
  if (type == "optional_parameter" || type == "keyword_parameter") p.optional = !ts_node_is_null(Field(node, "value"));
  TSNode name = Field(node, "name");
  if (ts_node_is_null(name)) return false;
  p.name = std::string(Text(name, text));
  return true;
}

void ReadParameters(TSNode def, std::string_view text, RoutineFacts& out) {
  for (TSNode child : NamedChildren(Field(def, "parameters"))) {
    // `def m(...)` forwards arguments whose names the doc may still give.
    if (Is(child, "forward_parameter")) out.parameters_complete = false;
    Parameter p;
    if (ReadParameter(child, text, p)) out.parameters.push_back(std::move(p));
  }
}

// The class `raise`/`fail` raises, from its first argument: `raise ArgumentError, "x"` and `raise
// Errors::Bad.new(..)` name it, `raise "message"` raises RuntimeError, `raise error` a value.
std::string RaisedName(TSNode call, std::string_view text) {
  TSNode args = Field(call, "arguments");
  if (ts_node_is_null(args) || ts_node_named_child_count(args) == 0) return "";
  TSNode first = ts_node_named_child(args, 0);
  if (Is(first, "call") && Text(Field(first, "method"), text) == "new") first = Field(first, "receiver");
  if (Is(first, "constant") || Is(first, "scope_resolution")) return std::string(Text(first, text));
  if (Is(first, "string")) return "RuntimeError";
  return "";
}

bool IsRaise(TSNode node, std::string_view text) {
  std::string_view name = BareCallName(node, text);
  if (name != "raise" && name != "fail") return false;
  // A bare `raise` is an identifier statement, not the name of a call's method or argument.
  return Is(node, "call") || !Is(ts_node_parent(node), "call");
}

struct BodyFacts {
  bool returns_value = false;
  bool yields = false;
  bool raises = false;
  std::vector<std::string> raised;
};

BodyFacts ReadBody(TSNode body, std::string_view text) {
  BodyFacts out;
  VisitRubyBody(body, text, [&](TSNode node) {
    if (Is(node, "return") && ts_node_named_child_count(node) > 0) {
      out.returns_value = true;
    } else if (Is(node, "yield")) {
      out.yields = true;
    } else if (IsRaise(node, text)) {
      out.raises = true;
      if (Is(node, "call")) AddUnique(out.raised, RaisedName(node, text));
    }
  });
  return out;
}

}  // namespace

void RubyFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out) {
  TSNode def = FirstDescendant(node, {"method", "singleton_method", "class", "module"});
  if (!Is(def, "method") && !Is(def, "singleton_method")) return;  // classes and modules
  out.has_parameters = true;
  ReadParameters(def, text, out);
  out.constructor = Is(def, "method") && routine.name == "initialize";
  // The body of `def x = expr` is the expression; `def a; end` has none, and does nothing.
  BodyFacts seen = ReadBody(Field(def, "body"), text);
  out.generator = seen.yields ? Known::kYes : Known::kNo;
  out.raises = seen.raises ? Known::kYes : Known::kNo;
  out.raised = std::move(seen.raised);
  if (out.constructor || Is(Field(def, "name"), "setter")) {
    out.returns_value = Known::kNo;
  } else if (seen.returns_value) {
    out.returns_value = Known::kYes;
  }
}

}  // namespace scale::languages::detail
