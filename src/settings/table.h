// The one table of engine settings: each row names a setting once (profile/.scale.toml key, env
// name, flag, range, help) and points at the engine::EngineParams field that holds it and its default.
//
// Adding a setting = one row in table.cc (+ the EngineParams field it maps to). Everything else
// reads the table: AddModelOptions makes the flags, settings/toml_layer.h reads [engine] of a
// profile or .scale.toml, EnvLayer reads $SCALE_<NAME>, Resolve (resolve.h) picks the winner.
// Values travel as text between the sources and the table; Check/Store turn text into the field's
// type, so an enum (KvCacheType, ChatFormat, RopeScaling) is parsed in one place.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/llama_engine.h"

namespace scale::settings {

// Commands whose flags include a setting (bit set; AddModelOptions filters on it).
enum Command : unsigned {
  kGenerate = 1u << 0,
  kComment = 1u << 1,
  kSummarize = 1u << 2,
  kEval = 1u << 3,
  kBench = 1u << 4,
  kModelCommands = kGenerate | kComment | kSummarize | kEval | kBench,
};

using Params = engine::EngineParams;
// The field a row maps to; its type decides parsing, TOML typing and help.
using Field = std::variant<int Params::*, float Params::*, bool Params::*, std::string Params::*,
                           engine::KvCacheType Params::*, engine::ChatFormat Params::*, engine::RopeScaling Params::*>;

struct Setting {
  const char* name;   // "ctx_size": the [engine] key of profiles and .scale.toml, $SCALE_CTX_SIZE
  const char* flag;   // CLI11 spelling, "-c,--ctx-size"
  Field field;        // where the value lives; EngineParams{} holds the default
  double min, max;    // allowed range for numbers (ignored otherwise)
  const char* help;   // --help text
  unsigned commands;  // Command bits
  bool tunable;       // `scale hw --tune` may store it (see hw/tune.h)
};

// Every setting, in --help order. Names and flags are unique (settings/table_test.cc).
const std::vector<Setting>& Table();
const Setting* Find(std::string_view name);  // nullptr for an unknown name

std::string LongFlag(const Setting& s);  // "--ctx-size"
std::string EnvName(const Setting& s);   // "SCALE_CTX_SIZE"

// What the text must be, when it is not acceptable: "must be an integer", "is out of range [1, 256]",
// `must be "f16", "q8_0" or "q4_0"`; "" when `text` is a valid value for `s`.
std::string Check(const Setting& s, const std::string& text);
// Stores checked text into the row's field of `p` (unchecked text: Error(kExitUsage)).
void Store(const Setting& s, const std::string& text, Params* p);
// The field's value in `p` as text that Check accepts (Show(s, Params{}) is the default).
std::string Show(const Setting& s, const Params& p);

enum class Type { kInt, kNumber, kBool, kText, kChoice };
Type TypeOf(const Setting& s);
std::vector<std::string> Choices(const Setting& s);  // the spellings of an enum row, else empty

}  // namespace scale::settings
