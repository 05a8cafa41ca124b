// The one directory walk behind `scale summarize` and `scale comment DIR`: deterministic (names in
// byte order, depth first), git's ignore rules (tree_ignore.h), no vendored, generated or minified
// files (skip_rules.h), never through a symlink, never into a loop, never a FIFO/device/socket.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace scale::walk {

struct Options {
  std::vector<std::string> include;  // globs (MatchesUserGlob); a file must match one, if any given
  std::vector<std::string> exclude;  // globs; matching files and directories are left out
  uint64_t max_file_bytes = 1 << 20;
  // true: each file is read whole and empty, binary, non-UTF-8 and too large ones are skipped
  // (summarize). false: only the head is read, to spot generated/minified files; the caller reads
  // and judges the rest itself (comment reports such files instead of hiding them).
  bool read_contents = true;
  bool skip_hidden = false;  // also leave out every name starting with '.' (".git" always is)
  std::function<bool(std::string_view name)> skip_dir;       // more directory names never entered
  std::function<bool(const std::string& rel)> want_file;     // files the caller can use at all
};

struct File {
  std::string rel;   // '/'-separated path below the root
  std::string text;  // the content (empty unless read_contents)
};

struct Skipped {
  std::string rel;
  // "vendored", "generated", "minified", "symlink", "not a regular file", "directory loop",
  // "unreadable", and with read_contents "empty", "binary", "not UTF-8", "too large".
  std::string reason;
};

struct Result {
  std::filesystem::path root;  // the directory every rel is relative to
  std::vector<File> files;
  std::vector<Skipped> skipped;  // seen but left out (ignored and excluded paths are not listed)
};

// Walks `paths` (directories or files). One directory: it is the root. Several paths or a file:
// the root is their deepest common directory and only the given paths are walked; a named file
// is left out only when the ignore rules, globs or skip rules say so for the file itself.
// Throws Error(kExitInput) for a path that does not exist or is neither a regular file nor a
// directory, Error(kExitUsage) for no paths.
Result Walk(const std::vector<std::filesystem::path>& paths, const Options& options);

// An --include/--exclude glob: without '/', it matches the basename; with, the whole path (and a
// directory glob everything below it).
bool MatchesUserGlob(const std::string& glob, const std::string& rel);

}  // namespace scale::walk
