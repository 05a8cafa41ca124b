// .gitignore rules for the repository walker: the usual subset of git's semantics — globs (*, ?,
// [a-z], **), negation (!), directory-only patterns (dir/), anchored patterns (/x or a/b), and
// nested .gitignore files that apply below their own directory. Paths are '/'-separated and
// relative to the walk root. Last matching rule wins, deeper files after shallower ones.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace scale::summarize {

// Glob match with git's path rules: '*' and '?' never match '/', "**/" matches any number of
// directories, a trailing "/**" everything below, [...] a character class ([!..] negated).
bool GlobMatch(std::string_view pattern, std::string_view path);

class GitIgnore {
 public:
  // Adds the rules of the .gitignore in directory `dir` ("" for the root), in file order.
  void AddFile(const std::string& dir, std::string_view content);

  // Whether `path` (a file, or a directory when is_dir) is ignored. The walker does not descend
  // into ignored directories, so (like git) a file cannot be re-included below one.
  bool Ignored(const std::string& path, bool is_dir) const;

 private:
  struct Rule {
    std::string base;     // directory of the .gitignore ("" = root), no trailing '/'
    std::string pattern;  // without '!', leading '/' and trailing '/'
    bool negate = false;
    bool dir_only = false;
    bool anchored = false;  // matched against the path below base, else against the basename
  };
  std::vector<Rule> rules_;
};

}  // namespace scale::summarize
