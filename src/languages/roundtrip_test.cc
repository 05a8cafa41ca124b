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
#include "languages/roundtrip_util.h"
#include "testing/read_all.h"
#include "util/error.h"

namespace scale::languages {
namespace {

namespace fs = std::filesystem;

using scale::testing::ReadAll;
using testing::CommentFor;
using testing::Gather;
using testing::RunAll;

// The node_modules holding the tree-sitter sources this build compiled (SCALE_TS_DIR).
fs::path TreeSitterModules() { return fs::path(SCALE_TS_MODULES); }

// The Python standard library CMake found; "" when it found none (and warned at configure time).
const fs::path kPythonCorpus = SCALE_PY_CORPUS;
constexpr const char* kNoPython = "cmake/corpus.cmake found no Python standard library at configure time";

// Its .py files, without site-packages: what pip installed there differs by machine and is not the stdlib.
void GatherPython(std::vector<std::pair<fs::path, Language>>& out, size_t limit) {
  std::vector<std::pair<fs::path, Language>> all;
  Gather(kPythonCorpus, {".py"}, LanguageNamed("python"), all, limit);
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
  Gather(ts / "tree-sitter/vendor/tree-sitter/lib", {".c", ".h"}, LanguageNamed("c"), files);
  for (const char* grammar : {"tree-sitter-c", "tree-sitter-python", "tree-sitter-javascript"}) {
    Gather(ts / grammar / "src", {".h", ".c"}, LanguageNamed("c"), files, 256 << 10);  // parser.c is MBs of tables
  }
  // System headers, minus the big C++ trees (the rest is screened for C++ by content).
  std::vector<std::pair<fs::path, Language>> system;
  Gather("/usr/include", {".h"}, LanguageNamed("c"), system);
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
  Gather(modules, {".js", ".mjs", ".cjs"}, LanguageNamed("javascript"), files, 1 << 20);
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
  Gather(TreeSitterModules() / "tree-sitter/vendor/tree-sitter/lib/src", {".c"}, LanguageNamed("c"), files, 64 << 10);
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
