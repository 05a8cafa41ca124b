// Crash safety of `scale models pull` (issue 11): the built binary (SCALE_BINARY) downloads a
// large file slowly from the fake Hub and is killed with SIGKILL mid-transfer, twice; each next
// run resumes with a Range request from where the file on disk ends, and the last one leaves
// exactly the Hub's bytes, verified (SHA-256 marker), and no .partial.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <thread>

#include "testing/fake_hub.h"
#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "util/verified_file.h"

extern char** environ;

namespace scale::models {
namespace {
namespace fs = std::filesystem;
using testing::Blob;
using testing::FakeHub;

// Starts SCALE_BINARY with `args` and the environment plus `env`, output to /dev/null.
pid_t Spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    if (!env.count(kv.substr(0, kv.find('=')))) env_strings.push_back(kv);
  }
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<std::string> argv_strings = {SCALE_BINARY};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv, envp;
  for (auto& s : argv_strings) argv.push_back(s.data());
  for (auto& s : env_strings) envp.push_back(s.data());
  argv.push_back(nullptr);
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, SCALE_BINARY, &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

uint64_t SizeOr0(const fs::path& p) {
  std::error_code ec;
  uint64_t n = fs::file_size(p, ec);
  return ec ? 0 : n;
}

// Runs a pull and SIGKILLs it once `partial` holds at least `bytes`. Returns the size it was left at.
uint64_t PullAndKillAt(const std::map<std::string, std::string>& env, const fs::path& partial, uint64_t bytes) {
  pid_t pid = Spawn({"models", "pull", "acme/slow-GGUF"}, env);
  EXPECT_GT(pid, 0);
  if (pid <= 0) return 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (SizeOr0(partial) < bytes && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the pull ended before it was killed";
  return SizeOr0(partial);
}

TEST(PullCrashTest, KilledMidDownloadTheNextPullResumesAndVerifies) {
  ASSERT_TRUE(fs::exists(SCALE_BINARY)) << "build the scale binary first";
  const std::string content = Blob(8u << 20, 7);
  FakeHub hub;
  FakeHub::Repo repo;
  FakeHub::File& file = repo.files["slow-Q4_K_M.gguf"];
  file.content = content;
  file.chunk_bytes = 64u << 10;  // 64 KiB every 20 ms: about 3 MB/s, so the 8 MiB take ~2.5 s
  file.chunk_delay_ms = 20;
  hub.AddRepo("acme/slow-GGUF", repo);
  ::scale::testing::TempDir home("pull-crash");
  const std::map<std::string, std::string> env = {
      {"SCALE_HOME", home.path().string()}, {"HF_ENDPOINT", hub.endpoint()}, {"HF_TOKEN", ""}};
  const fs::path dest = home.path() / "models/acme/slow-GGUF" / repo.commit / "slow-Q4_K_M.gguf";
  const fs::path partial = dest.string() + ".partial";

  const uint64_t first = PullAndKillAt(env, partial, 2u << 20);
  ASSERT_GT(first, 0u);
  ASSERT_LT(first, content.size());
  EXPECT_FALSE(fs::exists(dest));
  EXPECT_EQ(ReadFile(partial), content.substr(0, first));  // what is on disk is a true prefix

  const uint64_t second = PullAndKillAt(env, partial, first + (2u << 20));
  ASSERT_GT(second, first);
  ASSERT_LT(second, content.size());
  EXPECT_EQ(ReadFile(partial), content.substr(0, second));

  hub.file("acme/slow-GGUF", "slow-Q4_K_M.gguf").chunk_delay_ms = 0;
  ::scale::testing::RunResult done = ::scale::testing::RunScaleWith({"models", "pull", "acme/slow-GGUF"}, env);
  ASSERT_EQ(done.exit_code, 0) << done.err;
  EXPECT_EQ(done.out, dest.string() + "\n");
  EXPECT_NE(done.err.find("resuming"), std::string::npos) << done.err;
  auto log = hub.log();
  auto asked = [&](uint64_t from) {
    const std::string needle = "/cdn/acme/slow-GGUF/slow-Q4_K_M.gguf range=bytes=" + std::to_string(from) + "-";
    return std::any_of(log.begin(), log.end(), [&](const std::string& l) { return l.find(needle) != std::string::npos; });
  };
  EXPECT_TRUE(asked(first));
  EXPECT_TRUE(asked(second));
  EXPECT_EQ(ReadFile(dest), content);
  EXPECT_EQ(TrustedSha256(dest), Sha256Hex(content));
  EXPECT_FALSE(fs::exists(partial));
}

}  // namespace
}  // namespace scale::models
