// libFuzzer target: the ignore matcher of the walker (walk/wildmatch.h, walk/ignore_rules.h: git's
// glob dialect and .gitignore rules) and the walker's skip rules (walk/skip_rules.h), with arbitrary
// rules, paths and file heads.
//
// Input layout:
//   ROOT_RULES "\n=====\n" PATHS [ "\n=====\n" RULES_OF_DIR_a [ "\n=====\n" FILE_HEAD ] ]
// PATHS: one '/'-separated relative path per line; a trailing '/' means a directory. The first
// byte of ROOT_RULES also picks core.ignoreCase (odd: on) for the IgnoreRules.
//
// Invariants: no crash; no hang (libFuzzer -timeout: the matcher is O(pattern x text), so one slow
// input is a bug, issue 11 item 10); for patterns made only of [A-Za-z0-9._/-*?] (no "**", no
// classes, no escapes) GlobMatch agrees with POSIX fnmatch(FNM_PATHNAME) and WildMatch without
// flags with fnmatch(0), which implement those rules exactly; a compiled WildPattern agrees with
// the one-shot WildMatch; Ignored() == (Check() == kIgnored); ContentSkipReason accepts only
// well-formed UTF-8.
#include <fnmatch.h>

#include <string>
#include <vector>

#include "fuzz_util.h"
#include "util/error.h"
#include "walk/ignore_rules.h"
#include "walk/skip_rules.h"
#include "walk/wildmatch.h"

namespace {

bool SimplePattern(const std::string& p) {
  if (p.find("**") != std::string::npos) return false;
  for (char c : p) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-' || c == '/' || c == '*' || c == '?';
    if (!ok) return false;
  }
  return true;
}

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n;
    unsigned cp;
    if (c < 0x80) { ++i; continue; }
    if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; }
    else return false;
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

std::vector<std::string> Lines(const std::string& s, size_t max) {
  std::vector<std::string> out = scale::fuzz::SplitParts(s, "\n");
  if (out.size() > max) out.resize(max);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace scale;
  using namespace scale::fuzz;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts = SplitParts(input, "\n=====\n");
  const std::string& root_rules = parts[0];
  std::vector<std::string> paths =
      parts.size() > 1 ? Lines(parts[1], 64) : std::vector<std::string>{"a/b.txt", "a/", "x", "a/sub/"};
  const bool ignore_case = !root_rules.empty() && (root_rules[0] & 1);
  try {
    walk::IgnoreRules rules(ignore_case);
    rules.AddFile("", root_rules);
    if (parts.size() > 2) rules.AddFile("a", parts[2]);
    for (std::string path : paths) {
      bool is_dir = !path.empty() && path.back() == '/';
      if (is_dir) path.pop_back();
      if (path.empty()) continue;
      walk::IgnoreRules::Verdict v = rules.Check(path, is_dir);
      FUZZ_CHECK(rules.Ignored(path, is_dir) == (v == walk::IgnoreRules::Verdict::kIgnored), "Ignored != Check");
      (void)walk::PolicySkipReason(path, parts.size() > 3 ? std::string_view(parts[3]) : std::string_view());
    }
    const size_t n = rules.size();
    rules.Truncate(n / 2);
    FUZZ_CHECK(rules.size() == n / 2, "Truncate");

    // Every rule line as a raw glob against every path, with the fnmatch oracle where it applies.
    std::vector<std::string> patterns = Lines(root_rules, 32);
    for (const std::string& pattern : patterns) {
      walk::WildPattern compiled(pattern, walk::kWildPathname);
      walk::WildPattern folded(pattern, walk::kWildPathname | walk::kWildCaseFold);
      // (No "folding never loses a match" check: git itself lowers the text but not a class's
      // members, so `*.[Cl]` matches x.C only without core.ignoreCase. Checked with git 2.39.)
      for (const std::string& path : paths) {
        bool got = walk::GlobMatch(pattern, path);
        FUZZ_CHECK(compiled.Match(path) == got, "WildPattern.Match != GlobMatch for '" + Excerpt(pattern) + "'");
        (void)folded.Match(path);
        bool flat = walk::WildMatch(pattern, path, 0);
        if (SimplePattern(pattern) && path.find('\0') == std::string::npos) {
          bool want = fnmatch(pattern.c_str(), path.c_str(), FNM_PATHNAME) == 0;
          FUZZ_CHECK(got == want, "GlobMatch('" + Excerpt(pattern) + "', '" + Excerpt(path) + "') = " +
                                      std::to_string(got) + ", fnmatch(FNM_PATHNAME) says " + std::to_string(want));
          bool want_flat = fnmatch(pattern.c_str(), path.c_str(), 0) == 0;
          FUZZ_CHECK(flat == want_flat, "WildMatch('" + Excerpt(pattern) + "', '" + Excerpt(path) + "', 0) = " +
                                            std::to_string(flat) + ", fnmatch(0) says " + std::to_string(want_flat));
        }
      }
    }

    if (parts.size() > 3) {
      const std::string& head = parts[3];
      std::string why = walk::ContentSkipReason(head);
      if (why.empty()) FUZZ_CHECK(ValidUtf8(head), "ContentSkipReason accepted invalid UTF-8: " + Excerpt(head));
      (void)walk::SkipReason(paths.empty() ? "x" : paths[0], head);
    }
  } catch (const Error&) {
    return 0;
  }
  return 0;
}
