// Kept for callers of the old names (fuzz/fuzz_gitignore.cc): the matcher now lives in walk/
// (wildmatch.h: linear-time globs; ignore_rules.h: git's .gitignore rules). New code uses those.
#pragma once

#include "walk/ignore_rules.h"
#include "walk/wildmatch.h"

namespace scale::summarize {

using walk::GlobMatch;
using GitIgnore = walk::IgnoreRules;

}  // namespace scale::summarize
