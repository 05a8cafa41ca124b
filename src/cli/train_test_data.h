// Tests only: what the `scale train` CLI tests share. The same small (routine, docstring) rows in
// the "prompt" form, varied enough to split, and a run's log.jsonl read back line by line.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/fs.h"

namespace scale::cli::traintest {

inline std::string SmallRows() {
  std::string out;
  const char* verbs[] = {"Return", "Compute", "Build", "Parse", "Count", "Find", "Load", "Check"};
  const char* things[] = {"the sum", "the name", "a list", "the total", "the size", "a copy"};
  for (int i = 0; i < 48; ++i) {
    const std::string v = verbs[i % 8], t = things[i % 6];
    nlohmann::json row = {{"prompt", "Routine:\ndef f" + std::to_string(i) + "(x):\n    return x + " + std::to_string(i) +
                                         "\nComment:\n"},
                          {"answer", v + " " + t + " of x plus " + std::to_string(i) + "."}};
    out += row.dump() + "\n";
  }
  return out;
}

// Every line of the log file as JSON.
inline std::vector<nlohmann::json> LogLines(const std::string& file) {
  std::vector<nlohmann::json> out;
  const std::string text = ReadFile(file);
  for (size_t at = 0, nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1) {
    out.push_back(nlohmann::json::parse(text.substr(at, nl - at)));
  }
  return out;
}

// The same without the wall-clock field (seconds), which differs between two runs.
inline std::vector<nlohmann::json> WithoutSeconds(std::vector<nlohmann::json> log) {
  for (auto& j : log) j.erase("seconds");
  return log;
}

}  // namespace scale::cli::traintest
