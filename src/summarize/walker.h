// Finds the files `scale summarize` should read: walks directories in name order (so output is
// deterministic), honours .gitignore files (nested ones too), --include/--exclude globs, and
// skips what is not worth summarising: .git, binaries (NUL bytes or not UTF-8), vendored trees
// (vendor/, third_party/, node_modules/), generated files (minified, lock files, "DO NOT EDIT" /
// "@generated" markers near the top), empty and oversized files. Symlinks are not followed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace scale::summarize {

struct WalkOptions {
  std::vector<std::string> include;  // globs; a file must match one (if any given)
  std::vector<std::string> exclude;  // globs; matching files and directories are skipped
  uint64_t max_file_bytes = 1 << 20;
};

struct WalkedFile {
  std::string rel;  // '/'-separated path below the root
  std::string text;
};

struct SkippedFile {
  std::string rel;
  std::string reason;  // "binary", "not UTF-8", "vendored", "generated", "empty", "too large"
};

struct WalkResult {
  std::filesystem::path root;  // the directory every rel is relative to
  std::vector<WalkedFile> files;
  std::vector<SkippedFile> skipped;  // files seen but not summarised (ignored ones are not listed)
};

// Walks `paths` (directories or files). One directory: it is the root. Several paths or a file:
// the root is their deepest common directory and only the given paths are walked. Throws
// Error(kExitInput) for a path that does not exist.
WalkResult Walk(const std::vector<std::filesystem::path>& paths, const WalkOptions& options);

// The individual checks, exposed for tests. `rel` is the path below the root.
bool IsVendoredDir(std::string_view name);
// "" when the file should be summarised, else the reason it is skipped.
std::string SkipReason(const std::string& rel, std::string_view content);
// A glob from --include/--exclude: without '/', it matches the basename; with, the whole path.
bool MatchesUserGlob(const std::string& glob, const std::string& rel);

}  // namespace scale::summarize
