// Round-trip property test over many real files (no model): every routine outside an error region
// gets a generated comment full of characters that need escaping; the patched file must verify,
// parse with no new errors, keep its code tokens, show every routine with exactly one comment
// whose text reads back as written, and be a fixed point of patching it again.
// Sources, found by the build (cmake/corpus.cmake) and never fetched here: the standard library of
// the Python CMake found, C from the tree-sitter sources in SCALE_TS_DIR and /usr/include, and
// JavaScript from the npm packages pinned in deps/corpus, which CMake installs at configure time.
// A corpus CMake could not find is skipped naming it (CMake warned); one that has gone since fails.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <random>
#include <thread>

#include "languages/language.h"
#include "testing/read_all.h"
#include "util/error.h"

namespace scale::languages {
namespace {

namespace fs = std::filesystem;

using scale::testing::ReadAll;

std::string Collapse(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string CommentFor(const Routine& r) {
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
void RoundTrip(const fs::path& path, Language language, Stats& stats) {
  std::string text = ReadAll(path);
  if (language == Language::kC && (text.find("namespace ") != std::string::npos || text.find("template <") != std::string::npos ||
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
  ParsedFile again = Parse(language, patched, options);
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
  stats.patched += static_cast<int>(ids.size());
}

void RunAll(const std::string& label, const std::vector<std::pair<fs::path, Language>>& files) {
  Stats stats;
  std::atomic<size_t> next{0};
  auto start = std::chrono::steady_clock::now();
  unsigned n_threads = std::max(2u, std::thread::hardware_concurrency());
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < n_threads; ++t) {
    threads.emplace_back([&] {
      for (size_t i = next++; i < files.size(); i = next++) {
        try {
          RoundTrip(files[i].first, files[i].second, stats);
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
void Gather(const fs::path& root, const std::vector<std::string>& exts, Language language,
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

// The node_modules holding the tree-sitter sources this build compiled (SCALE_TS_DIR).
fs::path TreeSitterModules() { return fs::path(SCALE_TS_MODULES); }

// The Python standard library CMake found; "" when it found none (and warned at configure time).
const fs::path kPythonCorpus = SCALE_PY_CORPUS;
constexpr const char* kNoPython = "cmake/corpus.cmake found no Python standard library at configure time";

// Its .py files, without site-packages: what pip installed there differs by machine and is not the stdlib.
void GatherPython(std::vector<std::pair<fs::path, Language>>& out, size_t limit) {
  std::vector<std::pair<fs::path, Language>> all;
  Gather(kPythonCorpus, {".py"}, Language::kPython, all, limit);
  for (auto& f : all) {
    if (f.first.string().find("/site-packages/") == std::string::npos) out.push_back(std::move(f));
  }
}

TEST(RoundTrip, PythonInstalledLibrary) {
  if (kPythonCorpus.empty()) GTEST_SKIP() << kNoPython;
  std::vector<std::pair<fs::path, Language>> files;
  GatherPython(files, 4 << 20);
  ASSERT_GT(files.size(), 200u) << "the Python standard library in " << kPythonCorpus << " has gone or looks incomplete";
  RunAll("python", files);
}

TEST(RoundTrip, CSources) {
  std::vector<std::pair<fs::path, Language>> files;
  fs::path ts = TreeSitterModules();
  ASSERT_TRUE(fs::exists(ts / "tree-sitter/vendor/tree-sitter/lib")) << "the tree-sitter sources in " << ts << " have gone";
  Gather(ts / "tree-sitter/vendor/tree-sitter/lib", {".c", ".h"}, Language::kC, files);
  for (const char* grammar : {"tree-sitter-c", "tree-sitter-python", "tree-sitter-javascript"}) {
    Gather(ts / grammar / "src", {".h", ".c"}, Language::kC, files, 256 << 10);  // parser.c is MBs of tables
  }
  // System headers, minus the big C++ trees (the rest is screened for C++ by content).
  std::vector<std::pair<fs::path, Language>> system;
  Gather("/usr/include", {".h"}, Language::kC, system);
  for (auto& f : system) {
    std::string top = f.first.lexically_relative("/usr/include").begin()->string();
    if (top != "node" && top != "llvm-14" && top != "c++" && top != "unicode" && top != "toml++") files.push_back(f);
  }
  RunAll("c", files);
}

TEST(RoundTrip, JavaScriptPackages) {
  const fs::path modules = SCALE_JS_CORPUS;
  if (modules.empty()) GTEST_SKIP() << "cmake/corpus.cmake could not install deps/corpus at configure time";
  std::vector<std::pair<fs::path, Language>> files;
  Gather(modules, {".js", ".mjs", ".cjs"}, Language::kJavaScript, files, 1 << 20);
  ASSERT_GT(files.size(), 500u) << "the JavaScript corpus in " << modules << " looks incomplete";
  RunAll("javascript", files);
}

// Broken input: real files cut short, with a span deleted or a stray bracket/quote inserted (fixed
// seed). Nothing may throw; whatever ApplyAndVerify applies must verify on its own; routines in
// error regions are never among them.
TEST(RoundTrip, MutatedFilesStillPatchTheCleanParts) {
  std::vector<std::pair<fs::path, Language>> files, sample;
  if (kPythonCorpus.empty()) GTEST_SKIP() << kNoPython;
  GatherPython(files, 64 << 10);
  Gather(TreeSitterModules() / "tree-sitter/vendor/tree-sitter/lib/src", {".c"}, Language::kC, files, 64 << 10);
  for (size_t i = 0; i < files.size(); i += 7) sample.push_back(files[i]);
  ASSERT_GT(sample.size(), 20u) << "the corpus in " << kPythonCorpus << " and " << TreeSitterModules() << " has gone";
  std::mt19937 rng(20240601);
  int mutated = 0, applied = 0, dropped = 0;
  for (auto& [path, language] : sample) {
    std::string text = ReadAll(path);
    if (text.size() < 16) continue;
    for (int kind = 0; kind < 3; ++kind) {
      std::string s = text;
      size_t at = rng() % s.size();
      if (kind == 0) s.resize(at);
      else if (kind == 1) s.erase(at, rng() % 40);
      else s.insert(at, 1, "({[\"'`:;}])"[rng() % 11]);
      ParsedFile f = Parse(language, s, ParseOptionsForPath(path));
      std::map<int, std::string> comments;
      for (const Routine& r : f.routines) comments[r.id] = CommentFor(r);
      VerifiedPatch vp = ApplyAndVerify(f, comments);
      ++mutated;
      applied += static_cast<int>(vp.applied.size());
      dropped += static_cast<int>(vp.dropped.size());
      ASSERT_EQ(vp.applied.size() + vp.dropped.size(), comments.size()) << path;
      for (int id : vp.applied) ASSERT_FALSE(f.routines[static_cast<size_t>(id)].in_error_region) << path;
      Verification v = Verify(f, vp.text, vp.applied);
      ASSERT_TRUE(v.ok) << path << " (mutation " << kind << "): " << v.problem;
      for (const Routine& r : f.routines) RoutineView(f, r.id, {});
      SyntacticChunks(f, 40);
    }
  }
  std::printf("[mutated] %d files: %d routines patched+verified, %d left (errors, reasons, unprovable)\n", mutated,
              applied, dropped);
  EXPECT_GT(applied, 0);
  EXPECT_GT(dropped, 0);  // the mutations did break something
}

}  // namespace
}  // namespace scale::languages
