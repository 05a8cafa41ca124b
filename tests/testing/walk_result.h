// What a walk (walk/walker.h, also summarize's) found, in the forms tests compare: the files'
// relative paths in walk order, and why a given path was skipped. Header-only: no link dependency.
#pragma once

#include <string>
#include <vector>

#include "walk/walker.h"

namespace scale::testing {

inline std::vector<std::string> Rels(const walk::Result& r) {
  std::vector<std::string> out;
  for (const auto& f : r.files) out.push_back(f.rel);
  return out;
}

// "" when `rel` was not skipped.
inline std::string ReasonFor(const walk::Result& r, const std::string& rel) {
  for (const auto& s : r.skipped) {
    if (s.rel == rel) return s.reason;
  }
  return "";
}

}  // namespace scale::testing
