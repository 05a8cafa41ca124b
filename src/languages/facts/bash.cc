// Bash's routine facts (facts.h). A function declares no parameters: they are the positional ones
// its own body uses (`$1`, `${2:-x}`, `"$3"` in strings, expansions, arithmetic and heredocs),
// named "1", "2", ... in numeric order, and "$@" / "$*" / `for a; do` a variadic "@" after them.
// What shifts or counts the arguments (`shift`, `$#`, `set --`, `getopts`) or skips a position
// (`$1` and `$3` but no `$2`) makes the list maybe incomplete. A nested function's uses are its
// own. The exit status is not a documented value and nothing is raised: both unknown.
#include <map>

#include "languages/facts_util.h"

namespace scale::languages::detail {

namespace {

struct Uses {
  std::map<int, bool> positions;  // position -> has a default (`${2:-x}`)
  bool all = false;               // "$@", "$*"
  bool shifted = false;           // shift, $#, set --, getopts
};

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// `${1:-x}`, `${1-x}`, `${1:=x}`, `${1=x}`: the caller may leave it out.
bool HasDefault(TSNode expansion, TSNode name, std::string_view text) {
  std::string_view rest = text.substr(ts_node_end_byte(name), ts_node_end_byte(expansion) - ts_node_end_byte(name));
  for (std::string_view op : {":-", ":=", "-", "="}) {
    if (rest.substr(0, op.size()) == op) return true;
  }
  return false;
}

// A `$N` or `${N...}`: its position, or 0 for none ($0 is the script, not an argument).
void ReadPositional(TSNode name, std::string_view text, Uses& uses) {
  TSNode parent = ts_node_parent(name);
  bool simple = Is(parent, "simple_expansion");
  if (!simple && !Is(parent, "expansion")) return;
  std::string_view digits = Text(name, text);
  if (!IsDigits(digits) || digits.size() > 6) return;  // `${99999999999}`: no function takes that many
  if (simple) digits = digits.substr(0, 1);  // `$10` is `${1}0`
  int position = std::stoi(std::string(digits));
  if (position == 0) return;
  bool optional = !simple && HasDefault(parent, name, text);
  auto [it, added] = uses.positions.emplace(position, optional);
  if (!added) it->second = it->second || optional;
}

// `$@`, `${@:2}`, `$*` use all arguments; `$#` and `${#@}` count them.
void ReadSpecial(TSNode name, std::string_view text, Uses& uses) {
  TSNode parent = ts_node_parent(name);
  if (!Is(parent, "simple_expansion") && !Is(parent, "expansion")) return;
  std::string_view special = Text(name, text);
  bool counted = Text(parent, text).substr(0, 3) == "${#";
  if (special == "#" || ((special == "@" || special == "*") && counted)) {
    uses.shifted = true;
  } else if (special == "@" || special == "*") {
    uses.all = true;
  }
}

// The command a command node runs, past `builtin` / `command` (`builtin shift 2`), and its first
// argument: `shift`, `getopts` and `set -- ...` change or parse the arguments.
void ReadCommand(TSNode command, std::string_view text, Uses& uses) {
  TSNode command_name = Field(command, "name");
  if (ts_node_is_null(command_name)) return;
  std::vector<std::string_view> words{Text(command_name, text)};
  for (uint32_t i = 0; i < ts_node_child_count(command) && words.size() < 4; ++i) {
    const char* field = ts_node_field_name_for_child(command, i);
    if (field != nullptr && std::string_view(field) == "argument") words.push_back(Text(ts_node_child(command, i), text));
  }
  size_t at = 0;
  while (at + 1 < words.size() && (words[at] == "builtin" || words[at] == "command")) ++at;
  std::string_view name = words[at];
  std::string_view first = at + 1 < words.size() ? words[at + 1] : "";
  if (name == "shift" || name == "getopts" || (name == "set" && first == "--")) uses.shifted = true;
}

}  // namespace

void BashFacts(TSNode node, std::string_view text, const Routine& routine, RoutineFacts& out) {
  (void)routine;
  TSNode def = FirstDescendant(node, {"function_definition"});
  if (ts_node_is_null(def)) return;
  Uses uses;
  VisitOwnBody(Field(def, "body"), {"function_definition"}, [&](TSNode n) {
    if (Is(n, "variable_name")) {
      ReadPositional(n, text, uses);
    } else if (Is(n, "special_variable_name")) {
      ReadSpecial(n, text, uses);
    } else if (Is(n, "command")) {
      ReadCommand(n, text, uses);
    } else if (Is(n, "for_statement") && !HasAnonymousChild(n, "in")) {
      uses.all = true;  // `for arg; do` (and `select`) walks "$@"
    }
  });
  out.has_parameters = true;
  int expected = 1;
  for (const auto& [position, optional] : uses.positions) {
    if (position != expected) out.parameters_complete = false;  // a skipped position may be an argument
    expected = position + 1;
    Parameter p;
    p.name = std::to_string(position);
    p.optional = optional;
    out.parameters.push_back(std::move(p));
  }
  if (uses.all) {
    Parameter p;
    p.name = "@";
    p.kind = Parameter::kVariadic;
    out.parameters.push_back(std::move(p));
  }
  if (uses.shifted) out.parameters_complete = false;
  out.returns_value = Known::kUnknown;  // an exit status, not a documented value
  out.generator = Known::kNo;
  out.raises = Known::kUnknown;
}

}  // namespace scale::languages::detail
