// Which lines of a repository's working tree changed since a base commit, read with libgit2 (diff
// of the base's tree against the index and working tree, so staged, unstaged and untracked changes
// all count): what `scale comment --changed [REF]` maps to routines.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace scale::walk {

struct LineRange {
  int first = 0, last = 0;  // 1-based, inclusive, in the working tree's version of the file
};

struct FileChanges {
  bool whole = false;            // new to git since the base (added, untracked, type change): every line
  std::vector<LineRange> lines;  // otherwise the changed lines; a pure deletion marks the line after it
};

struct RepoChanges {
  std::filesystem::path workdir;  // canonical top of the working tree
  std::string base;               // what was diffed against, for messages: "3f2a9c1 (merge base of HEAD and origin/main)"
  std::map<std::filesystem::path, FileChanges> files;  // canonical path -> its changes (absent: unchanged)
};

// The changes in the repository around `path` since `ref`'s merge base with HEAD (like
// `git diff REF...` plus what is staged, unstaged or untracked; ignored files never count). An
// empty `ref` means the merge base with the current branch's upstream, else HEAD itself; an unborn
// HEAD (no commit yet) makes every file new. Renames are followed. Error(kExitUsage) when `path`
// is not in a git working tree or `ref` names no commit.
RepoChanges ChangesSince(const std::filesystem::path& path, const std::string& ref);

// True when `changes` has a line in [first, last].
bool Touches(const FileChanges& changes, int first, int last);

}  // namespace scale::walk
