// ClassifyComment (language.h): the one rule per language for what a comment is to scale. A
// directive or a licence is never read as documentation and never replaced, so the lists err on
// the side of "directive": a false positive costs one extra doc comment, a false negative loses a
// tool's instruction or someone's licence.
#include <algorithm>
#include <cctype>

#include "languages/language.h"
#include "languages/text_util.h"
#include "languages/worker.h"

namespace scale::languages {

namespace {

struct Marker {
  std::string_view text;
  CommentRole role;
  bool block_only = false;  // only as a /* block */ (ESLint reads `/* global x */`, not `// global x`)
};

constexpr CommentRole kDir = CommentRole::kDirective;
constexpr CommentRole kNext = CommentRole::kNextLineDirective;

// Matched at the start of the comment's first line, in order (longer markers first).
constexpr Marker kCMarkers[] = {
    {"NOLINTNEXTLINE", kNext}, {"NOLINTBEGIN", kDir}, {"NOLINTEND", kDir}, {"NOLINT", kNext},
    {"clang-format", kDir}, {"IWYU pragma", kDir}, {"LCOV_EXCL", kDir}, {"GCOVR_EXCL", kDir},
    {"cppcheck-suppress", kNext}, {"coverity[", kNext},
    // lint(1)'s annotations, written directly above the function they describe.
    {"ARGSUSED", kNext}, {"VARARGS", kNext}, {"PRINTFLIKE", kNext}, {"SCANFLIKE", kNext}, {"LINTLIBRARY", kDir},
    {"LINTED", kNext}, {"NOTREACHED", kNext}, {"FALLTHROUGH", kNext}, {"FALLTHRU", kNext},
    {"@cond", kDir}, {"@endcond", kDir}, {"\\cond", kDir}, {"\\endcond", kDir},
    {"#region", kDir}, {"#endregion", kDir}, {"-*-", kDir}, {"vim:", kDir}, {"vi:", kDir},
};

constexpr Marker kJsMarkers[] = {
    {"eslint-disable-next-line", kNext}, {"eslint-disable-line", kNext}, {"eslint-disable", kDir},
    {"eslint-enable", kDir}, {"eslint-env", kDir}, {"eslint ", kDir, true}, {"global ", kDir, true},
    {"globals ", kDir, true}, {"exported ", kDir, true}, {"jshint ", kDir}, {"jslint ", kDir}, {"jscs:", kDir},
    {"@ts-ignore", kNext}, {"@ts-expect-error", kNext}, {"@ts-nocheck", kDir}, {"@ts-check", kDir},
    {"@flow", kDir}, {"@noflow", kDir}, {"$FlowFixMe", kNext}, {"$FlowIgnore", kNext},
    {"$FlowExpectedError", kNext}, {"prettier-ignore", kNext}, {"istanbul ignore", kNext},
    {"c8 ignore next", kNext}, {"c8 ignore", kDir}, {"v8 ignore next", kNext}, {"v8 ignore", kDir},
    {"#__PURE__", kNext}, {"@__PURE__", kNext}, {"#__NO_SIDE_EFFECTS__", kNext}, {"@__NO_SIDE_EFFECTS__", kNext},
    {"@jsx", kDir}, {"# sourceMappingURL", kDir}, {"@ sourceMappingURL", kDir}, {"clang-format", kDir},
    {"#region", kDir}, {"#endregion", kDir}, {"-*-", kDir}, {"vim:", kDir},
};

// After the '#' of a Python comment.
constexpr Marker kPythonMarkers[] = {
    {"type:", kDir}, {"noqa", kDir}, {"pragma:", kDir}, {"pylint:", kDir}, {"fmt:", kDir}, {"mypy:", kDir},
    {"pyright:", kDir}, {"isort:", kDir}, {"ruff:", kDir}, {"nosec", kDir}, {"-*-", kDir}, {"vim:", kDir},
    {"coding", kDir}, {"!", kDir},
};

// Angular's DI annotation may sit anywhere in the comment (also inside a JSDoc block).
constexpr std::string_view kJsAnywhere[] = {"@ngInject", "@ngNoInject"};

// Licence texts and file overviews: unambiguous wherever they appear.
constexpr std::string_view kLicencePhrases[] = {
    "SPDX-License-Identifier", "@license", "@preserve", "@copyright", "@file", "@fileoverview", "@overview",
    "\\file", "Permission is hereby granted", "Licensed under the", "Licensed to the", "GNU General Public License",
    "GNU Lesser General Public", "THIS SOFTWARE IS PROVIDED", "Redistribution and use in source and binary forms",
};
// Only in the file's header: elsewhere a doc may well mention them ("Prints the copyright").
constexpr std::string_view kHeaderPhrases[] = {"copyright", "all rights reserved", "(c) 1", "(c) 2", "\xC2\xA9"};

bool ContainsIgnoringCase(std::string_view haystack, std::string_view needle) {
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != haystack.end();
}

// The comment's first non-blank line with comment syntax and leading blanks removed.
std::string FirstLine(std::string_view raw) {
  std::string text = detail::StripCommentSyntax(raw);
  return text.substr(0, text.find('\n'));
}

template <size_t N>
std::optional<CommentRole> MatchMarker(const Marker (&markers)[N], std::string_view line, bool block) {
  for (const Marker& m : markers) {
    if (m.block_only && !block) continue;
    if (line.substr(0, m.text.size()) == m.text) return m.role;
  }
  return std::nullopt;
}

bool IsLicence(std::string_view raw, bool file_header) {
  for (std::string_view p : kLicencePhrases) {
    if (raw.find(p) != std::string_view::npos) return true;
  }
  if (!file_header) return false;
  for (std::string_view p : kHeaderPhrases) {
    if (ContainsIgnoringCase(raw, p)) return true;
  }
  return false;
}

// No letter or digit, and a run of three or more of one decoration character: a separator line
// or banner frame. (An empty `/** */` skeleton is still a doc, waiting to be filled.)
bool IsDecoration(std::string_view raw) {
  std::string_view inner = raw;
  if (inner.substr(0, 2) == "/*") inner.remove_prefix(2);
  else if (inner.substr(0, 2) == "//") inner.remove_prefix(2);
  if (inner.size() >= 2 && inner.substr(inner.size() - 2) == "*/") inner.remove_suffix(2);
  size_t run = 0, best = 0;
  char previous = 0;
  for (char c : inner) {
    if (std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80) return false;
    bool decoration = std::string_view("*-=#~_+/<>.:").find(c) != std::string_view::npos;
    run = decoration && c == previous ? run + 1 : decoration ? 1 : 0;
    best = std::max(best, run);
    previous = c;
  }
  return best >= 3;
}

CommentRole ClassifyCOrJs(Language language, std::string_view raw, const CommentContext& context) {
  bool block = raw.substr(0, 2) == "/*";
  std::string line = FirstLine(raw);
  auto role = language == Language::kC ? MatchMarker(kCMarkers, line, block) : MatchMarker(kJsMarkers, line, block);
  if (role) return *role;
  if (language == Language::kJavaScript) {
    for (std::string_view p : kJsAnywhere) {
      if (raw.find(p) != std::string_view::npos) return kNext;
    }
    // Minifiers keep `/*! ... */` comments: in JavaScript that is how licence banners are marked
    // (in C, `/*!` is a Doxygen doc comment).
    if (raw.substr(0, 3) == "/*!") return CommentRole::kLicence;
  }
  if (IsLicence(raw, context.file_header)) return CommentRole::kLicence;
  if (IsDecoration(raw)) return CommentRole::kOther;
  return CommentRole::kDoc;
}

CommentRole ClassifyPython(std::string_view raw, const CommentContext& context) {
  if (raw.substr(0, 1) != "#") {  // a docstring literal
    return detail::DocstringDataReason(raw, context.routine_name).empty() ? CommentRole::kDoc : CommentRole::kData;
  }
  std::string_view line = raw.substr(1);
  if (line.substr(0, 1) == "!") return kDir;  // a shebang
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  if (auto role = MatchMarker(kPythonMarkers, line, false)) return *role;
  if (IsLicence(raw, context.file_header)) return CommentRole::kLicence;
  return CommentRole::kOther;  // Python documents code with docstrings, never with `#` comments
}

}  // namespace

const char* CommentRoleName(CommentRole role) {
  switch (role) {
    case CommentRole::kDoc: return "doc";
    case CommentRole::kDirective: return "directive";
    case CommentRole::kNextLineDirective: return "next-line directive";
    case CommentRole::kLicence: return "licence";
    case CommentRole::kData: return "data";
    case CommentRole::kOther: return "other";
  }
  return "unknown";
}

CommentRole ClassifyComment(Language language, std::string_view comment, const CommentContext& context) {
  return language == Language::kPython ? ClassifyPython(comment, context) : ClassifyCOrJs(language, comment, context);
}

}  // namespace scale::languages
