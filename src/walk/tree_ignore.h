// Which paths below a walk root git would ignore. Inside a git repository: the repository's rules
// (core.excludesFile, info/exclude, every .gitignore from the top of the working tree down, a
// nested repository or submodule with its own); outside git: the .gitignore files from the root
// down. The root itself is never ignored: it is what the user asked for.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "walk/ignore_rules.h"

namespace scale::walk {

class TreeIgnore {
 public:
  // `root`: absolute and canonical.
  explicit TreeIgnore(const std::filesystem::path& root);

  // The walk enters directory `rel` ('/'-separated below the root, "" = the root), open as
  // `dir`: its .gitignore applies below it until the matching Leave().
  void Enter(const std::string& rel, int dir);
  void Leave();

  // `rel` is below the directory entered last (or is it, for a directory about to be entered).
  bool Ignored(const std::string& rel, bool is_dir) const;

  bool in_git() const { return contexts_.front().git; }

 private:
  struct Context {
    IgnoreRules rules;
    std::string walk_top;  // where this repository starts, relative to the root ("" = at or above it)
    std::string prefix;    // the root's path in the repository, with a trailing '/', when above it
    bool git = false;
  };
  struct Frame {
    size_t rules_before = 0;
    bool pushed_context = false;
  };
  static Context OpenContext(const std::filesystem::path& dir, bool exactly_here, const std::string& walk_top,
                             const std::filesystem::path& root);
  std::string RepoPath(const Context& c, const std::string& rel) const;

  std::filesystem::path root_;
  std::vector<Context> contexts_;
  std::vector<Frame> frames_;
};

}  // namespace scale::walk
