// Helpers shared by the libFuzzer targets in fuzz/ (see docs/robustness.md).
//
// Inputs are split into parts at separator lines so that seeds stay readable text:
//   part 0 <"\n=====\n"> part 1 ...
// A check that fails prints what was wrong and aborts, which libFuzzer records as a crash
// (with the input saved under -artifact_prefix). Expected failures are scale::Error only.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace scale::fuzz {

[[noreturn]] inline void Fail(const char* file, int line, const char* what, const std::string& detail) {
  std::fprintf(stderr, "\n==FUZZ CHECK FAILED== %s:%d: %s\n%s\n", file, line, what, detail.c_str());
  std::fflush(stderr);
  std::abort();
}

// FUZZ_CHECK(cond, detail): an invariant of the code under test.
#define FUZZ_CHECK(cond, detail)                                                  \
  do {                                                                            \
    if (!(cond)) ::scale::fuzz::Fail(__FILE__, __LINE__, #cond, (detail));        \
  } while (0)

// True when the check named `name` is listed in $SCALE_FUZZ_SKIP (comma-separated): a known,
// reported bug whose check is switched off so that a long run can look for others. Every named
// check is listed in docs/robustness.md with its reproducer in fuzz/crashes/.
inline bool Skipped(const char* name) {
  const char* env = std::getenv("SCALE_FUZZ_SKIP");
  if (!env) return false;
  std::string_view list(env), want(name);
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t comma = list.find(',', pos);
    if (comma == std::string_view::npos) comma = list.size();
    if (list.substr(pos, comma - pos) == want) return true;
    pos = comma + 1;
  }
  return false;
}

// Splits at every occurrence of `sep` (no part is dropped; an input without sep is one part).
inline std::vector<std::string> SplitParts(std::string_view data, std::string_view sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t at = data.find(sep, start);
    if (at == std::string_view::npos) {
      parts.emplace_back(data.substr(start));
      return parts;
    }
    parts.emplace_back(data.substr(start, at - start));
    start = at + sep.size();
  }
}

// Splits at the first occurrence of `sep`: {before, after} ({data, ""} when absent).
inline std::pair<std::string, std::string> SplitOnce(std::string_view data, std::string_view sep) {
  size_t at = data.find(sep);
  if (at == std::string_view::npos) return {std::string(data), std::string()};
  return {std::string(data.substr(0, at)), std::string(data.substr(at + sep.size()))};
}

// A fixed per-process path in /tmp (one file per target and pid, rewritten for each input).
inline std::string TempPath(const std::string& tag) {
  return "/tmp/scale-fuzz-" + tag + "-" + std::to_string(getpid());
}

inline void WriteFileOrDie(const std::string& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out) {
    std::fprintf(stderr, "fuzz harness: cannot write %s\n", path.c_str());
    std::abort();
  }
}

// Removes the temp file when the process exits normally (libFuzzer calls exit() at the end).
struct TempFileCleanup {
  std::string path;
  ~TempFileCleanup() { unlink(path.c_str()); }
};

// Short printable summary of a string for check messages.
inline std::string Excerpt(std::string_view s, size_t max = 200) {
  std::string out;
  for (char c : s.substr(0, max)) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '\n') out += "\\n";
    else if (u < 0x20 || u == 0x7f) { char buf[8]; std::snprintf(buf, sizeof buf, "\\x%02x", u); out += buf; }
    else out += c;
  }
  if (s.size() > max) out += "...(" + std::to_string(s.size()) + " bytes)";
  return out;
}

}  // namespace scale::fuzz
