// The shared test helpers in tests/testing (no module of their own, so they are tested here):
// child processes with captured streams, temp dirs, cached test models, and the scale-testmodel tool.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "testmodel/model_spec.h"

namespace scale::testing {
namespace {

namespace fs = std::filesystem;

TEST(RunProgram, CapturesBothStreamsAndExitCodeWithoutAShell) {
  RunResult r = RunProgram("sh", {"-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  // Arguments reach the program verbatim: no shell splits or expands them.
  r = RunProgram("printf", {"%s|", "a b", "$HOME", "*"});
  EXPECT_EQ(r.out, "a b|$HOME|*|");
}

TEST(RunProgram, FeedsLargeStdinWhileDrainingOutput) {
  // 4 MB through cat: larger than pipe buffers in both directions, so a naive write-then-read deadlocks.
  std::string input(4 << 20, 'x');
  for (size_t i = 0; i < input.size(); i += 1000) input[i] = '\n';
  RunResult r = RunProgram("cat", {}, {}, "", input);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.out == input);
}

TEST(RunProgram, SetsEnvironmentAndWorkingDirectory) {
  TempDir dir("run");
  RunResult r = RunProgram("sh", {"-c", "echo \"$FOO|$NO_COLOR|$SCALE_HOME\"; pwd"}, {{"FOO", "bar"}}, dir.path().string());
  EXPECT_EQ(r.exit_code, 0);
  const std::string home = std::string(SCALE_TEST_TMP) + "/home-" + std::to_string(getpid());
  EXPECT_EQ(r.out, "bar|1|" + home + "\n" + dir.path().string() + "\n");
  r = RunProgram("sh", {"-c", "echo $SCALE_HOME"}, {{"SCALE_HOME", "/x"}});
  EXPECT_EQ(r.out, "/x\n");
}

TEST(RunProgram, ReportsMissingProgramsAndSignals) {
  EXPECT_EQ(RunProgram("/nonexistent/program", {}).exit_code, 127);
  EXPECT_EQ(RunProgram("sh", {"-c", "kill -TERM $$"}).exit_code, 128 + SIGTERM);
}

TEST(TempDir, IsUniqueWritableAndRemoved) {
  fs::path kept;
  {
    TempDir a("td"), b("td");
    EXPECT_NE(a.path(), b.path());
    EXPECT_TRUE(fs::is_directory(a.path()));
    const std::string f = a.Write("sub/x.txt", "hello");
    EXPECT_EQ(f, a.file("sub/x.txt"));
    EXPECT_EQ(fs::file_size(f), 5u);
    kept = a.path();
  }
  EXPECT_FALSE(fs::exists(kept));
}

TEST(TestModels, GeneratedOnceAndReusedAcrossProcesses) {
  const std::string path = TinyChatModel();
  const auto mtime = fs::last_write_time(path);
  // Several processes asking at once (as under ctest -j) all get the same complete file.
  std::vector<pid_t> children;
  for (int i = 0; i < 3; ++i) {
    pid_t pid = fork();
    if (pid == 0) _exit(TinyChatModel() == path && TinyLora().size() > 0 ? 0 : 1);
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  EXPECT_EQ(fs::last_write_time(path), mtime) << "not regenerated";
  EXPECT_EQ(TinyQ8Model(), TinyQ8Model());
  EXPECT_LT(fs::file_size(TinyQ8Model()), fs::file_size(path));
}

TEST(TestModels, StoriesAndVocabPathsExist) {
  EXPECT_TRUE(fs::exists(StoriesModel()));
  EXPECT_TRUE(fs::exists(VocabPath("qwen2")));
}

// The scale-testmodel tool is a separate target; `make test` builds it, a lone testmodel_tests
// build may not have.
std::string ToolPath() { return (fs::path(SCALE_BINARY).parent_path() / "scale-testmodel").string(); }

TEST(TestModelTool, WritesAModelAndALoraAndListsPresets) {
  if (!fs::exists(ToolPath())) GTEST_SKIP() << "scale-testmodel not built: " << ToolPath();
  TempDir dir("tool");
  RunResult r = RunProgram(ToolPath(), {"--list"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("qwen2.5-0.5b"), std::string::npos);
  EXPECT_NE(r.out.find("494032768"), std::string::npos);
  r = RunProgram(ToolPath(), {"--preset", "tiny", "--type", "q4_0", "--seed", "5", "-o", dir.file("m.gguf")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty()) << "stdout stays clean";
  EXPECT_GT(fs::file_size(dir.file("m.gguf")), 1u << 20);
  r = RunProgram(ToolPath(), {"--lora", "--preset", "tiny", "--rank", "8", "-o", dir.file("l.gguf")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir.file("l.gguf")));
}

TEST(TestModelTool, BadArgumentsGiveOneLineUsageErrors) {
  if (!fs::exists(ToolPath())) GTEST_SKIP() << "scale-testmodel not built: " << ToolPath();
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--preset", "nope", "-o", "/tmp/x.gguf"},
           {"--preset", "tiny", "--type", "q3_k", "-o", "/tmp/x.gguf"},
           {"--preset", "tiny"},
           {"--bogus"},
           {"--preset", "tiny", "--seed", "abc", "-o", "/tmp/x.gguf"}}) {
    RunResult r = RunProgram(ToolPath(), args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("scale-testmodel: error: ", 0), 0u) << r.err;
  }
  RunResult r = RunProgram(ToolPath(), {"--preset", "tiny", "--vocab", "/nonexistent.gguf", "-o", "/tmp/x.gguf"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
}

}  // namespace
}  // namespace scale::testing
