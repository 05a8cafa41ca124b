// Golden facts of Bash routines (facts/bash.cc): each line is every fact of one routine.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "languages/facts/facts_test_util.h"
#include "languages/language.h"

namespace scale::languages {
namespace {

using facts_test::Facts;

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
  EXPECT_EQ(Facts(file, "copy"), "(1, 2?, 3, 4?, 5) returns=? gen=no raises=?");
  EXPECT_EQ(Facts(file, "die"), "(*@) returns=? gen=no raises=?");
  EXPECT_EQ(Facts(file, "run_all"), "(*@) returns=? gen=no raises=?");
  // `$10` is `${1}0`; `${10}` the tenth argument; $0 the script; no function takes 99999999999. 2..9
  // skipped: maybe arguments too.
  EXPECT_EQ(Facts(file, "tenth"), "(1, 10) incomplete returns=? gen=no raises=?");
  EXPECT_EQ(Facts(file, "each"), "(*@) returns=? gen=no raises=?");
  // inner's $2, "$@" and shift are its own.
  EXPECT_EQ(Facts(file, "outer"), "(1) returns=? gen=no raises=?");
  EXPECT_EQ(Facts(file, "outer.inner"), "(2, *@) incomplete returns=? gen=no raises=?");
  EXPECT_EQ(Facts(file, "noargs"), "() returns=? gen=no raises=?");
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
  EXPECT_EQ(Facts(file, "usage"), "(1) incomplete returns=? gen=no raises=?");
  EXPECT_EQ(Facts(file, "parse"), "(1, *@) incomplete returns=? gen=no raises=?");
  EXPECT_EQ(Facts(file, "opts"), "() incomplete returns=? gen=no raises=?");
  EXPECT_EQ(Facts(file, "reset_args"), "(1) incomplete returns=? gen=no raises=?");
  // `set -e` changes options, not the arguments; `${1:?}` insists on the argument.
  EXPECT_EQ(Facts(file, "strict"), "(1) returns=? gen=no raises=?");
  EXPECT_EQ(Facts(file, "counted"), "(*@) incomplete returns=? gen=no raises=?");
  EXPECT_EQ(Facts(file, "quiet"), "() incomplete returns=? gen=no raises=?");
}

}  // namespace
}  // namespace scale::languages
