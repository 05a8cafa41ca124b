// git's glob dialect (wildmatch: what .gitignore lines, --include and --exclude use) matched in
// O(pattern x text) time and O(text) memory, whatever the pattern: no backtracking, so no hang.
#pragma once

// Hand-written on purpose: git's own wildmatch (and libgit2's copy of it) backtracks, and a
// 23-byte line such as "*a*a*a*a*a*a*a*a*a*a*b" makes `git check-ignore` and libgit2's
// git_ignore_path_is_ignored run for minutes on one long file name. This matcher follows git's
// rules exactly, quirks included (see wildmatch.cc), and is checked against real git in the tests.

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace scale::walk {

enum WildFlags : unsigned {
  kWildPathname = 1,  // '*', '?' and classes never match '/'; "**" between slashes spans directories
  kWildCaseFold = 2,  // ASCII letters match either case (git's core.ignoreCase)
};

// A compiled pattern. A malformed one (unterminated class, unknown [:name:], trailing '\') matches
// nothing, as in git.
class WildPattern {
 public:
  WildPattern() = default;  // matches only the empty text
  WildPattern(std::string_view pattern, unsigned flags);
  bool Match(std::string_view text) const;

 private:
  enum class Op : uint8_t {
    kLiteral,  // one byte (text folded when kWildCaseFold)
    kOne,      // '?'
    kClass,    // [...]: classes_[index]
    kStar,     // '*' under kWildPathname: a run of non-'/' bytes
    kStarAny,  // "**" (or '*' without kWildPathname): any run of bytes
    kDirs,     // "**/" at the start or after '/': nothing, or any run of bytes ending in '/'
  };
  struct Token {
    Op op;
    unsigned char byte = 0;
    uint32_t index = 0;
  };
  void CompileClass(std::string_view p, size_t* i);

  std::vector<Token> tokens_;
  std::vector<std::array<bool, 256>> classes_;  // indexed by the raw text byte
  unsigned flags_ = 0;
  bool never_ = false;
};

// One-shot forms. GlobMatch is WildMatch with kWildPathname (paths are '/'-separated).
bool WildMatch(std::string_view pattern, std::string_view text, unsigned flags);
bool GlobMatch(std::string_view pattern, std::string_view path);

}  // namespace scale::walk
