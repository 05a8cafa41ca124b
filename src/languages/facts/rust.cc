// Rust's routine facts (facts.h). A fn's signature says it all: `self` in any spelling (`&self`,
// `&'a mut self`, `mut self`, `self: Box<Self>`) is the receiver; a pattern parameter (`(a, b):
// (i32, i32)`, `Point { x, y }: Point`) is a destructured one with the names it binds; `_` binds
// nothing and is skipped. No `->` (or `-> ()`, `-> !`) returns nothing, any other type a value:
// the compiler allows nothing else, so bodies are not read for returns. Rust fails by returning a
// Result (returns_result, for `# Errors`) or panicking, which no "Raises" names: raises is unknown.
#include "languages/facts_util.h"

namespace scale::languages::detail {

namespace {

// The fn item a routine was collected from. A routine spans from its first attribute to the
// item's end, so `node` may be the enclosing list (`#[inline] fn f()`): follow the child that holds
// the routine's last byte down to the item that ends there.
TSNode ItemNode(TSNode node, const Routine& routine) {
  for (int guard = 0; guard < 64 && !ts_node_is_null(node); ++guard) {
    if ((Is(node, "function_item") || Is(node, "function_signature_item")) &&
        ts_node_end_byte(node) == routine.end_byte) {
      return node;
    }
    TSNode next{};
    for (TSNode child : NamedChildren(node)) {
      if (ts_node_start_byte(child) < routine.end_byte && ts_node_end_byte(child) >= routine.end_byte) next = child;
    }
    node = next;
  }
  return TSNode{};
}

bool IsTypeField(TSNode parent, uint32_t index) {
  const char* field = ts_node_field_name_for_child(parent, index);
  return field != nullptr && std::string_view(field) == "type";
}

// The names a pattern binds, in order: `(a, ref b, ..)` -> a, b; `Point { x, y: py }` -> x, py;
// `S(z)` -> z (the `S` is the struct's path, not a binding); `t @ 1..=2` -> t. Literals, ranges
// and paths bind nothing.
void BoundNames(TSNode pattern, std::string_view text, std::vector<std::string>& out) {
  if (ts_node_is_null(pattern)) return;
  if (Is(pattern, "identifier") || Is(pattern, "shorthand_field_identifier")) {
    AddUnique(out, Text(pattern, text));
    return;
  }
  if (Is(pattern, "field_pattern")) {
    TSNode inner = Field(pattern, "pattern");
    BoundNames(ts_node_is_null(inner) ? Field(pattern, "name") : inner, text, out);
    return;
  }
  if (Is(pattern, "scoped_identifier") || Is(pattern, "range_pattern") || Is(pattern, "field_identifier")) return;
  for (uint32_t i = 0; i < ts_node_child_count(pattern); ++i) {
    TSNode child = ts_node_child(pattern, i);
    if (ts_node_is_named(child) && !IsTypeField(pattern, i)) BoundNames(child, text, out);
  }
}

// `&x`, `ref x`, `mut x` (as a pattern, not the `mut` of `mut x: T`) still name one parameter x.
TSNode Unwrapped(TSNode pattern) {
  while ((Is(pattern, "reference_pattern") || Is(pattern, "ref_pattern") || Is(pattern, "mut_pattern")) &&
         ts_node_named_child_count(pattern) == 1) {
    pattern = ts_node_named_child(pattern, 0);
  }
  return pattern;
}

void ReadParameter(TSNode parameter, std::string_view text, RoutineFacts& out) {
  TSNode pattern = Unwrapped(Field(parameter, "pattern"));
  if (ts_node_is_null(pattern)) return;  // `_: u8` binds nothing a doc could name
  if (Is(pattern, "self")) {
    out.receivers.emplace_back("self");  // `self: Box<Self>`
    return;
  }
  Parameter p;
  if (Is(pattern, "identifier")) {
    p.name = std::string(Text(pattern, text));
  } else if (Is(pattern, "captured_pattern") && Is(ts_node_named_child(pattern, 0), "identifier")) {
    // `t @ 1..=9` is named t; what its sub-pattern binds (`p @ Point { x, .. }`) are members.
    p.name = std::string(Text(ts_node_named_child(pattern, 0), text));
    for (uint32_t i = 1; i < ts_node_named_child_count(pattern); ++i) {
      BoundNames(ts_node_named_child(pattern, i), text, p.members);
    }
  } else {
    BoundNames(pattern, text, p.members);
    if (p.members.empty()) return;  // a literal or `_` inside parentheses: nothing bound
  }
  out.parameters.push_back(std::move(p));
}

void ReadParameters(TSNode list, std::string_view text, RoutineFacts& out) {
  if (ts_node_is_null(list)) return;
  for (TSNode parameter : NamedChildren(list)) {
    if (Is(parameter, "self_parameter")) {
      out.receivers.emplace_back("self");
    } else if (Is(parameter, "parameter")) {
      ReadParameter(parameter, text, out);
    } else if (Is(parameter, "variadic_parameter")) {  // `extern "C" { fn printf(f: *const c_char, ...); }`
      Parameter p;
      TSNode pattern = Field(parameter, "pattern");
      p.name = ts_node_is_null(pattern) ? "..." : std::string(Text(pattern, text));
      p.kind = Parameter::kVariadic;
      out.parameters.push_back(std::move(p));
    }
  }
}

// Types and const generics (`<T: Clone, const N: usize>`): names a doc may mention. Lifetimes
// (`'a`) are not documented as generics.
void ReadTypeParameters(TSNode list, std::string_view text, RoutineFacts& out) {
  if (ts_node_is_null(list)) return;
  for (TSNode parameter : NamedChildren(list)) {
    if (!Is(parameter, "type_parameter") && !Is(parameter, "const_parameter")) continue;
    TSNode name = Field(parameter, "name");
    if (!ts_node_is_null(name)) out.type_parameters.emplace_back(Text(name, text));
  }
}

// `Result<T, E>`, `io::Result<T>`, `fmt::Result`: the type's own head names Result.
bool IsResultType(TSNode type, std::string_view text) {
  if (Is(type, "generic_type")) type = Field(type, "type");
  if (Is(type, "scoped_type_identifier")) type = Field(type, "name");
  return Is(type, "type_identifier") && Text(type, text) == "Result";
}

// A Result that is not the declared type itself (`Poll<Result<T>>`, `impl Future<Output =
// Result<T>>`, `Option<Result<T>>`) still reports errors, so `# Errors` may be right: not a sure no.
bool MentionsResult(TSNode type, std::string_view text) {
  bool found = false;
  VisitOwnBody(type, {}, [&](TSNode n) { found = found || (Is(n, "type_identifier") && Text(n, text) == "Result"); });
  return found;
}

void ReadReturn(TSNode fn, std::string_view text, RoutineFacts& out) {
  TSNode type = Field(fn, "return_type");
  if (ts_node_is_null(type)) {
    out.returns_value = Known::kNo;
    out.returns_result = Known::kNo;
    return;
  }
  out.return_type = std::string(Text(type, text));
  bool nothing = Is(type, "unit_type") || Is(type, "never_type");
  out.returns_value = nothing ? Known::kNo : Known::kYes;
  if (IsResultType(type, text)) {
    out.returns_result = Known::kYes;
  } else {
    out.returns_result = MentionsResult(type, text) ? Known::kUnknown : Known::kNo;
  }
}

bool IsAsync(TSNode fn) {
  for (TSNode child : NamedChildren(fn)) {
    if (Is(child, "function_modifiers")) return HasAnonymousChild(child, "async");
  }
  return false;
}

}  // namespace

void RustFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out) {
  // Structs, enums, unions, traits, type aliases, macros, modules: no parameter list.
  if (routine.kind != "function" && routine.kind != "method") return;
  TSNode fn = ItemNode(node, routine);
  if (ts_node_is_null(fn)) return;
  out.has_parameters = true;
  ReadParameters(Field(fn, "parameters"), text, out);
  ReadTypeParameters(Field(fn, "type_parameters"), text, out);
  ReadReturn(fn, text, out);
  out.async = IsAsync(fn);
  // Stable Rust has no generators (an iterator is a type, not a yielding fn), body or not.
  out.generator = Known::kNo;
  out.raises = Known::kUnknown;
}

}  // namespace scale::languages::detail
