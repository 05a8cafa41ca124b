// Hub downloads against a local fake Hub (models/fake_hub.h) on 127.0.0.1: redirects, Range
// resumes, dropped connections, bad checksums, 401 and 404, all through the real libcurl client.
#include "models/hub.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "models/fake_hub.h"
#include "testing/temp_dir.h"
#include "util/error.h"
#include "util/fs.h"

namespace scale::models {
namespace {
namespace fs = std::filesystem;
using testing::FakeHub;

std::string Blob(size_t n, unsigned seed) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (auto& c : s) {
    x = x * 1664525u + 1013904223u;
    c = char(x >> 24);
  }
  return s;
}

int ExitCodeOf(const std::function<void()>& fn, std::string* message = nullptr) {
  try {
    fn();
  } catch (const Error& e) {
    if (message) *message = e.what();
    return e.exit_code();
  }
  return 0;
}

bool Logged(FakeHub& hub, const std::string& needle) {
  auto log = hub.log();
  return std::any_of(log.begin(), log.end(), [&](const std::string& l) { return l.find(needle) != std::string::npos; });
}

class HubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FakeHub::Repo repo;
    repo.files["model-Q4_K_M.gguf"].content = Blob(300000, 1);
    repo.files["model-Q8_0.gguf"].content = Blob(5000, 2);
    repo.files["README.md"].content = "# readme";
    repo.files["README.md"].lfs = false;
    for (int i = 1; i <= 3; ++i) {
      repo.files["big/big-Q4_K_M-0000" + std::to_string(i) + "-of-00003.gguf"].content = Blob(7000 + size_t(i), 10 + unsigned(i));
    }
    hub.AddRepo("acme/tiny-GGUF", repo);
    options.endpoint = hub.endpoint();
  }
  fs::path Dest(const std::string& file) { return dir.path() / "models" / "acme/tiny-GGUF" / file; }

  FakeHub hub;
  ::scale::testing::TempDir dir;
  HubOptions options;
};

TEST_F(HubTest, ListsFilesWithSizesAndLfsHashes) {
  RepoListing l = ListRepo(options, "acme/tiny-GGUF");
  EXPECT_EQ(l.commit, "0123456789abcdef0123456789abcdef01234567");
  ASSERT_EQ(l.files.size(), 6u);
  auto it = std::find_if(l.files.begin(), l.files.end(), [](const HubFile& f) { return f.path == "model-Q4_K_M.gguf"; });
  ASSERT_NE(it, l.files.end());
  EXPECT_EQ(it->size, 300000);
  EXPECT_EQ(it->sha256, Sha256Hex(Blob(300000, 1)));
  auto readme = std::find_if(l.files.begin(), l.files.end(), [](const HubFile& f) { return f.path == "README.md"; });
  EXPECT_TRUE(readme->sha256.empty());  // git blobs have no sha256
}

TEST_F(HubTest, PullFollowsRedirectAndWritesOnlyVerifiedFiles) {
  PullResult r = Pull(options, "acme/tiny-GGUF", {"*Q4_K_M.gguf"}, dir.path() / "models");
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.first, Dest("model-Q4_K_M.gguf"));
  EXPECT_EQ(ReadFile(r.first), Blob(300000, 1));
  EXPECT_FALSE(fs::exists(r.first.string() + ".partial"));
  // Downloads are pinned to the listed commit and go through the 302 to the CDN path.
  EXPECT_TRUE(Logged(hub, "/acme/tiny-GGUF/resolve/0123456789abcdef0123456789abcdef01234567/model-Q4_K_M.gguf"));
  EXPECT_TRUE(Logged(hub, "GET /cdn/acme/tiny-GGUF/model-Q4_K_M.gguf"));
  // A second pull finds the file and transfers nothing.
  size_t before = hub.log().size();
  PullResult again = Pull(options, "acme/tiny-GGUF", {"*Q4_K_M.gguf"}, dir.path() / "models");
  EXPECT_TRUE(again.files[0].already_present);
  for (size_t i = before; i < hub.log().size(); ++i) EXPECT_EQ(hub.log()[i].find("/cdn/"), std::string::npos);
}

TEST_F(HubTest, OneMatchingShardBringsTheWholeSplitModel) {
  PullResult r = Pull(options, "acme/tiny-GGUF", {"*00001-of-00003.gguf"}, dir.path() / "models");
  ASSERT_EQ(r.files.size(), 3u);
  EXPECT_EQ(r.first, Dest("big/big-Q4_K_M-00001-of-00003.gguf"));
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(ReadFile(Dest("big/big-Q4_K_M-0000" + std::to_string(i) + "-of-00003.gguf")), Blob(7000 + size_t(i), 10 + unsigned(i)));
  }
}

TEST_F(HubTest, DroppedConnectionIsResumedWithRangeAndVerified) {
  hub.file("acme/tiny-GGUF", "model-Q4_K_M.gguf").drop_after = 100000;
  hub.file("acme/tiny-GGUF", "model-Q4_K_M.gguf").drops = 2;
  PullResult r = Pull(options, "acme/tiny-GGUF", {"model-Q4_K_M.gguf"}, dir.path() / "models");
  EXPECT_EQ(ReadFile(r.first), Blob(300000, 1));
  EXPECT_EQ(r.files[0].resumes, 2);
  EXPECT_TRUE(Logged(hub, "range=bytes=100000-"));
  EXPECT_TRUE(Logged(hub, "range=bytes=200000-"));
}

TEST_F(HubTest, InterruptedPullLeavesOnlyAPartialThatTheNextPullResumes) {
  hub.file("acme/tiny-GGUF", "model-Q4_K_M.gguf").drop_after = 120000;
  hub.file("acme/tiny-GGUF", "model-Q4_K_M.gguf").drops = 1;
  options.max_attempts = 1;
  std::string msg;
  EXPECT_EQ(ExitCodeOf([&] { Pull(options, "acme/tiny-GGUF", {"model-Q4_K_M.gguf"}, dir.path() / "models"); }, &msg),
            kExitNetwork);
  EXPECT_NE(msg.find("resume"), std::string::npos) << msg;
  EXPECT_FALSE(fs::exists(Dest("model-Q4_K_M.gguf")));
  ASSERT_TRUE(fs::exists(Dest("model-Q4_K_M.gguf.partial")));
  EXPECT_EQ(fs::file_size(Dest("model-Q4_K_M.gguf.partial")), 120000u);

  PullResult r = Pull(options, "acme/tiny-GGUF", {"model-Q4_K_M.gguf"}, dir.path() / "models");
  EXPECT_EQ(r.files[0].resumes, 1);
  EXPECT_TRUE(Logged(hub, "range=bytes=120000-"));
  EXPECT_EQ(ReadFile(r.first), Blob(300000, 1));
  EXPECT_FALSE(fs::exists(Dest("model-Q4_K_M.gguf.partial")));
}

TEST_F(HubTest, ServerIgnoringRangeRestartsTheFileFromZero) {
  fs::create_directories(Dest("").parent_path() / "tiny-GGUF");
  {
    std::string junk = "JUNK" + std::string(1000, 'j');
    WriteFileAtomic(Dest("model-Q4_K_M.gguf.partial"), junk);
  }
  hub.file("acme/tiny-GGUF", "model-Q4_K_M.gguf").ignore_range = true;
  PullResult r = Pull(options, "acme/tiny-GGUF", {"model-Q4_K_M.gguf"}, dir.path() / "models");
  EXPECT_EQ(ReadFile(r.first), Blob(300000, 1));
}

TEST_F(HubTest, ChecksumMismatchFailsAndLeavesNothingThatLooksComplete) {
  hub.file("acme/tiny-GGUF", "model-Q8_0.gguf").claimed_sha256 = std::string(64, 'a');
  std::string msg;
  EXPECT_EQ(ExitCodeOf([&] { Pull(options, "acme/tiny-GGUF", {"*Q8_0*"}, dir.path() / "models"); }, &msg), kExitNetwork);
  EXPECT_NE(msg.find("checksum mismatch"), std::string::npos) << msg;
  EXPECT_FALSE(fs::exists(Dest("model-Q8_0.gguf")));
  EXPECT_FALSE(fs::exists(Dest("model-Q8_0.gguf.partial")));
}

TEST_F(HubTest, PrivateRepoNeedsTheToken) {
  FakeHub::Repo priv;
  priv.token = "hf_secret";
  priv.files["p.gguf"].content = Blob(2000, 3);
  hub.AddRepo("acme/private-GGUF", priv);
  std::string msg;
  EXPECT_EQ(ExitCodeOf([&] { Pull(options, "acme/private-GGUF", {}, dir.path() / "models"); }, &msg), kExitNetwork);
  EXPECT_NE(msg.find("401"), std::string::npos) << msg;
  EXPECT_NE(msg.find("HF_TOKEN"), std::string::npos) << msg;
  options.token = "wrong";
  EXPECT_EQ(ExitCodeOf([&] { Pull(options, "acme/private-GGUF", {}, dir.path() / "models"); }, &msg), kExitNetwork);
  EXPECT_NE(msg.find("refused"), std::string::npos) << msg;
  options.token = "hf_secret";
  PullResult r = Pull(options, "acme/private-GGUF", {}, dir.path() / "models");
  EXPECT_EQ(ReadFile(r.first), Blob(2000, 3));
  EXPECT_TRUE(Logged(hub, "/resolve/0123456789abcdef0123456789abcdef01234567/p.gguf auth"));
}

TEST_F(HubTest, UnknownRepoAndUnmatchedPatternsAreClearErrors) {
  std::string msg;
  EXPECT_EQ(ExitCodeOf([&] { Pull(options, "acme/nope", {}, dir.path() / "models"); }, &msg), kExitNetwork);
  EXPECT_NE(msg.find("404"), std::string::npos) << msg;
  EXPECT_EQ(ExitCodeOf([&] { Pull(options, "acme/tiny-GGUF", {"*Q2_K*"}, dir.path() / "models"); }, &msg), kExitUsage);
  EXPECT_NE(msg.find("model-Q8_0.gguf"), std::string::npos) << msg;  // lists what there is
  EXPECT_EQ(ExitCodeOf([&] { Pull(options, "not a repo", {}, dir.path() / "models"); }), kExitUsage);
  EXPECT_EQ(ExitCodeOf([&] { Pull(options, "../etc", {}, dir.path() / "models"); }), kExitUsage);
}

TEST_F(HubTest, UnreachableEndpointIsANetworkError) {
  int port;
  {
    FakeHub gone;  // take a free port, then close it
    port = std::stoi(gone.endpoint().substr(gone.endpoint().rfind(':') + 1));
  }
  options.endpoint = "http://127.0.0.1:" + std::to_string(port);
  std::string msg;
  EXPECT_EQ(ExitCodeOf([&] { ListRepo(options, "acme/tiny-GGUF"); }, &msg), kExitNetwork);
  EXPECT_NE(msg.find("cannot reach"), std::string::npos) << msg;
}

TEST(HubGlob, MatchesLikeShellPatternsIgnoringCase) {
  EXPECT_TRUE(GlobMatch("*q4_k_m.gguf", "Qwen-Q4_K_M.gguf"));
  EXPECT_TRUE(GlobMatch("*.gguf", "sub/dir/x.gguf"));
  EXPECT_TRUE(GlobMatch("model-Q?_0.gguf", "model-Q8_0.gguf"));
  EXPECT_TRUE(GlobMatch("m-[0-9].gguf", "m-7.gguf"));
  EXPECT_FALSE(GlobMatch("m-[!0-9].gguf", "m-7.gguf"));
  EXPECT_FALSE(GlobMatch("*.gguf", "x.gguf.partial"));
  EXPECT_FALSE(GlobMatch("a*b", "ac"));
}

TEST(HubOptions, EnvironmentSetsEndpointAndToken) {
  setenv("HF_ENDPOINT", "http://127.0.0.1:9/", 1);
  setenv("HF_TOKEN", "tok", 1);
  HubOptions o = HubOptionsFromEnv();
  EXPECT_EQ(o.endpoint, "http://127.0.0.1:9");
  EXPECT_EQ(o.token, "tok");
  unsetenv("HF_ENDPOINT");
  unsetenv("HF_TOKEN");
  EXPECT_EQ(HubOptionsFromEnv().endpoint, "https://huggingface.co");
}

}  // namespace
}  // namespace scale::models
