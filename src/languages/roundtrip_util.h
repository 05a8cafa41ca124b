// The round-trip property check over real files (test-only, header-only), shared by
// roundtrip_test.cc and each language's own corpus test: every routine outside an error region
// gets a generated comment full of characters that need escaping; the patched file must verify,
// parse with no new errors, keep its code tokens, show every routine with exactly one comment
// whose text reads back as written, be a fixed point of patching it again, and satisfy the
// language's independent judge when one is given (a compiler or parser that is not tree-sitter).
#pragma once

#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "languages/language.h"
#include "util/error.h"
#include "util/fs.h"

namespace scale::languages::testing {

namespace fs = std::filesystem;

// Whether `patched` is the same program as `original` for an independent tool: "" when it is,
// else what differs. Called only for files that were patched.
using Judge = std::function<std::string(const fs::path& path, const std::string& original, const std::string& patched)>;

inline std::string Collapse(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

inline std::string CommentFor(const Routine& r) {
  return "Doc for " + r.name + ".\nSecond line with \"\"\" and */ and \\ inside.";
}

struct Stats {
  std::atomic<int> files{0}, routines{0}, patched{0}, skipped_error{0}, skipped_reason{0}, unparsable{0}, dropped{0},
      cplusplus{0}, core_files{0};
  std::atomic<int64_t> core_ns{0};  // Parse + ApplyComments + Verify of clean files, summed over threads
  std::mutex mu;
  std::vector<std::string> failures;
  std::map<std::string, int> reasons;

  void Fail(const fs::path& p, const std::string& why) {
    std::lock_guard<std::mutex> lock(mu);
    failures.push_back(p.string() + ": " + why);
  }
};

// One file through parse -> apply -> verify -> independent checks -> second pass.
inline void RoundTrip(const fs::path& path, Language language, Stats& stats, const Judge& judge = nullptr) {
  std::string text = ReadFile(path, size_t{64} << 20);
  if (language == LanguageNamed("c") && (text.find("namespace ") != std::string::npos || text.find("template <") != std::string::npos ||
                                   text.find("template<") != std::string::npos)) {
    ++stats.cplusplus;  // C++ headers under /usr/include: not C, not counted
    return;
  }
  ParseOptions options = ParseOptionsForPath(path);
  auto t0 = std::chrono::steady_clock::now();
  ParsedFile file;
  try {
    file = Parse(language, text, options);
  } catch (const Error& e) {
    ++stats.unparsable;  // e.g. the work limit: counted, never a crash
    return;
  }
  ++stats.files;
  // Every routine's view shows each direct child through the comment given for it.
  for (const Routine& r : file.routines) {
    std::map<int, std::string> child_comments;
    for (int c : r.children) child_comments[c] = "V" + std::to_string(c) + "V";
    std::string view = RoutineView(file, r.id, child_comments);
    for (int c : r.children) {
      if (view.find("V" + std::to_string(c) + "V") == std::string::npos) {
        return stats.Fail(path, "view of " + r.qualified_name + " lacks child " + std::to_string(c));
      }
    }
    if (view.empty()) return stats.Fail(path, "empty view of " + r.qualified_name);
  }
  std::map<int, std::string> comments;
  std::vector<int> ids;
  for (const Routine& r : file.routines) {
    ++stats.routines;
    if (r.in_error_region) {
      ++stats.skipped_error;
    } else if (!r.skip_reason.empty()) {
      ++stats.skipped_reason;
      std::lock_guard<std::mutex> lock(stats.mu);
      ++stats.reasons[r.skip_reason];
    } else {
      comments[r.id] = CommentFor(r);
      ids.push_back(r.id);
    }
  }
  if (ids.empty()) return;
  std::string patched;
  if (!file.has_syntax_errors) {
    // A clean file must take every comment at once.
    patched = ApplyComments(file, comments);
    Verification v = Verify(file, patched, ids);
    stats.core_ns += std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count();
    ++stats.core_files;
    if (!v.ok) return stats.Fail(path, "Verify: " + v.problem);
  } else {
    // Next to syntax errors tree-sitter's recovery may change with a comment: what cannot be
    // proven is dropped by ApplyAndVerify and counted, never patched.
    VerifiedPatch vp = ApplyAndVerify(file, comments);
    stats.dropped += static_cast<int>(vp.dropped.size());
    patched = vp.text;
    ids = vp.applied;
    comments.clear();
    for (int id : ids) comments[id] = CommentFor(file.routines[static_cast<size_t>(id)]);
    if (ids.empty()) return;
  }
  // The second patch writes in the first one's style: a replaced doc takes what was learned from it
  // along (house_style.h), which is the style's business, not the patch's.
  ParseOptions again_options = options;
  again_options.style = file.style;
  ParsedFile again = Parse(language, patched, again_options);
  if (again.error_nodes > file.error_nodes) return stats.Fail(path, "new syntax errors");
  if (CodeTokens(language, text) != CodeTokens(language, patched)) return stats.Fail(path, "code tokens differ");
  if (again.routines.size() != file.routines.size()) return stats.Fail(path, "routine count changed");
  for (int id : ids) {
    const Routine& r = again.routines[static_cast<size_t>(id)];
    if (!r.has_comment) return stats.Fail(path, r.qualified_name + ": no comment after patching");
    if (Collapse(r.existing_comment) != Collapse(CommentFor(r))) {
      return stats.Fail(path, r.qualified_name + ": comment reads back as '" + r.existing_comment + "'");
    }
  }
  // Patching the patched file with the same comments replaces each one by itself.
  std::map<int, std::string> same;
  for (int id : ids) same[id] = comments[id];
  if (ApplyComments(again, same) != patched) return stats.Fail(path, "second patch is not a fixed point");
  if (judge) {
    std::string problem = judge(path, text, patched);
    if (!problem.empty()) return stats.Fail(path, "independent judge: " + problem);
  }
  stats.patched += static_cast<int>(ids.size());
}

inline void RunAll(const std::string& label, const std::vector<std::pair<fs::path, Language>>& files,
                   const Judge& judge = nullptr) {
  Stats stats;
  std::atomic<size_t> next{0};
  auto start = std::chrono::steady_clock::now();
  unsigned n_threads = std::max(2u, std::thread::hardware_concurrency());
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < n_threads; ++t) {
    threads.emplace_back([&] {
      for (size_t i = next++; i < files.size(); i = next++) {
        try {
          RoundTrip(files[i].first, files[i].second, stats, judge);
        } catch (const std::exception& e) {
          stats.Fail(files[i].first, std::string("exception: ") + e.what());
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (stats.cplusplus > 0) std::printf("[%s] %d C++ headers left out\n", label.c_str(), stats.cplusplus.load());
  std::printf("[%s] %d files (%d unparsable), %d routines: %d patched+verified, %d skipped in error regions, "
              "%d skipped with reason, %d dropped as unprovable next to syntax errors, %zu failures; %.1f s, "
              "%.0f files/s\n",
              label.c_str(), stats.files.load(), stats.unparsable.load(), stats.routines.load(), stats.patched.load(),
              stats.skipped_error.load(), stats.skipped_reason.load(), stats.dropped.load(), stats.failures.size(), seconds,
              seconds > 0 ? stats.files.load() / seconds : 0.0);
  if (stats.core_files > 0) {
    std::printf("[%s] parse+patch+verify of %d clean files: %.1f files/s per thread (%.2f ms/file)\n", label.c_str(),
                stats.core_files.load(), stats.core_files.load() / (stats.core_ns.load() / 1e9),
                stats.core_ns.load() / 1e6 / stats.core_files.load());
  }
  for (auto& [reason, count] : stats.reasons) std::printf("  skipped %d: %s\n", count, reason.c_str());
  std::sort(stats.failures.begin(), stats.failures.end());
  for (size_t i = 0; i < stats.failures.size() && i < 40; ++i) std::printf("  FAIL %s\n", stats.failures[i].c_str());
  EXPECT_TRUE(stats.failures.empty()) << stats.failures.size() << " files failed the round trip";
  EXPECT_GT(stats.patched.load(), 0);
}

// Files under `root` with one of `exts`, sorted (deterministic), at most `limit` bytes each.
inline void Gather(const fs::path& root, const std::vector<std::string>& exts, Language language,
            std::vector<std::pair<fs::path, Language>>& out, size_t limit = 4 << 20) {
  std::error_code ec;
  if (!fs::exists(root, ec)) return;
  std::vector<fs::path> found;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    std::string ext = it->path().extension().string();
    if (std::find(exts.begin(), exts.end(), ext) == exts.end()) continue;
    if (it->file_size(ec) > limit) continue;
    found.push_back(it->path());
  }
  std::sort(found.begin(), found.end());
  for (auto& p : found) out.emplace_back(p, language);
}

// A judge that runs one external process for the whole corpus: each patched file and its
// original are written under a temporary folder, and `Check` runs `command LIST` once, where LIST
// has one "original<TAB>patched<TAB>name" line per pair and the command prints "same NAME" or
// anything else for each.
class PairJudge {
 public:
  explicit PairJudge(const std::string& label)
      : dir_(std::filesystem::temp_directory_path() / ("scale-judge-" + label + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~PairJudge() { std::filesystem::remove_all(dir_); }
  const std::filesystem::path& dir() const { return dir_; }
  // (original, patched) temporary copies, in the order the judge saw them.
  const std::vector<std::pair<std::string, std::string>>& pairs() const { return pairs_; }

  Judge Collect() {
    return [this](const std::filesystem::path& path, const std::string& original, const std::string& patched) {
      std::lock_guard<std::mutex> lock(mu_);
      std::string n = std::to_string(list_.size());
      std::filesystem::path a = dir_ / (n + ".orig" + path.extension().string());
      std::filesystem::path b = dir_ / (n + ".new" + path.extension().string());
      std::ofstream(a, std::ios::binary) << original;
      std::ofstream(b, std::ios::binary) << patched;
      list_.push_back(a.string() + "\t" + b.string() + "\t" + path.string());
      pairs_.emplace_back(a.string(), b.string());
      return std::string();
    };
  }

  void Check(const std::string& command) {
    std::filesystem::path list = dir_ / "pairs.txt";
    {
      std::ofstream out(list);
      for (const std::string& line : list_) out << line << "\n";
    }
    std::string cmd = command + " '" + list.string() + "' 2>&1";
    FILE* pipe = popen(cmd.c_str(), "r");
    ASSERT_NE(pipe, nullptr) << cmd;
    std::string output;
    char buffer[4096];
    while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
    pclose(pipe);
    std::istringstream lines(output);
    size_t same = 0;
    std::vector<std::string> problems;
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("same ", 0) == 0) ++same;
      else problems.push_back(line);
    }
    std::printf("[judge] %zu of %zu patched files judged the same program\n", same, list_.size());
    for (size_t i = 0; i < problems.size() && i < 20; ++i) std::printf("  JUDGE %s\n", problems[i].c_str());
    EXPECT_EQ(same, list_.size()) << output.substr(0, 4000);
  }

 private:
  std::filesystem::path dir_;
  std::mutex mu_;
  std::vector<std::string> list_;
  std::vector<std::pair<std::string, std::string>> pairs_;
};

}  // namespace scale::languages::testing
