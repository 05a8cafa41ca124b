// What a Python def says (facts.h): its parameters without `self`/`cls`, and whether its own body
// returns a value, yields or raises. Python reads nothing into a missing `return`: a visible body
// without `return <value>` returns None. Stubs (a body of only a docstring, `pass`, `...` or
// `raise NotImplementedError`) and @abstractmethod / @overload defs describe a contract that the
// body does not show, so they get no kNo.
#include <string>
#include <string_view>
#include <vector>

#include "languages/facts_util.h"

namespace scale::languages::detail {

namespace {

// What a nested def, class or lambda does is not the enclosing routine's.
template <typename Visit>
void VisitPythonBody(TSNode body, Visit&& visit) {
  VisitOwnBody(body, {"function_definition", "class_definition", "lambda"}, visit);
}

// The last component of a dotted name: "abstractmethod" of "abc.abstractmethod".
std::string_view LastComponent(std::string_view dotted) {
  size_t dot = dotted.rfind('.');
  return dot == std::string_view::npos ? dotted : dotted.substr(dot + 1);
}

struct Decorators {
  bool staticmethod = false;  // no receiver
  bool abstract = false;      // @abstractmethod, @overload: the body is not the behaviour
  bool setter = false;        // @x.setter / @x.deleter: returns nothing a doc should describe
};

Decorators ReadDecorators(TSNode decorated, std::string_view text) {
  Decorators out;
  if (!Is(decorated, "decorated_definition")) return out;
  for (TSNode d : NamedChildren(decorated)) {
    if (!Is(d, "decorator") || ts_node_named_child_count(d) == 0) continue;
    TSNode expr = ts_node_named_child(d, 0);
    if (Is(expr, "call")) expr = Field(expr, "function");  // @functools.wraps(f)
    std::string_view name = LastComponent(Text(expr, text));
    out.staticmethod = out.staticmethod || name == "staticmethod" || name == "abstractstaticmethod";
    out.abstract = out.abstract || name == "overload" || name.substr(0, 8) == "abstract";
    out.setter = out.setter || name == "setter" || name == "deleter";
  }
  return out;
}

// Names bound by a Python 2 tuple parameter `(a, (b, c))`, in order.
void TupleMembers(TSNode pattern, std::string_view text, std::vector<std::string>& out) {
  for (TSNode child : NamedChildren(pattern)) {
    if (Is(child, "identifier")) out.emplace_back(Text(child, text));
    if (Is(child, "tuple_pattern") || Is(child, "list_pattern")) TupleMembers(child, text, out);
  }
}

// One entry of `parameters`; false for the `/` and `*` markers and comments.
bool ReadParameter(TSNode node, std::string_view text, Parameter& p) {
  if (Is(node, "default_parameter") || Is(node, "typed_default_parameter")) {
    p.optional = true;
    node = Field(node, "name");
  } else if (Is(node, "typed_parameter") && ts_node_named_child_count(node) > 0) {
    node = ts_node_named_child(node, 0);  // `x: int`, `*args: int`, `**kw: str`
  }
  if (Is(node, "list_splat_pattern") || Is(node, "dictionary_splat_pattern")) {
    p.kind = Is(node, "list_splat_pattern") ? Parameter::kVariadic : Parameter::kKeywords;
    node = ts_node_named_child_count(node) > 0 ? ts_node_named_child(node, 0) : TSNode{};
  }
  if (Is(node, "identifier")) {
    p.name = std::string(Text(node, text));
    return true;
  }
  if (Is(node, "tuple_pattern") || Is(node, "list_pattern")) {
    TupleMembers(node, text, p.members);
    return true;
  }
  return false;
}

void ReadParameters(TSNode def, std::string_view text, bool has_receiver, RoutineFacts& out) {
  for (TSNode child : NamedChildren(Field(def, "parameters"))) {
    Parameter p;
    if (!ReadParameter(child, text, p)) continue;
    // Only a plain first parameter is `self`/`cls`: `def m(*args)` binds the instance into args.
    if (has_receiver && out.parameters.empty() && out.receivers.empty() && p.kind == Parameter::kPlain &&
        !p.name.empty()) {
      out.receivers.push_back(p.name);
      continue;
    }
    out.parameters.push_back(std::move(p));
  }
  // `def f[T: int, *Ts, **P]`: each parameter's name is the first identifier in it.
  for (TSNode type : NamedChildren(Field(def, "type_parameters"))) {
    TSNode name = FirstDescendant(type, {"identifier"});
    if (!ts_node_is_null(name)) out.type_parameters.emplace_back(Text(name, text));
  }
}

bool IsNotImplemented(TSNode expr, std::string_view text) {
  if (Is(expr, "call")) expr = Field(expr, "function");
  if (!Is(expr, "identifier")) return false;
  return Text(expr, text) == "NotImplementedError" || Text(expr, text) == "NotImplemented";
}

// A body that only stands in for one: docstrings, `pass`, `...`, `raise NotImplementedError`.
bool IsStubBody(TSNode body, std::string_view text) {
  for (TSNode stmt : NamedChildren(body)) {
    if (Is(stmt, "comment") || Is(stmt, "pass_statement")) continue;
    TSNode first = ts_node_named_child_count(stmt) > 0 ? ts_node_named_child(stmt, 0) : TSNode{};
    if (Is(stmt, "expression_statement") && (Is(first, "string") || Is(first, "concatenated_string") ||
                                             Is(first, "ellipsis"))) {
      continue;
    }
    if (Is(stmt, "raise_statement") && IsNotImplemented(first, text)) continue;
    return false;
  }
  return true;
}

// The class raised, as written: "ValueError" of `raise ValueError(...)`, "errors.Bad" of `raise
// errors.Bad`. "" for a variable (`raise exc`, `raise self.error`): a class name is CapWords.
std::string RaisedName(TSNode expr, std::string_view text) {
  if (Is(expr, "call")) expr = Field(expr, "function");
  if (!Is(expr, "identifier") && !Is(expr, "attribute")) return "";
  std::string name;
  for (char c : Text(expr, text)) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\\') name += c;
  }
  std::string_view last = LastComponent(name);
  return !last.empty() && last[0] >= 'A' && last[0] <= 'Z' ? name : "";
}

// `-> None`, `-> NoReturn`, `-> typing.Never` (quoted or not): nothing comes back.
bool IsNoneLike(std::string_view type) {
  if (type.size() >= 2 && (type.front() == '"' || type.front() == '\'') && type.back() == type.front()) {
    type = type.substr(1, type.size() - 2);
  }
  std::string_view last = LastComponent(type);
  return last == "None" || last == "NoReturn" || last == "Never";
}

struct BodyFacts {
  bool returns_value = false;
  bool yields = false;
  bool raises = false;
  std::vector<std::string> raised;
};

BodyFacts ReadBody(TSNode body, std::string_view text) {
  BodyFacts out;
  VisitPythonBody(body, [&](TSNode node) {
    if (Is(node, "return_statement") && ts_node_named_child_count(node) > 0) {
      out.returns_value = out.returns_value || !Is(ts_node_named_child(node, 0), "none");
    } else if (Is(node, "yield")) {
      out.yields = true;
    } else if (Is(node, "raise_statement")) {
      out.raises = true;
      TSNode cause = Field(node, "cause");
      TSNode expr = ts_node_named_child_count(node) > 0 ? ts_node_named_child(node, 0) : TSNode{};
      if (!ts_node_is_null(expr) && !ts_node_eq(expr, cause)) AddUnique(out.raised, RaisedName(expr, text));
    }
  });
  return out;
}

void ReadBehaviour(TSNode def, std::string_view text, const Decorators& decorators, RoutineFacts& out) {
  TSNode body = Field(def, "body");
  TSNode type = Field(def, "return_type");
  if (!ts_node_is_null(type)) out.return_type = std::string(Text(type, text));
  BodyFacts seen = ReadBody(body, text);
  // What the body does not show is unknown when the body is not the behaviour.
  bool shown = !ts_node_is_null(body) && !decorators.abstract && !IsStubBody(body, text);
  Known unseen = shown ? Known::kNo : Known::kUnknown;
  out.generator = seen.yields ? Known::kYes : unseen;
  out.raises = seen.raises ? Known::kYes : unseen;
  out.raised = std::move(seen.raised);
  if (out.constructor || decorators.setter) {
    out.returns_value = Known::kNo;
  } else if (!out.return_type.empty()) {
    out.returns_value = IsNoneLike(out.return_type) ? Known::kNo : Known::kYes;
  } else if (seen.yields) {
    out.returns_value = Known::kUnknown;  // a generator's `return x` is StopIteration's value
  } else {
    out.returns_value = seen.returns_value ? Known::kYes : unseen;
  }
}

}  // namespace

void PythonFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out) {
  TSNode def = FirstDescendant(node, {"function_definition", "class_definition"});
  if (!Is(def, "function_definition")) return;  // a class: its doc describes members, not arguments
  Decorators decorators = ReadDecorators(node, text);
  out.has_parameters = true;
  out.async = HasAnonymousChild(def, "async");
  out.constructor = routine.kind == "method" && routine.name == "__init__";
  ReadParameters(def, text, routine.kind == "method" && !decorators.staticmethod, out);
  ReadBehaviour(def, text, decorators, out);
}

}  // namespace scale::languages::detail
