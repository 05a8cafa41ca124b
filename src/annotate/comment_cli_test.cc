// End-to-end tests of `scale comment` and `scale undo` through the built binary (SCALE_BINARY).
// Generating runs use the real libllama with ../shared/models/stories260K.gguf (a real tiny
// llama that writes children's stories, so the comments are nonsense but real model output).
#include <gtest/gtest.h>

#include <map>

#include <nlohmann/json.hpp>

#include "annotate/input.h"
#include "languages/language.h"
#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/fs.h"

namespace scale::annotate {
namespace {

using languages::LanguageNamed;

using testing::RunScale;
using testing::RunScaleWith;

const std::string kSample = std::string(SCALE_SOURCE_DIR) + "/samples/sample.py";

std::vector<std::string> Model() {
  return {"-m", testing::StoriesModel(), "--format", "raw", "--max-tokens", "24"};
}

std::vector<std::string> Args(std::vector<std::string> head, const std::vector<std::string>& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

// Lines of stderr are one-line errors: exactly one line, starting "scale: error: ".
void ExpectOneLineError(const testing::RunResult& r, const std::string& fragment) {
  EXPECT_EQ(r.err.rfind("scale: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
}

TEST(CommentCliTest, CheckNeedsNoModelAndSetsExitCode) {
  testing::TempDir dir;
  std::string done = dir.Write("done.py", "def f(x):\n    \"\"\"Doc.\"\"\"\n    return x\n");
  std::string todo = dir.Write("todo.py", "def f(x):\n    \"\"\"Doc.\"\"\"\n    return x\n\n\ndef g():\n    return 1\n");
  // A model path that does not exist proves no model is loaded.
  std::map<std::string, std::string> env = {{"SCALE_MODEL", "/nonexistent/model.gguf"}};
  auto ok = RunScaleWith({"comment", "--check", "-m", "/nonexistent.gguf", done}, env);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, "");
  auto missing = RunScaleWith({"comment", "--check", todo}, env);
  EXPECT_EQ(missing.exit_code, 1) << missing.err;
  EXPECT_EQ(missing.out, todo + ":6: function g has no comment\n");
  auto json = RunScaleWith({"comment", "--check", "--json", dir.path().string()}, env);
  EXPECT_EQ(json.exit_code, 1);
  auto j = nlohmann::json::parse(json.out);
  EXPECT_TRUE(j["missing"].get<bool>());
  EXPECT_EQ(j["files"].size(), 2u);
  // --only narrows the check.
  EXPECT_EQ(RunScaleWith({"comment", "--check", "--only", "f", todo}, env).exit_code, 0);
}

TEST(CommentCliTest, BadInputsGiveOneLineAndExitCode4) {
  testing::TempDir dir;
  std::string binary = dir.Write("bin.py", std::string("x = 1\n\0\0", 8));
  std::string latin1 = dir.Write("latin1.py", "s = 'caf\xe9'\n");
  auto r = RunScale({"comment", binary});
  EXPECT_EQ(r.exit_code, 4);
  ExpectOneLineError(r, "binary file");
  r = RunScale({"comment", latin1});
  EXPECT_EQ(r.exit_code, 4);
  ExpectOneLineError(r, "not valid UTF-8");
  r = RunScale({"comment", dir.file("missing.py")});
  EXPECT_EQ(r.exit_code, 4);
  ExpectOneLineError(r, "no such file");
  std::string big = dir.Write("big.py", std::string(3000, '#') + "\n");
  r = RunScale({"comment", "--max-file-size", "1K", big});
  EXPECT_EQ(r.exit_code, 4);
  ExpectOneLineError(r, "too large");
  std::string unknown = dir.Write("notes.txt", "hello\n");
  r = RunScale({"comment", unknown});
  EXPECT_EQ(r.exit_code, 4);
  ExpectOneLineError(r, "--language");
}

TEST(CommentCliTest, StdinWithAssumeFilenameAnswersOnStdout) {
  testing::TempDir dir;
  const std::string code = "def add(a, b):\n    return a + b\n";
  // A file at the assumed path exists with other bytes: it names the buffer, it is never read or written.
  const std::string on_disk = dir.Write("pkg/foo.py", "# the saved version\n");
  const std::string as = dir.file("pkg/foo.py");
  auto check = RunScaleWith({"comment", "-", "--assume-filename", as, "--check"}, {{"SCALE_MODEL", "/nonexistent.gguf"}},
                            "", code);
  EXPECT_EQ(check.exit_code, 1) << check.err;
  EXPECT_EQ(check.out, as + ":1: function add has no comment\n");
  auto gh = RunScaleWith({"comment", "-", "--assume-filename", as, "--check", "--format", "github"},
                         {{"SCALE_MODEL", "/nonexistent.gguf"}}, "", code);
  EXPECT_NE(gh.out.find("::warning file=" + as + ",line=1"), std::string::npos) << gh.out;

  auto r = RunScaleWith(Args({"comment", "-", "--assume-filename", as}, Model()), {}, "", code);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out, code);
  EXPECT_EQ(r.out.rfind("def add(a, b):\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("    return a + b\n"), std::string::npos) << r.out;
  EXPECT_EQ(ReadFile(on_disk), "# the saved version\n");
  // The same buffer through --diff names the assumed path.
  auto diff = RunScaleWith(Args({"comment", "-", "--assume-filename", as, "--diff"}, Model()), {}, "", code);
  EXPECT_EQ(diff.exit_code, 0) << diff.err;
  EXPECT_NE(diff.out.find(as), std::string::npos) << diff.out;
  // --language instead of a filename.
  auto lang = RunScaleWith({"comment", "-", "--language", "python", "--check"}, {{"SCALE_MODEL", "/nonexistent.gguf"}}, "", code);
  EXPECT_EQ(lang.exit_code, 1);
  EXPECT_EQ(lang.out.rfind("<stdin>:1:", 0), 0u) << lang.out;
}

TEST(CommentCliTest, StdinUsageErrors) {
  const std::map<std::string, std::string> env = {{"SCALE_MODEL", "/nonexistent.gguf"}};
  const std::string code = "def f():\n    pass\n";
  auto no_name = RunScaleWith({"comment", "-", "--check"}, env, "", code);
  EXPECT_EQ(no_name.exit_code, 2);
  ExpectOneLineError(no_name, "--assume-filename");
  auto unknown = RunScaleWith({"comment", "-", "--assume-filename", "notes.txt", "--check"}, env, "", code);
  EXPECT_EQ(unknown.exit_code, 2);
  auto in_place = RunScaleWith({"comment", "-", "--assume-filename", "a.py", "-i"}, env, "", code);
  EXPECT_EQ(in_place.exit_code, 2);
  ExpectOneLineError(in_place, "stdout");
  auto stray = RunScaleWith({"comment", "--assume-filename", "a.py", "a.py", "--check"}, env);
  EXPECT_EQ(stray.exit_code, 2);
  auto binary = RunScaleWith({"comment", "-", "--assume-filename", "a.py", "--check"}, env, "", std::string("\0\x01\x02", 3));
  EXPECT_EQ(binary.exit_code, 4);
  ExpectOneLineError(binary, "a.py");
}

TEST(CommentCliTest, EmptyFileIsNothingToDo) {
  testing::TempDir dir;
  std::string empty = dir.Write("empty.py", "");
  auto r = RunScaleWith({"comment", empty}, {{"SCALE_MODEL", "/nonexistent.gguf"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("nothing to do"), std::string::npos) << r.err;
}

TEST(CommentCliTest, UsageErrors) {
  testing::TempDir dir;
  std::string a = dir.Write("a.py", "def f():\n    pass\n"), b = dir.Write("b.py", "def g():\n    pass\n");
  auto r = RunScale({"comment", a, b});
  EXPECT_EQ(r.exit_code, 2);
  ExpectOneLineError(r, "-i/--in-place");
  r = RunScale({"comment", "-i", "--diff", a});
  EXPECT_EQ(r.exit_code, 2);
  r = RunScale({"comment", "--language", "cobol", a});
  EXPECT_EQ(r.exit_code, 2);
  ExpectOneLineError(r, "--language");
  // A config directory without the language's template: exit 2 before any model is loaded.
  dir.Write("cfg/comment.txt", "system\n");
  dir.Write("cfg/summary.txt", "summary\n");
  r = RunScaleWith({"comment", "--config", dir.file("cfg"), a}, {{"SCALE_MODEL", "/nonexistent.gguf"}});
  EXPECT_EQ(r.exit_code, 2);
  ExpectOneLineError(r, "python.txt");
  EXPECT_EQ(RunScale({"undo", "no-such-run"}).exit_code, 2);
}

TEST(CommentCliTest, InPlaceThenUndoRestoresByteForByte) {
  testing::TempDir dir;
  // CRLF, a BOM-less UTF-8 string and no final newline: undo must give back exactly these bytes.
  std::string original = "def greet(name):\r\n    return 'h\xc3\xa9llo ' + name\r\n\r\n\r\ndef bye():\r\n    pass";
  std::string file = dir.Write("g.py", original);
  std::map<std::string, std::string> env = {{"SCALE_HOME", dir.file("home")}};
  auto r = RunScaleWith(Args(Args({"comment", "-i", "--only", "greet"}, Model()), {file}), env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  std::string changed = ReadFile(file);
  ASSERT_NE(changed, original);
  EXPECT_NE(r.err.find("scale undo "), std::string::npos) << r.err;
  auto list = RunScaleWith({"undo", "--list"}, env);
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find("1 file"), std::string::npos) << list.out;

  // A file edited after the run is not overwritten without --force.
  WriteFileAtomic(file, changed + "\r\n# edited\r\n");
  auto refused = RunScaleWith({"undo"}, env);
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_NE(refused.err.find("changed since the run"), std::string::npos) << refused.err;
  WriteFileAtomic(file, changed);

  auto undo = RunScaleWith({"undo"}, env);
  EXPECT_EQ(undo.exit_code, 0) << undo.err;
  EXPECT_EQ(ReadFile(file), original);
  auto again = RunScaleWith({"undo"}, env);
  EXPECT_EQ(again.exit_code, 1);
  ExpectOneLineError(again, "nothing to undo");
}

TEST(CommentCliTest, DiffPrintsUnifiedDiffAndWritesNothing) {
  testing::TempDir dir;
  std::string original = "import os\n\n\ndef where(p):\n    return os.path.abspath(p)\n";
  std::string file = dir.Write("w.py", original);
  auto r = RunScale(Args(Args({"comment", "--diff"}, Model()), {file}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFile(file), original);
  EXPECT_EQ(r.out.rfind("--- " + file + "\n+++ " + file + "\n@@ -2,4 +2,", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\n def where(p):\n+    \"\"\""), std::string::npos) << r.out;
}

TEST(CommentCliTest, OutputFileAndDirectory) {
  testing::TempDir dir;
  std::string original = "def one():\n    return 1\n";
  std::string a = dir.Write("src/a.py", original);
  dir.Write("src/lib/b.js", "function two() {\n  return 2;\n}\n");
  auto r = RunScale(Args(Args({"comment", "--only", "one", "-o", dir.file("a.out.py")}, Model()), {a}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFile(a), original);
  EXPECT_NE(ReadFile(dir.file("a.out.py")).find("def one():\n    \"\"\""), std::string::npos);
  // A directory input mirrors its files under -o DIR (relative paths kept).
  r = RunScaleWith(Args(Args({"comment", "--only", "none-such", "-o", "out"}, Model()), {"src"}), {}, dir.path().string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFile(dir.file("out/src/a.py")), original);
  EXPECT_EQ(ReadFile(dir.file("out/src/lib/b.js")), "function two() {\n  return 2;\n}\n");
}

// The real engine on the demo file: the output must be the same code with one docstring per
// routine that did not fail.
TEST(CommentCliTest, RealModelOnSampleKeepsCodeIdentical) {
  auto r = RunScale(Args(Args({"comment", "--json"}, Model()), {kSample}));
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  auto report = nlohmann::json::parse(r.out);
  const auto& file = report["files"][0];
  std::string output = file["output"].get<std::string>();
  std::string original = ReadFile(kSample);
  EXPECT_EQ(languages::CodeTokens(languages::LanguageNamed("python"), output),
            languages::CodeTokens(languages::LanguageNamed("python"), original));
  languages::ParsedFile parsed = languages::Parse(languages::LanguageNamed("python"), output);
  EXPECT_FALSE(parsed.has_syntax_errors);
  int commented = 0;
  for (const auto& o : file["routines"]) {
    std::string status = o["status"].get<std::string>();
    if (status == "failed" || status == "skipped") continue;
    ++commented;
    bool found = false;
    for (const auto& routine : parsed.routines) {
      if (routine.qualified_name != o["name"].get<std::string>()) continue;
      found = true;
      EXPECT_TRUE(routine.has_comment) << routine.qualified_name;
      EXPECT_EQ(routine.comment_count, 1) << routine.qualified_name;
    }
    EXPECT_TRUE(found) << o["name"];
  }
  EXPECT_GT(commented, 0) << r.out;
  EXPECT_EQ(file["routines"].size(), 13u);
}

TEST(CommentCliTest, RealModelRunsAreDeterministic) {
  std::vector<std::string> args = Args(Args({"comment", "--only", "Inventory.add", "--only", "load_inventory"}, Model()), {kSample});
  auto first = RunScale(args);
  auto second = RunScale(args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(second.exit_code, 0);
  EXPECT_EQ(first.out, second.out);
  EXPECT_NE(first.out, ReadFile(kSample));
}

}  // namespace
}  // namespace scale::annotate
