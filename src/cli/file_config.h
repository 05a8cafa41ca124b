// Each input file's project settings: its nearest config (settings::ConfigFinder, .scale.toml or
// pyproject.toml [tool.scale]) with the [comment] table resolved once per config file.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "annotate/pipeline.h"
#include "cli/comment_config.h"
#include "settings/toml_layer.h"
#include "walk/ignore_rules.h"

namespace scale::cli {

struct FileConfig {
  std::shared_ptr<const settings::ProjectConfig> config;  // null: no config governs the file
  CommentParseConfig parse;                               // macros and pinned styles
  std::optional<annotate::ExistingMode> existing;         // [comment] existing
  std::filesystem::path templates;                        // [comment] templates ("" = not set)
  walk::IgnoreRules include, exclude;                     // [comment] include / exclude
};

// "own" -> kOwn, "update" -> kUpdate, "keep" -> kKeep (values checked by the caller).
annotate::ExistingMode ParseExisting(const std::string& text);

class ProjectFiles {
 public:
  // The settings for `file` (relative to the current directory or absolute). Error(kExitUsage)
  // "FILE:LINE: ..." for a config that cannot be read or resolved (a templates folder that does
  // not exist, a style the language cannot use).
  const FileConfig& For(const std::filesystem::path& file);
  const FileConfig& ForFolder(const std::filesystem::path& dir);  // for the files in `dir`
  // Why the file's config leaves it out: "excluded by FILE:LINE (comment.exclude)" or "not in
  // FILE:LINE (comment.include)"; nullopt when it is in. `include` narrows only what a directory
  // walk found (walked); `exclude` applies to those and, with `force` (--force-exclude) or the
  // config's force_exclude, to files named explicitly too.
  std::optional<std::string> LeftOut(const std::filesystem::path& file, bool walked, bool force);
  // The config of the current directory: where a run's run-level settings come from.
  std::shared_ptr<const settings::ProjectConfig> Current();
  // Every config For has used so far (null for files that have none), in path order.
  std::vector<std::shared_ptr<const settings::ProjectConfig>> Seen() const;

 private:
  const FileConfig& Resolved(std::shared_ptr<const settings::ProjectConfig> config);

  settings::ConfigFinder finder_;
  std::map<std::string, FileConfig> by_config_;  // by config path ("" = none)
};

}  // namespace scale::cli
