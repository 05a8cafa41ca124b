// Where a setting's value comes from, and the one rule that picks it: the highest source that sets
// it wins, in the order flag > env > project config > profile > tune > default (Source below).
//
// Each source is a Layer (setting name -> text + origin), made by its reader: the flags by
// cli/model_options, $SCALE_<NAME> by EnvLayer, .scale.toml and profiles by settings/toml_layer.h
// and hw/profile.h, `scale hw --tune`'s stored result by hw::TunedLayer. Resolve checks every value
// against the table and records, per setting, the source and origin that won (shown with -v).
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "settings/table.h"

namespace scale::settings {

// Lowest precedence first; a higher source overrides a lower one.
enum class Source { kDefault, kTune, kProfile, kProjectConfig, kEnv, kFlag };
constexpr size_t kSources = 6;
const char* SourceName(Source s);  // "default", "tune.json", "profile", ".scale.toml", "environment", "flag"

struct Value {
  std::string text;    // as Check accepts it ("4096", "q8_0", "true")
  std::string origin;  // for messages: "--ctx-size", "$SCALE_THREADS", "profiles/gpu-8gb.toml:14", "tune.json"
};
using Layer = std::map<std::string, Value>;  // setting name -> value
using Layers = std::array<Layer, kSources>;  // indexed by Source

struct Resolved {
  Params params;                                // every table setting filled in
  std::map<std::string, Source> source;         // per setting: the source that won
  std::map<std::string, std::string> origin;    // per setting: its origin ("" for defaults)
  bool From(Source s) const;                    // some setting's value came from `s`
  // One line per setting not left at its default: "ctx_size = 384 (profile small.toml:3)".
  std::vector<std::string> Describe() const;
};

// Applies the layers to the table's defaults. Throws Error(kExitUsage) "ORIGIN: NAME must be ..."
// for an unknown name or a value the table refuses.
Resolved Resolve(const Layers& layers);

// $SCALE_<NAME> for every setting (e.g. SCALE_MODEL, SCALE_CTX_SIZE); empty variables count as unset.
Layer EnvLayer();

}  // namespace scale::settings
