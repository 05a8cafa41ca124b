// Settings from TOML files: the [engine] table of a profile (hw/profile.h) or of the project's
// .scale.toml, read against the settings table, with "FILE:LINE: ..." for every problem.
//
//   # .scale.toml, found in the current directory or the nearest parent that has one
//   [engine]
//   ctx_size = 8192          # any setting of settings/table.cc, by name
//   cache_type = "q8_0"
//   [lora]                   # per-language adapters (settings/lora_config.h)
//   python = "adapters/python.gguf"
//   [comment]                # how `scale comment` reads and writes code (docs/languages.md)
//   macros = ["LUA_API", "ZEXPORT"]   # C/C++ identifiers that are macros in declarations
//   [comment.style.c]        # pins the doc style instead of learning it from each file
//   open = "/*"
//   gutter = "** "
//   close = "*/"
//   width = 100
//   [[backend]]              # remote servers instead of the in-process engine (settings/backends.h)
//   url = "http://gpu-box:8080"
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "settings/backends.h"
#include "settings/lora_config.h"
#include "settings/resolve.h"

namespace scale::settings {

// "FILE:LINE" of a node, the prefix of every message about it.
std::string Where(const std::string& file, const toml::node& node);

// Parses a TOML file (at most 1 MiB). Error(kExitUsage) "FILE:LINE: ..." for a syntax error,
// Error(kExitInput) when unreadable.
toml::table ReadToml(const std::string& file);

// An [engine] table as a Layer (origin "FILE:LINE"). Error(kExitUsage) "FILE:LINE: ..." for an
// unknown key (listing the known ones), a wrong TOML type or a value the table refuses. A relative
// model path is relative to the file.
Layer ReadEngineTable(const toml::table& engine, const std::string& file);

// A [comment.style.<language>] table as written; the language and the values are checked by the
// command that uses them (settings knows no languages). Unset keys are empty / 0.
struct StylePin {
  std::string where;   // "FILE:LINE" of the table
  std::string prefix;  // line comments: "/// ", "# " (set: the style is line comments)
  std::string open, gutter, close;  // block comments
  int width = 0;
  std::string sections;  // Python: google, numpy, sphinx
};

struct CommentConfig {
  std::vector<std::string> macros;            // [comment] macros
  std::string macros_where;                   // "FILE:LINE" of that key
  std::map<std::string, StylePin> styles;     // [comment.style.<language>], by the name as written
};

struct ProjectConfig {
  std::string path;       // the .scale.toml read
  Layer engine;           // its [engine] table
  LoraByLanguage loras;   // its [lora] table
  CommentConfig comment;  // its [comment] table
  RemoteConfig remote;    // its [[backend]] tables and [remote] table (settings/backends.h)
};

// Reads one project config; only [engine], [lora], [comment], [[backend]] and [remote] are
// allowed at the top.
ProjectConfig LoadProjectConfig(const std::string& file);
// The nearest .scale.toml in `start` or its parents (nullopt when there is none).
std::optional<ProjectConfig> FindProjectConfig(const std::filesystem::path& start);

}  // namespace scale::settings
