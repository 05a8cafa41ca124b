// ClassifyComment (language.h): the one rule per language for what a comment is to scale. A
// directive or a licence is never read as documentation and never replaced, so the lists err on
// the side of "directive": a false positive costs one extra doc comment, a false negative loses a
// tool's instruction or someone's licence.
#include <algorithm>
#include <cctype>

#include "languages/language.h"
#include "languages/text_util.h"
#include "languages/spec.h"
#include "languages/worker.h"

namespace scale::languages {

using detail::CommentSyntax;
using detail::LanguageSpec;
using detail::Marker;

namespace {

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
std::string FirstLine(std::string_view raw, const CommentSyntax& syntax) {
  std::string text = detail::StripCommentSyntax(raw, syntax);
  return text.substr(0, text.find('\n'));
}

std::optional<CommentRole> MatchMarker(std::span<const Marker> markers, std::string_view line, bool block) {
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
bool IsDecoration(std::string_view raw, const CommentSyntax& syntax) {
  std::string_view inner = raw;
  if (!syntax.block_open.empty() && inner.substr(0, syntax.block_open.size()) == syntax.block_open) {
    inner.remove_prefix(syntax.block_open.size());
    if (inner.size() >= syntax.block_close.size() && inner.substr(inner.size() - syntax.block_close.size()) == syntax.block_close) {
      inner.remove_suffix(syntax.block_close.size());
    }
  } else {
    for (std::string_view prefix : syntax.line_prefixes) {
      if (inner.substr(0, prefix.size()) == prefix) {
        inner.remove_prefix(prefix.size());
        break;
      }
    }
  }
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
  const detail::LanguageSpec& spec = language.spec();
  return spec.classify ? spec.classify(comment, context) : detail::ClassifyByMarkers(spec, comment, context);
}

namespace detail {

std::optional<CommentRole> MatchDirective(std::span<const Marker> markers, std::string_view line, bool block) {
  return MatchMarker(markers, line, block);
}

bool IsLicenceText(std::string_view comment, bool file_header) { return IsLicence(comment, file_header); }

CommentRole ClassifyByMarkers(const LanguageSpec& spec, std::string_view comment, const CommentContext& context) {
  const CommentSyntax& syntax = spec.comments;
  bool block = !syntax.block_open.empty() && comment.substr(0, syntax.block_open.size()) == syntax.block_open;
  if (auto role = MatchMarker(spec.directives, FirstLine(comment, syntax), block)) return *role;
  if (IsLicence(comment, context.file_header)) return CommentRole::kLicence;
  if (IsDecoration(comment, syntax)) return CommentRole::kOther;
  return CommentRole::kDoc;
}

}  // namespace detail

}  // namespace scale::languages
