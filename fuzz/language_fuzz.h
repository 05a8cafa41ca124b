// The parse -> patch -> verify path of one language worker with arbitrary source text and
// arbitrary comment text (what a model might answer), shared by fuzz_python.cc, fuzz_c.cc and
// fuzz_javascript.cc.
//
// Input layout (text, so that seeds are readable):
//   SOURCE
//   "\n=====\n"  (or "\n=====H\n": C only, parse as a header, ParseOptions::c_header)
//   COMMENT_0 "\n-----\n" COMMENT_1 "\n-----\n" ...
// Routine i (in source order) is given COMMENT_(i mod k); an empty comment part means "leave this
// routine alone", so the fuzzer chooses which routines are patched. Non-patchable routines are
// passed too (ApplyAndVerify must drop them, never patch them).
//
// Invariants (docs/robustness.md):
//  * nothing but scale::Error escapes, no sanitizer report;
//  * the result text is the original byte for byte, or it re-verifies (Verify ok for the applied
//    ids) and CodeTokens(original) == CodeTokens(result);
//  * applied and dropped are disjoint, cover exactly the requested ids, applied is ascending and
//    holds only Patchable() routines; no applied id => text unchanged;
//  * InnermostFirst is a permutation with every routine after its descendants;
//  * SyntacticChunks covers lines 1..N contiguously with chunks of at most max_lines lines.
#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "fuzz_util.h"
#include "languages/language.h"
#include "util/error.h"

namespace scale::fuzz {

inline int FuzzLanguage(languages::Language language, const uint8_t* data, size_t size) {
  using namespace scale::languages;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  bool header = false;
  std::string source, rest;
  size_t h = input.find("\n=====H\n");
  size_t p = input.find("\n=====\n");
  if (h != std::string_view::npos && (p == std::string_view::npos || h < p)) {
    header = std::string_view(LanguageName(language)) == "c";
    std::tie(source, rest) = SplitOnce(input, "\n=====H\n");
  } else {
    std::tie(source, rest) = SplitOnce(input, "\n=====\n");
  }
  std::vector<std::string> comments = SplitParts(rest, "\n-----\n");

  ParseOptions options;
  options.c_header = header;
  ParsedFile file;
  try {
    file = Parse(language, source, options);
  } catch (const Error&) {
    return 0;  // the parser's work budget: a documented refusal
  }
  FUZZ_CHECK(file.text == source, "Parse changed the text");
  const int n = static_cast<int>(file.routines.size());
  for (int i = 0; i < n; ++i) {
    const Routine& r = file.routines[i];
    FUZZ_CHECK(r.id == i, "routine id != index");
    FUZZ_CHECK(r.start_byte <= r.end_byte && r.end_byte <= source.size(), "routine bytes out of range: " + r.qualified_name);
    FUZZ_CHECK(r.comment_begin <= r.comment_end && r.comment_end <= source.size(), "comment bytes out of range: " + r.qualified_name);
    FUZZ_CHECK(r.parent >= -1 && r.parent < n, "bad parent");
    for (int c : r.children) FUZZ_CHECK(c >= 0 && c < n && file.routines[c].parent == i, "bad child");
  }

  // Innermost first: a permutation, descendants before ancestors.
  std::vector<int> order = InnermostFirst(file);
  FUZZ_CHECK(static_cast<int>(order.size()) == n, "InnermostFirst size");
  {
    std::vector<int> pos(n, -1);
    for (int k = 0; k < n; ++k) {
      FUZZ_CHECK(order[k] >= 0 && order[k] < n && pos[order[k]] == -1, "InnermostFirst not a permutation");
      pos[order[k]] = k;
    }
    for (int i = 0; i < n; ++i) {
      if (file.routines[i].parent >= 0) FUZZ_CHECK(pos[i] < pos[file.routines[i].parent], "child after parent");
    }
  }

  // What the model would be shown (bounded: views are quadratic in nesting at worst).
  for (int i = 0; i < n && i < 8; ++i) {
    std::map<int, std::string> child_comments;
    for (int c : file.routines[i].children) child_comments[c] = comments.empty() ? "" : comments[c % comments.size()];
    (void)RoutineView(file, i, child_comments);
  }

  // Chunks for the summarizer.
  if (!source.empty()) {
    const int max_lines = 1 + static_cast<int>(source.size() % 40);
    int total = static_cast<int>(std::count(source.begin(), source.end(), '\n')) + (source.back() == '\n' ? 0 : 1);
    std::vector<std::pair<int, int>> chunks;
    try {
      chunks = SyntacticChunks(file, max_lines);
    } catch (const Error&) {
      chunks.clear();
    }
    if (!chunks.empty()) {
      int next = 1;
      for (auto [a, b] : chunks) {
        FUZZ_CHECK(a == next && b >= a && b - a + 1 <= max_lines,
                   "chunk [" + std::to_string(a) + "," + std::to_string(b) + "] expected start " + std::to_string(next) +
                       " max " + std::to_string(max_lines));
        next = b + 1;
      }
      FUZZ_CHECK(next == total + 1, "chunks end at " + std::to_string(next - 1) + " of " + std::to_string(total));
    }
  }

  // Patch and prove.
  std::map<int, std::string> wanted;
  if (!comments.empty()) {
    for (int i = 0; i < n; ++i) {
      const std::string& c = comments[i % comments.size()];
      if (!c.empty()) wanted[i] = c;
    }
  }
  if (wanted.empty()) return 0;
  VerifiedPatch patch;
  try {
    patch = ApplyAndVerify(file, wanted);
  } catch (const Error&) {
    return 0;
  }
  std::set<int> seen;
  for (size_t k = 0; k < patch.applied.size(); ++k) {
    int id = patch.applied[k];
    FUZZ_CHECK(wanted.count(id), "applied an id that was not asked for");
    FUZZ_CHECK(Patchable(file.routines[id]), "applied a non-patchable routine: " + file.routines[id].qualified_name);
    FUZZ_CHECK(k == 0 || patch.applied[k - 1] < id, "applied not ascending");
    FUZZ_CHECK(!patch.dropped.count(id), "id both applied and dropped");
    seen.insert(id);
  }
  for (const auto& [id, why] : patch.dropped) {
    FUZZ_CHECK(wanted.count(id), "dropped an id that was not asked for");
    seen.insert(id);
  }
  FUZZ_CHECK(seen.size() == wanted.size(), "some requested ids neither applied nor dropped");
  if (patch.applied.empty()) {
    FUZZ_CHECK(patch.text == source, "nothing applied but the text changed");
    return 0;
  }
  if (patch.text == source) return 0;
  Verification v;
  try {
    v = Verify(file, patch.text, patch.applied);
  } catch (const Error& e) {
    Fail(__FILE__, __LINE__, "re-verification threw", e.what());
  }
  FUZZ_CHECK(v.ok, "the accepted result does not re-verify: " + v.problem);
  std::vector<std::string> before, after;
  try {
    before = CodeTokens(language, source);
    after = CodeTokens(language, patch.text);
  } catch (const Error& e) {
    Fail(__FILE__, __LINE__, "CodeTokens threw on an accepted result", e.what());
  }
  if (before != after) {
    size_t k = 0;
    while (k < before.size() && k < after.size() && before[k] == after[k]) ++k;
    Fail(__FILE__, __LINE__, "CodeTokens(original) != CodeTokens(result)",
         "first difference at token " + std::to_string(k) + ": '" + (k < before.size() ? Excerpt(before[k]) : "<end>") +
             "' vs '" + (k < after.size() ? Excerpt(after[k]) : "<end>") + "'");
  }
  return 0;
}

}  // namespace scale::fuzz
