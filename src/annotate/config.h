// The prompts `scale comment` sends, loaded from a scale-cfg directory: comment.txt (system
// prompt), summary.txt (whole-file summary prompt) and one style template per language
// (python.txt, c.txt, javascript.txt). Nothing about comment style lives in the C++ code. A
// template's worked examples start at its first line beginning "EXAMPLE"; when a model's context
// is too small for the whole template, only the text before that line (the rules) is sent.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "languages/language.h"

namespace scale::annotate {

struct Prompts {
  std::filesystem::path dir;
  std::string system;   // comment.txt
  std::string summary;  // summary.txt
  std::map<languages::Language, std::string> templates;  // <language name>.txt
  const std::string& Template(languages::Language language) const;  // throws if not loaded
};

// Where scale-cfg lives: `flag` (--config) when given, which must be a directory; else the first
// existing of $SCALE_CONFIG, SCALE_SOURCE_DIR/scale-cfg, <exe>/../share/scale/scale-cfg,
// /usr/local/share/scale/scale-cfg, /usr/share/scale/scale-cfg. Throws Error(kExitUsage).
std::filesystem::path FindConfigDir(const std::string& flag);

// Reads comment.txt, summary.txt and the templates of `languages`. A missing or empty file is a
// configuration error: Error(kExitUsage) naming the file.
Prompts LoadPrompts(const std::filesystem::path& dir, const std::vector<languages::Language>& languages);

// A project's templates folder (.scale.toml [comment] templates) over the prompts of `base`: each
// of comment.txt, summary.txt and <language>.txt that `dir` has replaces base's, so a project can
// restyle one language without copying the rest. Same errors as LoadPrompts for the files it has.
Prompts LoadPromptsOver(const Prompts& base, const std::filesystem::path& dir,
                        const std::vector<languages::Language>& languages);

}  // namespace scale::annotate
