// What a routine's own code says about it, read from the parse tree: the parameters its signature
// declares and what its body visibly does (returns a value, yields, throws). scale checks comments
// against these facts (consistency/); Parse fills Routine::facts through each language's hook.
#pragma once

#include <string>
#include <vector>

namespace scale::languages {

// Three-valued: a fact is only used by a rule when it is known. kUnknown whenever the code does not
// show it (an abstract method, a prototype without a return type, a body that only raises
// NotImplementedError, a call that may throw).
enum class Known { kUnknown, kNo, kYes };

struct Parameter {
  enum Kind {
    kPlain,
    kVariadic,  // *args, ...rest, params T[] x, C and Lua `...`, Bash "$@"
    kKeywords,  // Python **kwargs, Ruby **opts: collectors of keyword arguments
    kBlock,     // Ruby &block
  };
  // As a doc names it, without sigils: "args" for *args, "rest" for ...rest, "x" for PHP $x, "1" for
  // Bash $1, "..." for C/Lua varargs. Empty for a destructured parameter (see members).
  std::string name;
  Kind kind = kPlain;
  bool optional = false;  // has a default value (or TS/Lua `?`, Ruby `x = 1`, `key: 1`)
  // Destructured parameters (JS/TS `{a, b: c}`, `[x, y]`, Python 2 tuples): the names bound, in
  // order ("a", "c"). A doc may name the whole parameter anything and its members as "root.a".
  std::vector<std::string> members;
};

struct RoutineFacts {
  // The routine takes a parameter list and it was read: parameter rules apply. False for classes,
  // structs, enums, typedefs (their docs describe members, not arguments) and when it was not read.
  bool has_parameters = false;
  // False when `parameters` may miss some (Bash with `shift`, a C macro parameter list): a
  // documented name that is not listed is then not reported as unknown.
  bool parameters_complete = true;
  std::vector<Parameter> parameters;  // in signature order; receivers (self, cls, this, a Go
                                      // receiver, Lua's implicit self) and C's `(void)` are not listed
  std::vector<std::string> receivers;  // the receivers' names as written ("self", "cls"): never
                                       // documented as parameters
  std::vector<std::string> type_parameters;  // generics / templates: <T, U> -> "T", "U"

  Known returns_value = Known::kUnknown;  // kYes: a declared non-void result or `return <expr>`;
                                          // kNo: declared void/None/unit or a visible body without one
  Known generator = Known::kUnknown;      // yields (Python/JS generators, Ruby `yield` to a block)
  Known raises = Known::kUnknown;         // kYes: throw/raise in its own body or a `throws` clause;
                                          // kNo: a visible body with neither (calls may still throw:
                                          // rules only use kNo when the doc names nothing raised by them)
  std::vector<std::string> raised;        // what is thrown by name where visible ("ValueError",
                                          // "IOException", "std::out_of_range"), in order, unique
  Known returns_result = Known::kUnknown;  // Rust: returns a Result (so `# Errors` applies)
  bool async = false;
  bool constructor = false;                // __init__, constructors, Ruby initialize, PHP __construct
  std::string return_type;                 // as declared ("" when none is written)
};

}  // namespace scale::languages
