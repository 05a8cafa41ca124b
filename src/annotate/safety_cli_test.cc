// "Never lose a byte": end-to-end tests of `scale comment -i` / `-o` / `scale undo` through the
// built binary with the real libllama and ../shared/models/stories260K.gguf, under edits made
// during a run, symlinks, hard links, concurrent runs, SIGKILL at every fault point and an
// injected full disk (src/util/fault.h).
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/fs.h"

namespace scale::annotate {
namespace {

namespace fs = std::filesystem;
using testing::RunScaleWith;

// Prompts of a few words: these tests are about what reaches the disk, and the shipped prompts'
// thousand tokens per request would only make every run (there are hundreds) slower.
const std::string& TinyConfig() {
  static const testing::TempDir dir{"tiny-cfg"};
  static const std::string path = [] {
    dir.Write("comment.txt", "Write one comment for the code.\n");
    dir.Write("summary.txt", "Write a one-line summary of the file.\n");
    for (const char* language : {"python", "c", "javascript"}) dir.Write(std::string(language) + ".txt", "Be brief.\n");
    return dir.path().string();
  }();
  return path;
}

std::vector<std::string> CommentArgs(std::vector<std::string> head, const std::vector<std::string>& paths) {
  std::vector<std::string> args = {"comment", "--config", TinyConfig()};
  args.insert(args.end(), head.begin(), head.end());
  for (auto s : {"-m", "", "--format", "raw", "--max-tokens", "16"}) args.push_back(s);
  args[args.size() - 5] = testing::StoriesModel();
  args.insert(args.end(), paths.begin(), paths.end());
  return args;
}

// A small tree: two files with routines, one with a person's docstring.
struct Tree {
  testing::TempDir dir{"safety"};
  std::map<std::string, std::string> originals;  // path -> bytes
  Tree() {
    Add("src/a.py", "def add(a, b):\n    return a + b\n\n\nclass Box:\n    def size(self):\n        return 3\n");
    Add("src/b.c", "/* A person's words. */\nint twice(int x) {\n  return 2 * x;\n}\n\nint none(void) { return 0; }\n");
  }
  void Add(const std::string& rel, const std::string& text) { originals[dir.Write(rel, text)] = text; }
  std::string root() const { return dir.file("src"); }
  std::map<std::string, std::string> Now() const {
    std::map<std::string, std::string> now;
    for (const auto& [path, _] : originals) now[path] = ReadFile(path);
    return now;
  }
};

std::map<std::string, std::string> Env(const std::string& home, std::map<std::string, std::string> extra = {}) {
  extra["SCALE_HOME"] = home;
  return extra;
}

// What an uninterrupted run writes: the verified results (runs are deterministic). With `warm_home`,
// that run's caches (model identity, prompt prefix) are left there for later runs to copy.
std::map<std::string, std::string> ExpectedResults(const Tree& tree, const std::string& warm_home = "") {
  testing::TempDir out{"expected"};
  std::map<std::string, std::string> expected;
  auto r = RunScaleWith(CommentArgs({"-o", out.file("o")}, {tree.root()}),
                        Env(warm_home.empty() ? out.file("home") : warm_home));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const auto& [path, original] : tree.originals) {
    fs::path rel = fs::path(path).lexically_relative(tree.root());  // -o maps below the inputs' common folder
    expected[path] = ReadFile(out.path() / "o" / rel);
  }
  return expected;
}

void ExpectOriginalOrVerified(const Tree& tree, const std::map<std::string, std::string>& expected,
                              const std::string& when) {
  for (const auto& [path, now] : tree.Now()) {
    EXPECT_TRUE(now == tree.originals.at(path) || now == expected.at(path)) << when << ": " << path << " is\n" << now;
  }
}

TEST(SafetyCliTest, ExpectedRunChangesBothFiles) {
  Tree tree;
  auto expected = ExpectedResults(tree);
  for (const auto& [path, text] : expected) EXPECT_NE(text, tree.originals.at(path)) << path;
}

// Item 1: an edit saved while the run is in progress is never overwritten, and undo has no stale
// copy of it to restore. The run stops itself right before its first re-check (SIGSTOP); the test
// edits every file, then lets it go on.
TEST(SafetyCliTest, EditDuringRunIsKeptAndReported) {
  Tree tree;
  std::string home = tree.dir.file("home");
  auto dry = RunScaleWith(CommentArgs({"-i"}, {tree.root()}), Env(tree.dir.file("home-dry"), {{"SCALE_FAULT_TRACE", "1"}}));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(dry.err, m, std::regex("fault-point (\\d+) write:before-recheck"))) << dry.err;
  std::string pause_at = m.str(1);
  for (const auto& [path, text] : tree.originals) WriteFileAtomic(path, text);  // the dry run's changes back

  std::string out_file = tree.dir.file("run.err");
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    setenv("SCALE_HOME", home.c_str(), 1);
    setenv("SCALE_FAULT_PAUSE_AT", pause_at.c_str(), 1);
    FILE* err = std::freopen(out_file.c_str(), "w", stderr);
    (void)err;
    std::vector<std::string> args = CommentArgs({"-i"}, {tree.root()});
    std::vector<char*> argv{const_cast<char*>(SCALE_BINARY)};
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(SCALE_BINARY, argv.data());
    _exit(127);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, WUNTRACED), pid);
  ASSERT_TRUE(WIFSTOPPED(status)) << "the run did not reach its re-check";
  std::map<std::string, std::string> edits;
  for (const auto& [path, text] : tree.originals) {
    edits[path] = text + "\n# saved by the editor meanwhile\n";
    std::ofstream(path, std::ios::binary | std::ios::trunc) << edits[path];
  }
  kill(pid, SIGCONT);
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  std::stringstream err;
  err << std::ifstream(out_file).rdbuf();
  EXPECT_EQ(WEXITSTATUS(status), 1) << err.str();
  EXPECT_NE(err.str().find("changed on disk during the run"), std::string::npos) << err.str();
  EXPECT_EQ(tree.Now(), edits);
  // Nothing was written, so nothing is journaled: undo cannot bring back the stale bytes.
  auto undo = RunScaleWith({"undo"}, Env(home));
  EXPECT_EQ(undo.exit_code, 1) << undo.err;
  EXPECT_EQ(tree.Now(), edits);
}

// Item 2: a symlink is written through (it stays a link), a hard-linked file is refused.
TEST(SafetyCliTest, SymlinkIsWrittenThroughAndHardLinksAreKept) {
  testing::TempDir dir{"links"};
  std::string text = "def add(a, b):\n    return a + b\n";
  std::string real = dir.Write("real/a.py", text);
  fs::create_symlink(real, dir.file("link.py"));
  std::string home = dir.file("home");
  auto r = RunScaleWith(CommentArgs({"-i"}, {dir.file("link.py")}), Env(home));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(dir.file("link.py")));
  std::string commented = ReadFile(real);
  EXPECT_NE(commented, text);
  EXPECT_EQ(RunScaleWith({"undo"}, Env(home)).exit_code, 0);
  EXPECT_EQ(ReadFile(real), text);
  EXPECT_TRUE(fs::is_symlink(dir.file("link.py")));

  std::string linked = dir.Write("h/one.py", text);
  fs::create_hard_link(linked, dir.file("h/two.py"));
  r = RunScaleWith(CommentArgs({"-i"}, {linked}), Env(home));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("hard links"), std::string::npos) << r.err;
  EXPECT_EQ(fs::hard_link_count(linked), 2u);
  EXPECT_EQ(ReadFile(dir.file("h/two.py")), text);
}

// Items 2 and 6: mode and owner survive -i; backups are private whatever the original's mode.
TEST(SafetyCliTest, ModeAndOwnerAreKeptAndBackupsArePrivate) {
  testing::TempDir dir{"modes"};
  std::string secret = dir.Write("secret.py", "def key():\n    return 'hunter2'\n");
  ASSERT_EQ(chmod(secret.c_str(), 0640), 0);
  bool root = geteuid() == 0;
  if (root) {
    ASSERT_EQ(chown(secret.c_str(), 4242, 4343), 0);
  }
  std::string home = dir.file("home");
  auto r = RunScaleWith(CommentArgs({"-i"}, {secret}), Env(home));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  struct stat st;
  ASSERT_EQ(stat(secret.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  if (root) {
    EXPECT_EQ(st.st_uid, 4242u);
    EXPECT_EQ(st.st_gid, 4343u);
  }
  int backups = 0;
  for (const auto& e : fs::recursive_directory_iterator(home + "/undo")) {
    ASSERT_EQ(lstat(e.path().c_str(), &st), 0);
    if (S_ISDIR(st.st_mode)) {
      EXPECT_EQ(st.st_mode & 077, 0u) << e.path();
    }
    if (S_ISREG(st.st_mode)) {
      EXPECT_EQ(st.st_mode & 077, 0u) << e.path();
    }
    backups += e.path().extension() == ".orig";
  }
  EXPECT_EQ(backups, 1);
}

// Item 8: -o DIR maps by relative path (no silent overwrite of a same-named file); `-o .` over
// the inputs is an in-place run with a journal.
TEST(SafetyCliTest, OutputDirectoryMapsPathsAndOutputOverInputIsInPlace) {
  testing::TempDir dir{"outdir"};
  std::string text = "def add(a, b):\n    return a + b\n";
  std::string a = dir.Write("a/x.py", text), b = dir.Write("b/x.py", text + "\n\ndef sub(a, b):\n    return a - b\n");
  std::string home = dir.file("home");
  auto r = RunScaleWith(CommentArgs({"-o", dir.file("out")}, {a, b}), Env(home));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(ReadFile(dir.file("out/a/x.py")).find("def add"), std::string::npos);
  EXPECT_NE(ReadFile(dir.file("out/b/x.py")).find("def sub"), std::string::npos);

  r = RunScaleWith(CommentArgs({"-o", "."}, {"x.py"}), Env(home), dir.file("a"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(ReadFile(a), text);
  EXPECT_NE(r.err.find("scale undo"), std::string::npos) << r.err;
  EXPECT_EQ(RunScaleWith({"undo"}, Env(home)).exit_code, 0);
  EXPECT_EQ(ReadFile(a), text);
}

// Item 9: a file name that is not UTF-8 is commented, reported in JSON and undone.
TEST(SafetyCliTest, NonUtf8FileNames) {
  testing::TempDir dir{"names"};
  std::string text = "def add(a, b):\n    return a + b\n";
  std::string odd = dir.Write("src/caf\xe9.py", text);
  std::string home = dir.file("home");
  auto r = RunScaleWith(CommentArgs({"-i", "--json"}, {dir.file("src")}), Env(home));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto report = nlohmann::json::parse(r.out);
  EXPECT_NE(report["files"][0]["path"].get<std::string>().find("caf\\xe9.py"), std::string::npos);
  EXPECT_NE(ReadFile(odd), text);
  auto check = RunScaleWith({"comment", "--check", "--json", dir.file("src")}, Env(home));
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_TRUE(nlohmann::json::accept(check.out)) << check.out;
  EXPECT_EQ(RunScaleWith({"undo"}, Env(home)).exit_code, 0);
  EXPECT_EQ(ReadFile(odd), text);
}

// Item 16: by default a person's comment is kept; scale's own earlier comments are refreshed;
// --existing update rewrites people's too and says how many.
TEST(SafetyCliTest, PeoplesCommentsAreKeptByDefault) {
  testing::TempDir dir{"human"};
  std::string person = "\"\"\"Careful words: returns the sum, never overflows.\"\"\"";
  std::string text = "def add(a, b):\n    " + person + "\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n";
  std::string file = dir.Write("m.py", text);
  std::string home = dir.file("home");
  auto first = RunScaleWith(CommentArgs({"-i", "--json"}, {file}), Env(home));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::string once = ReadFile(file);
  EXPECT_NE(once.find(person), std::string::npos) << once;
  EXPECT_NE(once.find("def sub(a, b):\n    \"\"\""), std::string::npos) << once;

  // A second run with other settings gives sub() another comment (scale's own) but keeps add()'s.
  std::vector<std::string> args = CommentArgs({"-i", "--json"}, {file});
  args[std::find(args.begin(), args.end(), "16") - args.begin()] = "9";
  auto second = RunScaleWith(args, Env(home));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  std::string twice = ReadFile(file);
  EXPECT_NE(twice.find(person), std::string::npos) << twice;
  EXPECT_NE(twice, once) << "scale's own comment on sub() was not refreshed";
  auto report = nlohmann::json::parse(second.out);
  EXPECT_EQ(report["total"]["human_comments_updated"], 0);

  args.insert(args.begin() + 1, {"--existing", "update"});
  auto update = RunScaleWith(args, Env(home));
  ASSERT_EQ(update.exit_code, 0) << update.err;
  EXPECT_EQ(ReadFile(file).find(person), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(update.out)["total"]["human_comments_updated"], 1);
}

// Two runs on one tree at once: each file ends as its original or a verified result, and the
// journals undo cleanly newest first.
TEST(SafetyCliTest, ConcurrentRunsDoNotCorruptEachOther) {
  Tree tree;
  auto expected = ExpectedResults(tree);
  std::string home = tree.dir.file("home");
  testing::RunResult r1, r2;
  std::thread t1([&] { r1 = RunScaleWith(CommentArgs({"-i"}, {tree.root()}), Env(home)); });
  std::thread t2([&] { r2 = RunScaleWith(CommentArgs({"-i"}, {tree.root()}), Env(home)); });
  t1.join();
  t2.join();
  EXPECT_TRUE(r1.exit_code == 0 || r1.exit_code == 1) << r1.err;
  EXPECT_TRUE(r2.exit_code == 0 || r2.exit_code == 1) << r2.err;
  EXPECT_EQ(tree.Now(), expected);
  while (RunScaleWith({"undo"}, Env(home)).exit_code == 0) {
  }
  EXPECT_EQ(tree.Now(), tree.originals);
}

// SIGKILL at every fault point of the write phase (journal backups, manifests, temp files,
// renames): every file is its original or its verified result, and undo restores all originals.
// Each round starts from a copy of a warm $SCALE_HOME (no journal yet): the points are then those
// of the write phase, not of filling scale's own caches, and each round is quicker.
TEST(SafetyCliTest, KillAtEveryPointLosesNothing) {
  Tree tree;
  std::string warm = tree.dir.file("warm-home");
  auto expected = ExpectedResults(tree, warm);
  ASSERT_TRUE(fs::exists(warm));
  int killed = 0;
  for (int n = 1; n < 200; ++n) {
    std::string home = tree.dir.file("home-" + std::to_string(n));
    fs::copy(warm, home, fs::copy_options::recursive);
    auto r = RunScaleWith(CommentArgs({"-i"}, {tree.root()}), Env(home, {{"SCALE_FAULT_KILL_AT", std::to_string(n)}}));
    std::string when = "killed at point " + std::to_string(n);
    if (r.exit_code != 128 + SIGKILL) {
      EXPECT_EQ(r.exit_code, 0) << r.err;
      EXPECT_EQ(tree.Now(), expected) << "the run that was not killed";
      break;
    }
    ++killed;
    ExpectOriginalOrVerified(tree, expected, when);
    auto undo = RunScaleWith({"undo"}, Env(home));
    EXPECT_TRUE(undo.exit_code == 0 || undo.err.find("nothing to undo") != std::string::npos) << when << ": " << undo.err;
    EXPECT_EQ(tree.Now(), tree.originals) << when;
    for (const auto& [path, text] : tree.originals) {
      if (ReadFile(path) != text) WriteFileAtomic(path, text);
    }
    // SIGKILL allows no cleanup: a temp file may stay beside a file, but only as a hidden
    // ".<name>.scale-XXXXXX", never in a user file's place. Removed here for the next round.
    std::vector<fs::path> temps;
    for (const auto& e : fs::recursive_directory_iterator(tree.root())) {
      std::string name = e.path().filename().string();
      if (tree.originals.count(e.path().string()) || e.is_directory()) continue;
      EXPECT_TRUE(std::regex_match(name, std::regex("\\.(a\\.py|b\\.c)\\.scale-[A-Za-z0-9]{6}"))) << when << ": " << name;
      temps.push_back(e.path());
    }
    for (const auto& t : temps) fs::remove(t);
  }
  EXPECT_GT(killed, 10);
}

// A full disk at any write: exit 5 with one clear line, nothing lost, undo restores.
TEST(SafetyCliTest, FullDiskAtAnyWriteLosesNothing) {
  Tree tree;
  auto expected = ExpectedResults(tree);
  int failed = 0;
  // Some writes are scale's caches (the KV prefix file), which a full disk only makes slower: those
  // runs succeed. Every write in the journal or a user's file must fail the run cleanly.
  for (int n = 1; n <= 9; ++n) {
    std::string home = tree.dir.file("home-" + std::to_string(n));
    auto r = RunScaleWith(CommentArgs({"-i"}, {tree.root()}), Env(home, {{"SCALE_FAULT_ENOSPC_AT", std::to_string(n)}}));
    std::string when = "ENOSPC at write " + std::to_string(n);
    if (r.exit_code == 0) {
      EXPECT_EQ(tree.Now(), expected) << when;
    } else {
      ++failed;
      EXPECT_EQ(r.exit_code, 5) << when << ": " << r.err;
      EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << when << ": " << r.err;
      ExpectOriginalOrVerified(tree, expected, when);
    }
    RunScaleWith({"undo"}, Env(home));
    EXPECT_EQ(tree.Now(), tree.originals) << when;
  }
  EXPECT_GE(failed, 4);
}

}  // namespace
}  // namespace scale::annotate
