// Settings from TOML files: the [engine] table of a profile (hw/profile.h) or of a project config,
// read against the settings table, with "FILE:LINE: ..." for every problem (unknown keys listed).
//
// A project config is `.scale.toml`, or the [tool.scale] table of a `pyproject.toml` (the same
// schema one level down: [tool.scale.engine], [tool.scale.comment], ...). The one that governs a
// file is the nearest found upward from the file's folder: in each folder `.scale.toml` first,
// then a `pyproject.toml` that has [tool.scale] (one without it is passed over). Files are never
// merged: the nearest wins whole, as in ruff. docs/configuration.md is the user's guide.
//
//   profile = "cpu-2core-8gb"  # as --profile (run-level: read from the current directory's config)
//   [engine]                   # any setting of settings/table.cc, by name (run-level)
//   ctx_size = 8192
//   parallel = 4               # as --parallel
//   [lora]                     # per-language adapters (settings/lora_config.h; run-level)
//   python = "adapters/python.gguf"
//   [comment]                  # how `scale comment` reads and writes each file (per file)
//   existing = "own"           # own | update | keep, as --existing
//   include = ["src/"]         # gitignore-style globs relative to this file: what a walk picks
//   exclude = ["legacy/", "*_old.py"]   # what a walk never picks
//   force_exclude = true       # and files named explicitly too (as --force-exclude)
//   templates = "scale-templates"       # folder overriding comment.txt, summary.txt, <language>.txt
//   macros = ["LUA_API", "ZEXPORT"]     # C/C++ identifiers that are macros in declarations
//   [comment.style.c]          # pins the doc style instead of learning it from each file
//   preset = "doxygen"         # c/cpp: doxygen | plain; python: google | numpy | sphinx
//   width = 100                # and open, gutter, close, prefix, sections
//   [[backend]]                # remote servers instead of the in-process engine (settings/backends.h)
//   url = "http://gpu-box:8080"
#pragma once

#include <filesystem>
#include <map>
#include <memory>
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
// model path is relative to the file. `prefix` goes before the key names in messages ("tool.scale.").
Layer ReadEngineTable(const toml::table& engine, const std::string& file, const std::string& prefix = "");

// A [comment.style.<language>] table as written; the language and the values are checked by the
// command that uses them (settings knows no languages). Unset keys are empty / 0.
struct StylePin {
  std::string where;   // "FILE:LINE" of the table
  std::string prefix;  // line comments: "/// ", "# " (set: the style is line comments)
  std::string open, gutter, close;  // block comments
  int width = 0;
  std::string sections;  // Python: google, numpy, sphinx
  std::string preset;    // a named style: doxygen, plain (C, C++); google, numpy, sphinx (Python)
};

// What `--existing` may say, and [comment] existing too.
inline constexpr const char* kExistingPolicies[] = {"own", "update", "keep"};

struct CommentConfig {
  std::string prefix;                         // before key names in messages: "" or "tool.scale."
  std::vector<std::string> macros;            // [comment] macros
  std::string macros_where;                   // "FILE:LINE" of that key
  std::map<std::string, StylePin> styles;     // [comment.style.<language>], by the name as written
  std::string existing, existing_where;       // own | update | keep; "" when not set
  // gitignore-style globs, as written (relative to the config's folder); each "!" negates.
  std::vector<std::string> include, exclude;
  std::string include_where, exclude_where;
  bool force_exclude = false;                 // exclude applies to files named explicitly too
  std::string templates, templates_where;     // a folder, made absolute (relative to the file)
};

struct ProjectConfig {
  std::string path;       // the .scale.toml or pyproject.toml read
  std::string table;      // where its settings are: "" (.scale.toml) or "tool.scale" (pyproject.toml)
  std::string profile, profile_where;  // `profile = NAME|FILE.toml` (a path made absolute)
  Layer engine;           // its [engine] table
  LoraByLanguage loras;   // its [lora] table
  CommentConfig comment;  // its [comment] table
  RemoteConfig remote;    // its [[backend]] tables and [remote] table (settings/backends.h)

  std::filesystem::path dir() const { return std::filesystem::path(path).parent_path(); }
  // Sets something only a whole run can use (model, engine, adapters, backends, profile).
  bool HasRunSettings() const;
};

// Reads one project config: a pyproject.toml's [tool.scale] table (nullopt when it has none), any
// other file as a .scale.toml. Only `profile` and the [engine], [lora], [comment], [[backend]] and
// [remote] tables are allowed at the top. Error(kExitUsage) "FILE:LINE: ..." for any problem.
std::optional<ProjectConfig> ReadProjectConfig(const std::string& file);
// The same for a file that must hold a config (Error(kExitUsage) when a pyproject.toml has none).
ProjectConfig LoadProjectConfig(const std::string& file);

// The config a folder holds itself: its .scale.toml, else its pyproject.toml with [tool.scale].
std::optional<ProjectConfig> ConfigInFolder(const std::filesystem::path& dir);

// The nearest config for many files: each folder is looked at and each config read once.
class ConfigFinder {
 public:
  // The config governing files in `dir` (relative to the current directory, or absolute); null
  // when no folder from `dir` up to the root holds one.
  std::shared_ptr<const ProjectConfig> ForFolder(const std::filesystem::path& dir);
  // The config governing `file`: ForFolder of its folder.
  std::shared_ptr<const ProjectConfig> ForFile(const std::filesystem::path& file);

 private:
  std::map<std::filesystem::path, std::shared_ptr<const ProjectConfig>> by_folder_;
};

// The nearest config from `start` upward (nullopt when there is none).
std::optional<ProjectConfig> FindProjectConfig(const std::filesystem::path& start);

}  // namespace scale::settings
