// The files `scale summarize` reads: the shared walk (walk/walker.h) with summarize's choices:
// every file is read, and empty, binary, non-UTF-8, oversized, vendored, generated and minified
// ones are skipped; hidden directories other than .git are entered. Symlinks are not followed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "walk/skip_rules.h"
#include "walk/walker.h"

namespace scale::summarize {

struct WalkOptions {
  std::vector<std::string> include;  // globs; a file must match one (if any given)
  std::vector<std::string> exclude;  // globs; matching files and directories are skipped
  uint64_t max_file_bytes = 1 << 20;
};

using WalkedFile = walk::File;
using SkippedFile = walk::Skipped;
using WalkResult = walk::Result;

// Walks `paths` (directories or files); see walk::Walk for the root and the errors it throws.
WalkResult Walk(const std::vector<std::filesystem::path>& paths, const WalkOptions& options);

using walk::IsVendoredDir;
using walk::MatchesUserGlob;
using walk::SkipReason;

}  // namespace scale::summarize
