// What a JavaScript, TypeScript or TSX routine says (facts.h), for the routines js_family.cc
// finds: declarations, methods, functions bound to names, and TypeScript's signatures. A routine
// spans from its first token (`export`, a decorator, `const`, an object key) to its end, so the
// declaration is the first function-like node inside that span. An overloaded TypeScript function
// is one routine from its first signature to its implementation: its parameters are those of all
// of them, its result is known only when every signature declares one, and what it does is the
// implementation's.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "languages/facts_util.h"

namespace scale::languages::detail {

namespace {

// Nodes that take parameters and may have a body.
const NodeTypes kFunctions = {
    "function_declaration", "generator_function_declaration", "function_expression", "function",
    "arrow_function",       "generator_function",             "method_definition",   "function_signature",
    "method_signature",     "abstract_method_signature",
};
// Declarations that are routines without parameters (their docs describe members).
const NodeTypes kOthers = {
    "class_declaration", "class",           "abstract_class_declaration", "interface_declaration",
    "type_alias_declaration", "enum_declaration", "internal_module", "module",
};
// Subtrees that hold no declaration of the routine itself: a decorator's arguments and a type
// (`const f: { m(): void } = ...`) may hold function-like nodes.
const NodeTypes kNotTheRoutine = {"decorator", "type_annotation", "type_arguments", "object_type"};

// What a nested function or class does is not the enclosing routine's.
template <typename Visit>
void VisitJsBody(TSNode body, Visit&& visit) {
  VisitOwnBody(body,
               {"function_declaration", "generator_function_declaration", "function_expression", "function",
                "arrow_function", "generator_function", "method_definition", "class_declaration", "class",
                "abstract_class_declaration"},
               visit);
}

bool Overlaps(TSNode node, const Routine& routine) {
  return ts_node_start_byte(node) < routine.end_byte && ts_node_end_byte(node) > routine.start_byte;
}

// The first declaration (in source order) inside the routine's span, outermost first.
TSNode Declaration(TSNode node, const Routine& routine) {
  std::vector<TSNode> stack{node};
  while (!stack.empty()) {
    TSNode n = stack.back();
    stack.pop_back();
    if (IsOneOf(n, kFunctions) || IsOneOf(n, kOthers)) return n;
    if (IsOneOf(n, kNotTheRoutine)) continue;
    for (uint32_t i = ts_node_named_child_count(n); i > 0; --i) {
      TSNode child = ts_node_named_child(n, i - 1);
      if (Overlaps(child, routine)) stack.push_back(child);
    }
  }
  return TSNode{};
}

// A statement with `export` / `declare` looked through: the declaration it makes.
TSNode Unwrapped(TSNode stmt) {
  for (int guard = 0; guard < 4; ++guard) {
    if (Is(stmt, "export_statement") && !ts_node_is_null(Field(stmt, "declaration"))) {
      stmt = Field(stmt, "declaration");
    } else if (Is(stmt, "ambient_declaration") && ts_node_named_child_count(stmt) == 1) {
      stmt = ts_node_named_child(stmt, 0);
    } else {
      break;
    }
  }
  return stmt;
}

bool IsSignature(TSNode node) {
  return Is(node, "function_signature") || Is(node, "method_signature") || Is(node, "abstract_method_signature");
}

// The overloads a routine spans: its first signature, the later ones and the implementation, in
// order (js_family.cc groups siblings of one name). Just `def` when it is not overloaded.
std::vector<TSNode> Overloads(TSNode def, const Routine& routine) {
  std::vector<TSNode> out{def};
  if (!IsSignature(def)) return out;
  TSNode top = def;
  while (Is(ts_node_parent(top), "export_statement") || Is(ts_node_parent(top), "ambient_declaration")) {
    top = ts_node_parent(top);
  }
  for (TSNode s = ts_node_next_named_sibling(top); !ts_node_is_null(s) && ts_node_start_byte(s) < routine.end_byte;
       s = ts_node_next_named_sibling(s)) {
    TSNode member = Unwrapped(s);
    if (IsOneOf(member, kFunctions)) out.push_back(member);
  }
  return out;
}

// Names a destructuring pattern binds, in order: `{a, b: c, d = 1, ...e}` -> a, c, d, e.
void PatternNames(TSNode pattern, std::string_view text, std::vector<std::string>& out) {
  if (Is(pattern, "identifier") || Is(pattern, "shorthand_property_identifier_pattern")) {
    out.emplace_back(Text(pattern, text));
  } else if (Is(pattern, "pair_pattern")) {
    PatternNames(Field(pattern, "value"), text, out);
  } else if (Is(pattern, "assignment_pattern") || Is(pattern, "object_assignment_pattern")) {
    PatternNames(Field(pattern, "left"), text, out);
  } else if (Is(pattern, "object_pattern") || Is(pattern, "array_pattern") || Is(pattern, "rest_pattern")) {
    for (TSNode child : NamedChildren(pattern)) PatternNames(child, text, out);
  }
}

// One parameter from its pattern: a name, `...rest`, or a destructured `{a, b}` (name "").
void ReadPattern(TSNode pattern, std::string_view text, Parameter& p) {
  if (Is(pattern, "assignment_pattern")) {
    p.optional = true;
    pattern = Field(pattern, "left");
  }
  if (Is(pattern, "rest_pattern")) {
    p.kind = Parameter::kVariadic;
    TSNode inner = ts_node_named_child_count(pattern) > 0 ? ts_node_named_child(pattern, 0) : TSNode{};
    if (Is(inner, "identifier")) {
      p.name = std::string(Text(inner, text));
      return;
    }
    pattern = inner;  // `...[a, b]`
  }
  if (Is(pattern, "identifier")) {
    p.name = std::string(Text(pattern, text));
  } else {
    PatternNames(pattern, text, p.members);
  }
}

// `<T, K extends keyof T = string>` -> T, K.
void ReadTypeParameters(TSNode def, std::string_view text, RoutineFacts& out) {
  for (TSNode tp : NamedChildren(Field(def, "type_parameters"))) {
    TSNode name = Field(tp, "name");
    if (!ts_node_is_null(name)) out.type_parameters.emplace_back(Text(name, text));
  }
}

void ReadParameters(TSNode def, std::string_view text, RoutineFacts& out) {
  TSNode single = Field(def, "parameter");  // `x => x`
  std::vector<TSNode> params = ts_node_is_null(single) ? NamedChildren(Field(def, "parameters")) : std::vector{single};
  for (TSNode param : params) {
    if (Is(param, "comment")) continue;
    Parameter p;
    TSNode pattern = param;
    if (Is(param, "required_parameter") || Is(param, "optional_parameter")) {
      pattern = Field(param, "pattern");
      if (ts_node_is_null(pattern)) pattern = Field(param, "name");
      p.optional = Is(param, "optional_parameter") || !ts_node_is_null(Field(param, "value"));
    }
    if (Is(pattern, "this")) {  // TypeScript's `this: T` only types the receiver
      out.receivers.emplace_back("this");
      continue;
    }
    ReadPattern(pattern, text, p);
    if (!p.name.empty() || !p.members.empty()) out.parameters.push_back(std::move(p));
  }
  ReadTypeParameters(def, text, out);
}

// The declared result as written: "Promise<void>" of `: Promise<void>`, "asserts x is T".
std::string ReturnType(TSNode def, std::string_view text) {
  TSNode annotation = Field(def, "return_type");
  if (ts_node_is_null(annotation)) return "";
  std::string_view type = Text(annotation, text);
  if (Is(annotation, "type_annotation") && ts_node_named_child_count(annotation) > 0) {
    type = Text(ts_node_named_child(annotation, 0), text);
  } else {
    while (!type.empty() && (type.front() == ':' || type.front() == ' ')) type.remove_prefix(1);
  }
  return std::string(type);
}

// Types that give the caller nothing: `void`, `never`, `undefined`, their promises, assertions.
bool IsVoidLike(TSNode def, const std::string& type) {
  if (Is(Field(def, "return_type"), "asserts_annotation")) return true;
  std::string t;
  for (char c : type) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') t += c;
  }
  for (std::string_view v : {"void", "never", "undefined"}) {
    if (t == v || t == "Promise<" + std::string(v) + ">" || t == "PromiseLike<" + std::string(v) + ">") return true;
  }
  return false;
}

// The class thrown, as written: "Foo" of `throw new Foo(..)`, "errors.Bad" of `throw errors.Bad`.
// "" for a value (`throw err`, `throw makeError()`): a class name starts with a capital.
std::string ThrownName(TSNode expr, std::string_view text) {
  if (Is(expr, "new_expression")) expr = Field(expr, "constructor");
  if (Is(expr, "call_expression")) expr = Field(expr, "function");
  if (!Is(expr, "identifier") && !Is(expr, "member_expression")) return "";
  std::string name;
  for (char c : Text(expr, text)) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') name += c;
  }
  size_t dot = name.rfind('.');
  char first = name[dot == std::string::npos ? 0 : dot + 1];
  return first >= 'A' && first <= 'Z' ? name : "";
}

struct BodyFacts {
  bool returns_value = false;
  bool yields = false;
  bool throws = false;
  std::vector<std::string> thrown;
};

BodyFacts ReadBody(TSNode body, std::string_view text) {
  BodyFacts out;
  VisitJsBody(body, [&](TSNode node) {
    if (Is(node, "return_statement")) {
      for (TSNode value : NamedChildren(node)) {
        if (!Is(value, "comment") && !Is(value, "undefined")) out.returns_value = true;
      }
    } else if (Is(node, "yield_expression")) {
      out.yields = true;
    } else if (Is(node, "throw_statement") && ts_node_named_child_count(node) > 0) {
      out.throws = true;
      AddUnique(out.thrown, ThrownName(ts_node_named_child(node, 0), text));
    }
  });
  return out;
}

// An arrow's expression body is its result, except a call or an assignment: `() => setX(1)` is
// as often a procedure as a function.
Known ExpressionResult(TSNode expr) {
  if (Is(expr, "await_expression") && ts_node_named_child_count(expr) > 0) expr = ts_node_named_child(expr, 0);
  bool effect = Is(expr, "call_expression") || Is(expr, "assignment_expression") ||
                Is(expr, "augmented_assignment_expression") || Is(expr, "update_expression") ||
                (Is(expr, "unary_expression") && HasAnonymousChild(expr, "void"));
  return effect ? Known::kUnknown : Known::kYes;
}

bool IsGeneratorSyntax(TSNode def) {
  return Is(def, "generator_function_declaration") || Is(def, "generator_function") || HasAnonymousChild(def, "*");
}

// The facts of one declaration (one overload, or the whole routine when there are none).
struct Reading {
  RoutineFacts facts;
  bool has_body = false;
  bool body_returns = false;  // a `return <value>` in its own body
};

Reading ReadOne(TSNode def, std::string_view text, bool returns_nothing) {
  Reading r;
  RoutineFacts& f = r.facts;
  f.has_parameters = true;
  ReadParameters(def, text, f);
  f.async = HasAnonymousChild(def, "async");
  f.return_type = ReturnType(def, text);
  TSNode body = Field(def, "body");
  r.has_body = !ts_node_is_null(body);
  bool block = Is(body, "statement_block");
  BodyFacts seen = block ? ReadBody(body, text) : BodyFacts{};
  r.body_returns = seen.returns_value;
  bool generator = IsGeneratorSyntax(def);
  f.generator = generator ? Known::kYes : r.has_body ? Known::kNo : Known::kUnknown;
  f.raises = seen.throws ? Known::kYes : r.has_body ? Known::kNo : Known::kUnknown;
  f.raised = std::move(seen.thrown);
  if (returns_nothing) {
    f.returns_value = Known::kNo;
  } else if (!f.return_type.empty()) {
    f.returns_value = IsVoidLike(def, f.return_type) ? Known::kNo : Known::kYes;
  } else if (r.has_body && !block) {
    f.returns_value = ExpressionResult(body);
  } else if (seen.returns_value && !generator) {
    f.returns_value = Known::kYes;
  } else if (r.has_body && !f.async && !generator) {
    f.returns_value = Known::kNo;  // an async function returns a Promise; a generator, its iterator
  }
  return r;
}

// Adds `from`'s parameters to `into`'s by name (destructured ones by what they bind).
void UnionParameters(const RoutineFacts& from, RoutineFacts& into) {
  for (const Parameter& p : from.parameters) {
    auto same = [&](const Parameter& q) { return q.name == p.name && q.members == p.members; };
    auto it = std::find_if(into.parameters.begin(), into.parameters.end(), same);
    if (it == into.parameters.end()) {
      into.parameters.push_back(p);
    } else {
      it->optional = it->optional || p.optional;
    }
  }
  for (const std::string& r : from.receivers) AddUnique(into.receivers, r);
  for (const std::string& t : from.type_parameters) AddUnique(into.type_parameters, t);
}

// A parameter some overloads do not take can be left out by the caller.
void MarkPartialParameters(const std::vector<Reading>& readings, RoutineFacts& out) {
  for (Parameter& p : out.parameters) {
    for (const Reading& r : readings) {
      auto same = [&](const Parameter& q) { return q.name == p.name && q.members == p.members; };
      if (std::none_of(r.facts.parameters.begin(), r.facts.parameters.end(), same)) p.optional = true;
    }
  }
}

// The signatures say what callers get back (the implementation's own signature is hidden from
// them); its body still shows a value returned.
Known OverloadedResult(const std::vector<Reading>& readings) {
  Known declared = Known::kNo;
  bool all_declare = true;
  bool body_returns = false;
  for (const Reading& r : readings) {
    body_returns = body_returns || r.body_returns;
    if (r.has_body) continue;
    if (r.facts.return_type.empty()) all_declare = false;
    if (r.facts.returns_value == Known::kYes) declared = Known::kYes;
  }
  if (body_returns) return Known::kYes;
  return all_declare ? declared : Known::kUnknown;
}

RoutineFacts MergeOverloads(const std::vector<Reading>& readings) {
  RoutineFacts out;
  out.has_parameters = true;
  out.generator = out.raises = Known::kUnknown;
  for (const Reading& r : readings) {
    UnionParameters(r.facts, out);
    if (r.has_body) {  // the implementation
      out.generator = r.facts.generator;
      out.raises = r.facts.raises;
      out.raised = r.facts.raised;
      out.async = r.facts.async;
    }
  }
  MarkPartialParameters(readings, out);
  out.returns_value = OverloadedResult(readings);
  out.return_type = readings.front().facts.return_type;
  return out;
}

}  // namespace

void JsFamilyFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out) {
  TSNode def = Declaration(node, routine);
  if (!IsOneOf(def, kFunctions)) {
    // Classes, interfaces, types, enums, namespaces take no arguments; a generic one documents
    // its type parameters all the same.
    ReadTypeParameters(def, text, out);
    return;
  }
  bool constructor = routine.kind == "constructor";
  bool returns_nothing = constructor || routine.kind == "setter";
  std::vector<Reading> readings;
  for (TSNode member : Overloads(def, routine)) readings.push_back(ReadOne(member, text, returns_nothing));
  out = readings.size() == 1 ? std::move(readings.front().facts) : MergeOverloads(readings);
  out.constructor = constructor;
  if (returns_nothing) out.returns_value = Known::kNo;
}

}  // namespace scale::languages::detail
