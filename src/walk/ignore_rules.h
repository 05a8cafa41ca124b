// The rules of .gitignore-style files (a .gitignore, .git/info/exclude, core.excludesFile) and
// which of them decides a path, with git's exact semantics (dir.c): BOM, comments, trailing
// spaces, '\' escapes, '!' negation, dir/ only, anchoring by a slash, last match wins.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "walk/wildmatch.h"

namespace scale::walk {

class IgnoreRules {
 public:
  enum class Verdict { kNone, kIgnored, kIncluded };  // kIncluded: a '!' rule matched last

  explicit IgnoreRules(bool ignore_case = false) : ignore_case_(ignore_case) {}

  // Adds the rules of a file whose patterns are relative to directory `dir` ("" = the top), in
  // file order. Rules added later take precedence (add global excludes, info/exclude, then the
  // .gitignore files from the top down).
  void AddFile(std::string_view dir, std::string_view content);

  // The last rule that matches `path` ('/'-separated, relative to the top; a directory when
  // is_dir) decides. A rule only applies below its own directory. Parent directories are not
  // consulted: the walker never descends into an ignored one.
  Verdict Check(std::string_view path, bool is_dir) const;
  bool Ignored(std::string_view path, bool is_dir) const { return Check(path, is_dir) == Verdict::kIgnored; }

  // For a walker leaving a directory: drop the rules added since size() was n.
  size_t size() const { return rules_.size(); }
  void Truncate(size_t n) { rules_.resize(n); }

 private:
  struct Rule {
    std::string base;      // directory of the file, with a trailing '/' ("" = the top)
    std::string pattern;   // without '!', trailing '/' and (for path rules) the leading '/'
    size_t literal = 0;    // leading bytes without wildcards, compared as is (git's nowildcardlen)
    bool negative = false;
    bool dir_only = false;
    bool basename = false;  // no '/' in the pattern: matched against the last component
    bool ends_with = false;  // "*literal": a suffix test
    WildPattern glob;        // basename rules: the whole pattern; path rules: after `literal`
  };
  bool Matches(const Rule& rule, std::string_view path) const;
  bool Equal(std::string_view a, std::string_view b) const;

  std::vector<Rule> rules_;
  bool ignore_case_;
};

}  // namespace scale::walk
