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

// The nearest .scale.toml's [comment] table, resolved; empty when there is none.
CommentParseConfig ProjectCommentConfig();

// How to parse `path` as `language` in this project.
languages::ParseOptions ParseOptionsFor(const std::string& path, languages::Language language,
                                        const CommentParseConfig& config);

}  // namespace scale::cli
