// What a walk needs to know about the git repository around a directory, found with libgit2 (so
// worktrees, gitlinks, config includes and "~/" in paths behave as in git): its working tree and
// the repository-wide ignore files in git's order of precedence.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

namespace scale::walk {

struct RepoIgnoreSources {
  std::filesystem::path workdir;  // canonical top of the working tree
  // Lowest precedence first: core.excludesFile (default $XDG_CONFIG_HOME/git/ignore or
  // ~/.config/git/ignore), then $GIT_COMMON_DIR/info/exclude. Missing files are listed too.
  std::vector<std::filesystem::path> exclude_files;
  bool ignore_case = false;  // core.ignoreCase
};

// The repository whose working tree holds `dir` (searching upwards unless exactly_here, which
// accepts only a repository whose top is `dir` itself: a nested repository or submodule).
// nullopt outside git, for a bare repository, or when libgit2 refuses one (e.g. owned by someone
// else, as git itself would).
std::optional<RepoIgnoreSources> FindRepository(const std::filesystem::path& dir, bool exactly_here);

}  // namespace scale::walk
