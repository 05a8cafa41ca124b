// Golden facts of Bash routines (facts/bash.cc): each line is every fact of one routine.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "languages/language.h"

namespace scale::languages {
namespace {

const Routine& Named(const ParsedFile& file, std::string_view name) {
  for (const Routine& r : file.routines) {
    if (r.qualified_name == name) return r;
  }
  ADD_FAILURE() << "no routine named " << name;
  static const Routine none;
  return none;
}

std::string KnownText(Known k) { return k == Known::kYes ? "yes" : k == Known::kNo ? "no" : "unknown"; }

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : " ") + n;
  return out;
}

// Every fact on one line, so a test asserts all of them at once: parameters as `*rest` (variadic),
// `x=` (optional), `{a b}` (destructured), `p{x}` (named, with the names its pattern binds).
std::string Facts(const ParsedFile& file, std::string_view name) {
  const RoutineFacts& f = Named(file, name).facts;
  std::vector<std::string> params;
  for (const Parameter& p : f.parameters) {
    std::string s = p.kind == Parameter::kVariadic ? "*" : "";
    s += p.name;
    if (p.name.empty() || !p.members.empty()) s += "{" + Joined(p.members) + "}";
    if (p.optional) s += "=";
    params.push_back(s);
  }
  std::string out = f.has_parameters ? "params(" + Joined(params) + ")" : "no-params";
  if (!f.parameters_complete) out += " incomplete";
  if (!f.receivers.empty()) out += " recv(" + Joined(f.receivers) + ")";
  if (!f.type_parameters.empty()) out += " tparams(" + Joined(f.type_parameters) + ")";
  out += " returns=" + KnownText(f.returns_value);
  if (!f.return_type.empty()) out += " type=`" + f.return_type + "`";
  out += " gen=" + KnownText(f.generator) + " raises=" + KnownText(f.raises);
  if (!f.raised.empty()) out += " raised(" + Joined(f.raised) + ")";
  if (f.returns_result != Known::kUnknown) out += " result=" + KnownText(f.returns_result);
  if (f.async) out += " async";
  if (f.constructor) out += " ctor";
  return out;
}

ParsedFile ParseBash(std::string text) { return Parse(LanguageNamed("bash"), std::move(text)); }

TEST(BashFacts, PositionalUses) {
  ParsedFile file = ParseBash(R"sh(#!/usr/bin/env bash
set -euo pipefail

# Copies a file.
copy() {
  local src=$1 dest="${2:-/tmp}"
  cp "$src" "$dest/${3}" && echo "copied $1"
  if [[ -n ${4-} ]]; then
    chmod "$4" "$dest"
  fi
  cat <<EOF >"$dest.log"
from $1 at ${5}
EOF
  cat <<'RAW'
literal $6
RAW
  echo '$7' $'$8'
  echo "$(basename "$1")" $(( $1 + 1 ))
}

function die {
  echo "error: $*" >&2
  exit 1
}

function run_all() (
  for cmd in "$@"; do "$cmd"; done
)

tenth() { echo "${10}" $10 ${#1} "$0" "${99999999999}"; }

each() {
  for arg; do echo "$arg"; done
}

outer() {
  inner() { echo "$2" "$@"; shift; }
  inner "$1"
}

noargs() { echo hi; }
)sh");
  EXPECT_EQ(Facts(file, "copy"), "params(1 2= 3 4= 5) returns=unknown gen=no raises=unknown");
  EXPECT_EQ(Facts(file, "die"), "params(*@) returns=unknown gen=no raises=unknown");
  EXPECT_EQ(Facts(file, "run_all"), "params(*@) returns=unknown gen=no raises=unknown");
  // `$10` is `${1}0`; `${10}` the tenth argument; $0 the script; no function takes 99999999999. 2..9
  // skipped: maybe arguments too.
  EXPECT_EQ(Facts(file, "tenth"), "params(1 10) incomplete returns=unknown gen=no raises=unknown");
  EXPECT_EQ(Facts(file, "each"), "params(*@) returns=unknown gen=no raises=unknown");
  // inner's $2, "$@" and shift are its own.
  EXPECT_EQ(Facts(file, "outer"), "params(1) returns=unknown gen=no raises=unknown");
  EXPECT_EQ(Facts(file, "outer.inner"), "params(2 *@) incomplete returns=unknown gen=no raises=unknown");
  EXPECT_EQ(Facts(file, "noargs"), "params() returns=unknown gen=no raises=unknown");
}

TEST(BashFacts, ShiftedOrCountedArguments) {
  ParsedFile file = ParseBash(
      "usage() {\n"
      "\tif [ $# -lt 2 ]; then return 1; fi\n"
      "\techo \"$1\"\n"
      "}\n"
      "\n"
      "parse() {\n"
      "\tlocal name=$1\n"
      "\tshift\n"
      "\tprintf '%s\\n' \"$name\" \"$@\"\n"
      "}\n"
      "\n"
      "opts() {\n"
      "\twhile getopts 'v:' flag; do :; done\n"
      "}\n"
      "\n"
      "reset_args() {\n"
      "\tset -- a b\n"
      "\techo \"$1\"\n"
      "}\n"
      "\n"
      "strict() {\n"
      "\tset -e\n"
      "\techo \"${1:?missing}\"\n"
      "}\n"
      "\n"
      "counted() {\r\n"
      "\techo \"${#@}\" \"${@:2}\"\r\n"
      "}\r\n"
      "\r\n"
      "quiet() { builtin shift 2; }\n");
  EXPECT_EQ(Facts(file, "usage"), "params(1) incomplete returns=unknown gen=no raises=unknown");
  EXPECT_EQ(Facts(file, "parse"), "params(1 *@) incomplete returns=unknown gen=no raises=unknown");
  EXPECT_EQ(Facts(file, "opts"), "params() incomplete returns=unknown gen=no raises=unknown");
  EXPECT_EQ(Facts(file, "reset_args"), "params(1) incomplete returns=unknown gen=no raises=unknown");
  // `set -e` changes options, not the arguments; `${1:?}` insists on the argument.
  EXPECT_EQ(Facts(file, "strict"), "params(1) returns=unknown gen=no raises=unknown");
  EXPECT_EQ(Facts(file, "counted"), "params(*@) incomplete returns=unknown gen=no raises=unknown");
  EXPECT_EQ(Facts(file, "quiet"), "params() incomplete returns=unknown gen=no raises=unknown");
}

}  // namespace
}  // namespace scale::languages
