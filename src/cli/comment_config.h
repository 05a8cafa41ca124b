// The [comment] table of .scale.toml (settings/toml_layer.h) turned into parse options: the
// project's macro list and its pinned doc styles, checked against the registered languages.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "languages/language.h"
#include "settings/toml_layer.h"

namespace scale::cli {

struct CommentParseConfig {
  std::vector<std::string> macros;
  std::map<languages::Language, languages::DocStyle> styles;  // origin "project"
};

// Error(kExitUsage) "FILE:LINE: ..." for an unknown language, a macro that is not an identifier
// or a style the language cannot use (languages::DocStyleProblem).
CommentParseConfig ResolveCommentConfig(const settings::CommentConfig& config);

// The [comment] table of the current directory's config (settings/toml_layer.h), resolved; empty
// when there is none. ProjectCommentConfigFor: of the config that governs the file `path`.
CommentParseConfig ProjectCommentConfig();
CommentParseConfig ProjectCommentConfigFor(const std::string& path);

// How to parse `path` as `language` in this project.
languages::ParseOptions ParseOptionsFor(const std::string& path, languages::Language language,
                                        const CommentParseConfig& config);

}  // namespace scale::cli
