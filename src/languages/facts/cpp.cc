// What a C++ routine's code says (facts.h): parameters (defaults, packs, C varargs), template
// parameters, the declared or trailing result, and what its own body throws. `this` is never a
// parameter. Lambdas, local classes and their methods inside a body are not the routine's code.
#include <string>

#include "languages/facts_util.h"

namespace scale::languages::detail {

namespace {

// Code inside a body that belongs to something else: what it returns or throws is not ours.
const NodeTypes kNested = {"lambda_expression", "class_specifier", "struct_specifier", "union_specifier",
                           "function_definition"};

bool IsTypeKind(const std::string& kind) { return kind == "class" || kind == "struct" || kind == "union" || kind == "enum"; }

std::string Squeezed(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') out += c;
  }
  return out;
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string_view::npos ? "" : std::string(s.substr(b, e - b + 1));
}

// The names of the template parameters of every `template <...>` around `def`, outermost first
// (`template <class T> template <class U> void A<T>::f(U)`: "T", "U").
void TemplateParameters(TSNode def, std::string_view text, RoutineFacts& out) {
  std::vector<TSNode> lists;
  for (TSNode p = ts_node_parent(def); Is(p, "template_declaration"); p = ts_node_parent(p)) {
    lists.insert(lists.begin(), Field(p, "parameters"));
  }
  for (TSNode list : lists) {
    if (ts_node_is_null(list)) continue;
    for (TSNode param : NamedChildren(list)) {
      TSNode name = Field(param, "name");
      if (ts_node_is_null(name)) name = Field(param, "declarator");
      if (!ts_node_is_null(name) && Is(name, "variadic_declarator")) name = ts_node_named_child(name, 0);
      if (ts_node_is_null(name)) name = FirstDescendant(param, {"type_identifier", "identifier"},
                                                             {"template_parameter_list", "default_type", "default_value"});
      if (!ts_node_is_null(name) && (Is(name, "type_identifier") || Is(name, "identifier"))) {
        out.type_parameters.emplace_back(Text(name, text));
      }
    }
  }
}

// The identifier a parameter's declarator declares (`*p`, `&&... args`, `(&xs)[N]`, `(*fn)(int)`),
// or null for an unnamed one (`const Widget&`).
TSNode DeclaredIdentifier(TSNode declarator) {
  for (TSNode node = declarator; !ts_node_is_null(node);) {
    if (Is(node, "identifier")) return node;
    if (Is(node, "qualified_identifier")) return TSNode{};
    TSNode inner = Field(node, "declarator");
    bool unfielded = Is(node, "reference_declarator") || Is(node, "variadic_declarator") ||
                     Is(node, "parenthesized_declarator") || Is(node, "attributed_declarator");
    if (ts_node_is_null(inner) && unfielded && ts_node_named_child_count(node) > 0) {
      inner = ts_node_named_child(node, 0);  // `& x`, `... args`, `(&xs)`, `x [[maybe_unused]]`
    }
    node = inner;
  }
  return TSNode{};
}

void ReadParameters(TSNode list, std::string_view text, RoutineFacts& out) {
  if (ts_node_is_null(list)) return;
  std::vector<TSNode> items = Children(list);
  for (TSNode item : items) {
    if (!ts_node_is_named(item)) {
      if (Is(item, "...")) out.parameters.push_back({"...", Parameter::kVariadic});  // C varargs
      continue;
    }
    bool void_list = Is(item, "parameter_declaration") && ts_node_is_null(Field(item, "declarator")) &&
                     Text(item, text) == "void";
    if (void_list) continue;
    TSNode name = DeclaredIdentifier(Field(item, "declarator"));
    if (Is(item, "variadic_parameter") && ts_node_is_null(name)) {
      out.parameters.push_back({"...", Parameter::kVariadic});
      continue;
    }
    if (ts_node_is_null(name)) continue;  // unnamed: nothing to document by name
    Parameter p{std::string(Text(name, text))};
    if (Is(item, "variadic_parameter_declaration")) p.kind = Parameter::kVariadic;
    p.optional = Is(item, "optional_parameter_declaration");
    out.parameters.push_back(std::move(p));
  }
}

// What a routine's declarator says: its own function declarator (with the parameter list), the
// name node, and whether a pointer or reference wraps the name (`void *f()`, `Widget& operator=`).
struct Signature {
  TSNode function{};  // function_declarator, or the abstract one of a conversion/lambda
  TSNode name{};
  TSNode conversion{};  // `operator bool`: its type is the result
  bool wrapped = false;
};

Signature FollowDeclarator(TSNode declarator) {
  Signature s;
  bool wrapped = false;
  for (TSNode node = declarator; !ts_node_is_null(node);) {
    if (Is(node, "operator_cast")) {
      if (ts_node_is_null(s.name)) s.name = node;
      s.conversion = node;
      s.function = Field(node, "declarator");
      return s;
    }
    TSNode last = node;  // `A::B::operator bool`: the conversion holds the parameter list
    while (Is(last, "qualified_identifier")) last = Field(last, "name");
    if (Is(node, "qualified_identifier") && Is(last, "operator_cast")) {
      s.name = node;
      node = last;
      continue;
    }
    if (Is(node, "identifier") || Is(node, "field_identifier") || Is(node, "qualified_identifier") ||
        Is(node, "destructor_name") || Is(node, "operator_name") || Is(node, "template_function") ||
        Is(node, "template_method")) {
      s.name = node;
      return s;
    }
    if (Is(node, "function_declarator")) {
      s.function = node;
      s.wrapped = wrapped;
    }
    wrapped = wrapped || Is(node, "pointer_declarator") || Is(node, "reference_declarator") ||
              Is(node, "function_declarator");
    TSNode inner = Field(node, "declarator");
    if (ts_node_is_null(inner) && ts_node_named_child_count(node) > 0) inner = ts_node_named_child(node, 0);
    node = inner;
  }
  return s;
}

// The declared result: a trailing `-> T` wins over `auto`; otherwise the text from the first
// qualifier or type word to the name (`const std::string&`, `Widget&`, `void *`).
std::string ReturnType(TSNode def, const Signature& sig, std::string_view text) {
  TSNode trailing = FirstDescendant(sig.function, {"trailing_return_type"}, {"parameter_list"});
  if (!ts_node_is_null(trailing)) {
    return std::string(Text(ts_node_named_child(trailing, 0), text));
  }
  TSNode type = Field(def, "type");
  if (!ts_node_is_null(sig.conversion)) return std::string(Text(Field(sig.conversion, "type"), text));
  if (ts_node_is_null(type)) return "";
  size_t begin = ts_node_start_byte(type);
  for (TSNode child : NamedChildren(def)) {
    if (Is(child, "type_qualifier") && ts_node_start_byte(child) < begin) begin = ts_node_start_byte(child);
  }
  size_t end = ts_node_start_byte(sig.name);
  if (end <= begin) return std::string(Text(type, text));
  std::string written = WrittenBetween(def, begin, end, text);
  return written.find('(') == std::string::npos ? written : std::string(Text(type, text));
}

bool IsAuto(TSNode type, std::string_view text) {
  return Is(type, "placeholder_type_specifier") || (Is(type, "decltype") && Squeezed(Text(type, text)) == "decltype(auto)");
}

// What is thrown by name: `std::out_of_range("x")`, `Error{"x"}`, `new Bad()`.
std::string ThrownName(TSNode thrown, std::string_view text) {
  if (Is(thrown, "call_expression")) return Squeezed(Text(Field(thrown, "function"), text));
  if (Is(thrown, "compound_literal_expression") || Is(thrown, "new_expression")) {
    return Squeezed(Text(Field(thrown, "type"), text));
  }
  return "";
}

struct BodyFacts {
  bool returns_value = false;
  bool yields = false;
  bool throws = false;
  std::vector<std::string> raised;
};

BodyFacts ReadBody(TSNode body, std::string_view text) {
  BodyFacts b;
  VisitOwnBody(body, kNested, [&](TSNode node) {
    if ((Is(node, "return_statement") || Is(node, "co_return_statement")) && ts_node_named_child_count(node) > 0) {
      b.returns_value = true;
    } else if (Is(node, "co_yield_statement")) {
      b.yields = true;
    } else if ((Is(node, "identifier") || Is(node, "namespace_identifier")) && Text(node, text) == "throw") {
      b.throws = true;  // `c ? x : throw E()`: tree-sitter-cpp reads the keyword as a name
    } else if (Is(node, "throw_statement")) {
      b.throws = true;
      if (ts_node_named_child_count(node) > 0) AddUnique(b.raised, ThrownName(ts_node_named_child(node, 0), text));
    }
  });
  return b;
}

void Returns(TSNode def, const Signature& sig, const Routine& routine, TSNode body, const BodyFacts& b,
             std::string_view text, RoutineFacts& out) {
  out.return_type = ReturnType(def, sig, text);
  if (routine.kind == "constructor" || routine.kind == "destructor") {
    out.returns_value = Known::kNo;
    return;
  }
  TSNode type = Field(def, "type");
  bool deduced = out.return_type.empty() || (IsAuto(type, text) && out.return_type == Trim(Text(type, text)));
  if (deduced) {  // `auto f() { ... }`, a lambda without `->`: the body decides
    if (ts_node_is_null(body)) return;
    out.returns_value = b.returns_value ? Known::kYes : Known::kNo;
    return;
  }
  bool void_result = Squeezed(out.return_type) == "void" && !sig.wrapped;
  out.returns_value = void_result ? Known::kNo : Known::kYes;
}

void FunctionFacts(TSNode def, TSNode declarator, TSNode body, const Routine& routine, std::string_view text,
                   RoutineFacts& out) {
  Signature sig = FollowDeclarator(declarator);
  if (ts_node_is_null(sig.function)) {
    out.parameters_complete = false;
    return;
  }
  out.has_parameters = true;
  ReadParameters(Field(sig.function, "parameters"), text, out);
  BodyFacts b = ReadBody(body, text);
  Returns(def, sig, routine, body, b, text, out);
  bool visible = !ts_node_is_null(body);
  out.generator = visible ? (b.yields ? Known::kYes : Known::kNo) : Known::kUnknown;
  out.raises = visible ? (b.throws ? Known::kYes : Known::kNo) : Known::kUnknown;
  out.raised = b.raised;
  out.constructor = routine.kind == "constructor";
}

// `auto add = [](int a) { ... };`: the lambda's own declarator and body.
void LambdaFacts(TSNode lambda, const Routine& routine, std::string_view text, RoutineFacts& out) {
  TSNode declarator = Field(lambda, "declarator");
  TSNode body = Field(lambda, "body");
  out.has_parameters = true;
  if (!ts_node_is_null(declarator)) ReadParameters(Field(declarator, "parameters"), text, out);
  BodyFacts b = ReadBody(body, text);
  Signature sig;
  sig.function = declarator;
  if (!ts_node_is_null(declarator)) Returns(lambda, sig, routine, body, b, text, out);
  else out.returns_value = b.returns_value ? Known::kYes : Known::kNo;
  out.generator = b.yields ? Known::kYes : Known::kNo;
  out.raises = b.throws ? Known::kYes : Known::kNo;
  out.raised = b.raised;
}

void TypeFacts(TSNode node, const Routine& routine, std::string_view text, RoutineFacts& out) {
  TSNode spec = DeclarationIn(node, routine, {"class_specifier", "struct_specifier", "union_specifier", "enum_specifier"});
  if (!ts_node_is_null(spec)) TemplateParameters(spec, text, out);
}

}  // namespace

void CppFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out) {
  if (IsTypeKind(routine.kind)) return TypeFacts(node, routine, text, out);
  if (routine.kind == "lambda") {
    TSNode lambda = DeclarationIn(node, routine, {"lambda_expression"});
    if (!ts_node_is_null(lambda)) LambdaFacts(lambda, routine, text, out);
    return;
  }
  TSNode def = DeclarationIn(node, routine, {"function_definition", "declaration", "field_declaration"});
  if (ts_node_is_null(def)) return;
  TemplateParameters(def, text, out);
  TSNode declarator = Field(def, "declarator");
  if (Is(declarator, "init_declarator")) declarator = Field(declarator, "declarator");
  FunctionFacts(def, declarator, Field(def, "body"), routine, text, out);
}

}  // namespace scale::languages::detail
