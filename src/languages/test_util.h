// Helpers for the language golden tests (test-only, header-only): apply comments by qualified
// name and insist that Verify accepts the result.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "languages/language.h"

namespace scale::languages::testing {

inline int IdOf(const ParsedFile& file, const std::string& qualified_name) {
  for (const Routine& r : file.routines) {
    if (r.qualified_name == qualified_name) return r.id;
  }
  ADD_FAILURE() << "no routine named " << qualified_name;
  return -1;
}

inline std::vector<std::string> Names(const ParsedFile& file) {
  std::vector<std::string> out;
  for (const Routine& r : file.routines) out.push_back(r.kind + " " + r.qualified_name);
  return out;
}

// Comments by qualified name -> patched text; the patch must verify.
inline std::string Patch(const ParsedFile& file, const std::map<std::string, std::string>& by_name) {
  std::map<int, std::string> comments;
  std::vector<int> ids;
  for (const auto& [name, text] : by_name) {
    int id = IdOf(file, name);
    if (id < 0) return "";
    comments[id] = text;
    ids.push_back(id);
  }
  std::string out = ApplyComments(file, comments);
  Verification v = Verify(file, out, ids);
  EXPECT_TRUE(v.ok) << v.problem << "\n--- patched ---\n" << out;
  return out;
}

// `text` with each `from` (which must occur exactly once) replaced by `to`, in order: a golden
// output written as the edits a patch should make to its input, so the unchanged bytes are not
// spelled out twice.
inline std::string Replaced(std::string text, const std::vector<std::pair<std::string, std::string>>& edits) {
  for (const auto& [from, to] : edits) {
    size_t at = text.find(from);
    if (at == std::string::npos || text.find(from, at + 1) != std::string::npos) {
      ADD_FAILURE() << "not exactly once in the input: " << from;
      continue;
    }
    text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace scale::languages::testing
