// Hub downloads against a local fake Hub (tests/testing/fake_hub.h) on 127.0.0.1: redirects, Range
// resumes, dropped connections, bad checksums and Content-Ranges, revision folders, verified
// markers, malformed listings, 401 and 404, all through the real libcurl client.
#include "models/hub.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "models/http.h"
#include "testing/exit_code.h"
#include "testing/fake_hub.h"
#include "testing/temp_dir.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "util/verified_file.h"

namespace scale::models {
namespace {
namespace fs = std::filesystem;
using scale::testing::ExitCodeOf;
using testing::Blob;
using testing::FakeHub;

constexpr char kCommit[] = "0123456789abcdef0123456789abcdef01234567";

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
  fs::path Dest(const std::string& file, const std::string& commit = kCommit) {
    return dir.path() / "models" / "acme/tiny-GGUF" / commit / file;
  }
  PullResult PullOne(const std::string& include) { return Pull(options, "acme/tiny-GGUF", {include}, dir.path() / "models"); }
  bool CdnFetched(size_t since, const std::string& file) {
    auto log = hub.log();
    for (size_t i = since; i < log.size(); ++i) {
      if (log[i].find("/cdn/acme/tiny-GGUF/" + file) != std::string::npos) return true;
    }
    return false;
  }

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
  fs::create_directories(Dest("x").parent_path());
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

// ---- item 14 of issue 11: a cached file is checked by SHA-256, in a folder per revision -------

TEST_F(HubTest, CachedFileWithTheRightSizeButWrongBytesIsDownloadedAgain) {
  PullResult first = PullOne("model-Q8_0.gguf");
  EXPECT_EQ(TrustedSha256(first.first), Sha256Hex(Blob(5000, 2)));  // the verified marker
  WriteFileAtomic(first.first, std::string(5000, 'x'));             // same size, other bytes
  size_t before = hub.log().size();
  PullResult again = PullOne("model-Q8_0.gguf");
  EXPECT_FALSE(again.files[0].already_present);
  EXPECT_TRUE(CdnFetched(before, "model-Q8_0.gguf"));
  EXPECT_EQ(ReadFile(again.first), Blob(5000, 2));
  EXPECT_EQ(TrustedSha256(again.first), Sha256Hex(Blob(5000, 2)));
}

TEST_F(HubTest, VerifiedMarkerSparesTheRehashOnlyWhileTheFileIsUnchanged) {
  PullResult first = PullOne("model-Q8_0.gguf");
  const std::string sha = Sha256Hex(Blob(5000, 2));
  // The marker is what a second pull trusts: one that names another hash forces a re-hash, which
  // finds the file good and writes a correct marker again.
  nlohmann::json marker = nlohmann::json::parse(ReadFile(MarkerPath(first.first)));
  marker["sha256"] = std::string(64, 'd');
  WriteFileAtomic(MarkerPath(first.first), marker.dump());
  EXPECT_EQ(TrustedSha256(first.first), std::string(64, 'd'));
  PullResult again = PullOne("model-Q8_0.gguf");
  EXPECT_TRUE(again.files[0].already_present);
  EXPECT_EQ(TrustedSha256(again.first), sha);
  // Rewriting the file, even with its own bytes, changes its stamp: the marker no longer vouches.
  WriteFileAtomic(first.first, Blob(5000, 2));
  EXPECT_EQ(TrustedSha256(first.first), "");
  EXPECT_EQ(RecordedSha256(first.first), sha);
}

TEST_F(HubTest, CacheIsKeyedByRevisionSoANewCommitIsNotTakenForTheOld) {
  PullResult old_commit = PullOne("model-Q8_0.gguf");
  EXPECT_EQ(old_commit.first, Dest("model-Q8_0.gguf"));
  // A new commit changes the file's bytes but not its size.
  FakeHub::Repo repo;
  repo.commit = "fedcba9876543210fedcba9876543210fedcba98";
  repo.files["model-Q8_0.gguf"].content = Blob(5000, 99);
  hub.AddRepo("acme/tiny-GGUF", repo);
  PullResult new_commit = PullOne("model-Q8_0.gguf");
  EXPECT_EQ(new_commit.first, Dest("model-Q8_0.gguf", repo.commit));
  EXPECT_FALSE(new_commit.files[0].already_present);
  EXPECT_EQ(ReadFile(new_commit.first), Blob(5000, 99));
  EXPECT_EQ(ReadFile(old_commit.first), Blob(5000, 2));  // the old revision is still whole
}

TEST_F(HubTest, UnchangedFileOfANewCommitIsMovedNotDownloaded) {
  PullResult old_commit = PullOne("model-Q8_0.gguf");
  FakeHub::Repo repo;
  repo.commit = "fedcba9876543210fedcba9876543210fedcba98";
  repo.files["model-Q8_0.gguf"].content = Blob(5000, 2);
  hub.AddRepo("acme/tiny-GGUF", repo);
  size_t before = hub.log().size();
  PullResult new_commit = PullOne("model-Q8_0.gguf");
  EXPECT_TRUE(new_commit.files[0].already_present);
  EXPECT_FALSE(CdnFetched(before, "model-Q8_0.gguf"));
  EXPECT_EQ(ReadFile(Dest("model-Q8_0.gguf", repo.commit)), Blob(5000, 2));
  EXPECT_FALSE(fs::exists(old_commit.first));
  EXPECT_FALSE(fs::exists(old_commit.first.parent_path()));  // emptied revision folder removed
}

TEST_F(HubTest, FileFromBeforeRevisionFoldersIsAdoptedWhenItsHashMatches) {
  const fs::path legacy = dir.path() / "models/acme/tiny-GGUF/model-Q8_0.gguf";
  fs::create_directories(legacy.parent_path());
  WriteFileAtomic(legacy, Blob(5000, 2));
  const fs::path stale = dir.path() / "models/acme/tiny-GGUF/model-Q4_K_M.gguf";
  WriteFileAtomic(stale, std::string(300000, 's'));  // an older upload: same size, other bytes
  PullResult r = PullOne("model-Q8_0.gguf");
  EXPECT_TRUE(r.files[0].already_present);
  EXPECT_EQ(r.first, Dest("model-Q8_0.gguf"));
  EXPECT_FALSE(fs::exists(legacy));
  PullResult other = PullOne("model-Q4_K_M.gguf");
  EXPECT_FALSE(other.files[0].already_present);
  EXPECT_EQ(ReadFile(other.first), Blob(300000, 1));
  EXPECT_EQ(ReadFile(stale), std::string(300000, 's'));  // not ours to judge: left alone
}

TEST_F(HubTest, RevisionNamesAreOneSafeFolder) {
  RepoListing l;
  l.repo = "acme/tiny-GGUF";
  EXPECT_EQ(RevisionKey(l, "main"), "main");
  EXPECT_EQ(RevisionKey(l, "refs/pr/1"), "refs%2Fpr%2F1");
  EXPECT_EQ(RevisionKey(l, ".."), "%2E%2E");
  l.commit = kCommit;
  EXPECT_EQ(RevisionKey(l, "main"), kCommit);
}

// ---- the Hub's X-Linked-Etag / X-Linked-Size, sent on its redirect only ------------------------

TEST_F(HubTest, ShaFromTheHubsRedirectIsKeptAndChecked) {
  hub.file("acme/tiny-GGUF", "model-Q8_0.gguf").listed_sha = false;
  PullResult r = PullOne("model-Q8_0.gguf");
  EXPECT_EQ(TrustedSha256(r.first), Sha256Hex(Blob(5000, 2)));  // learnt from X-Linked-Etag

  hub.file("acme/tiny-GGUF", "model-Q4_K_M.gguf").listed_sha = false;
  hub.file("acme/tiny-GGUF", "model-Q4_K_M.gguf").linked_etag = std::string(64, 'b');
  std::string msg;
  EXPECT_EQ(ExitCodeOf([&] { PullOne("model-Q4_K_M.gguf"); }, &msg), kExitNetwork);
  EXPECT_NE(msg.find("checksum mismatch"), std::string::npos) << msg;
  EXPECT_FALSE(fs::exists(Dest("model-Q4_K_M.gguf")));
}

TEST_F(HubTest, ListingAndRedirectThatDisagreeAreRefused) {
  hub.file("acme/tiny-GGUF", "model-Q8_0.gguf").linked_etag = std::string(64, 'c');
  std::string msg;
  EXPECT_EQ(ExitCodeOf([&] { PullOne("model-Q8_0.gguf"); }, &msg), kExitNetwork);
  EXPECT_NE(msg.find("two SHA-256"), std::string::npos) << msg;
  EXPECT_FALSE(fs::exists(Dest("model-Q8_0.gguf")));
}

TEST_F(HubTest, ChangedCachedFileIsCheckedAgainstTheHashRecordedAtDownload) {
  // A mirror whose listing has no hashes: the X-Linked-Etag seen at download is what counts later.
  hub.file("acme/tiny-GGUF", "model-Q8_0.gguf").listed_sha = false;
  PullResult r = PullOne("model-Q8_0.gguf");
  WriteFileAtomic(r.first, std::string(5000, 'z'));
  size_t before = hub.log().size();
  PullResult again = PullOne("model-Q8_0.gguf");
  EXPECT_FALSE(again.files[0].already_present);
  EXPECT_TRUE(CdnFetched(before, "model-Q8_0.gguf"));
  EXPECT_EQ(ReadFile(again.first), Blob(5000, 2));
}

// ---- 206 answers must be the bytes that were asked for ------------------------------------------

TEST_F(HubTest, PartialContentStartingElsewhereRestartsFromZero) {
  auto& f = hub.file("acme/tiny-GGUF", "model-Q4_K_M.gguf");
  f.drop_after = 100000;
  f.drops = 1;
  f.range_shift = -500;  // asked for 100000-, the mirror sends (and labels) 99500-
  PullResult r = PullOne("model-Q4_K_M.gguf");
  EXPECT_EQ(ReadFile(r.first), Blob(300000, 1));
  auto log = hub.log();
  auto ranged = std::find_if(log.begin(), log.end(), [](const std::string& l) { return l.find("range=bytes=100000-") != std::string::npos; });
  ASSERT_NE(ranged, log.end());
  EXPECT_TRUE(std::any_of(ranged, log.end(), [](const std::string& l) {
    return l.find("GET /cdn/acme/tiny-GGUF/model-Q4_K_M.gguf") == 0 && l.find("range=") == std::string::npos;
  })) << "started again from byte 0";
}

TEST_F(HubTest, PartialContentForAnotherFileSizeRestartsFromZero) {
  auto& f = hub.file("acme/tiny-GGUF", "model-Q4_K_M.gguf");
  f.drop_after = 100000;
  f.drops = 1;
  f.range_total = 400000;
  PullResult r = PullOne("model-Q4_K_M.gguf");
  EXPECT_EQ(ReadFile(r.first), Blob(300000, 1));
}

TEST_F(HubTest, DownloadNeverAppendsBytesOfTheWrongRange) {
  hub.file("acme/tiny-GGUF", "model-Q8_0.gguf").range_shift = 7;
  fs::path part = dir.path() / "part";
  WriteFileAtomic(part, Blob(5000, 2).substr(0, 1000));
  std::FILE* out = std::fopen(part.c_str(), "r+b");
  ASSERT_NE(out, nullptr);
  std::fseek(out, 0, SEEK_END);
  HttpResponse r = HttpDownload({hub.endpoint() + "/acme/tiny-GGUF/resolve/main/model-Q8_0.gguf"}, out, 1000, 5000);
  std::fclose(out);
  EXPECT_TRUE(r.bad_range);
  EXPECT_NE(r.error.find("starting at byte 1007"), std::string::npos) << r.error;
  EXPECT_EQ(fs::file_size(part), 1000u);
  // And a file cannot grow past the size the Hub gave.
  out = std::fopen(part.c_str(), "wb");
  HttpResponse big = HttpDownload({hub.endpoint() + "/acme/tiny-GGUF/resolve/main/model-Q8_0.gguf"}, out, 0, 4000);
  std::fclose(out);
  EXPECT_FALSE(big.ok());
  EXPECT_NE(big.error.find("more than the 4000 bytes"), std::string::npos) << big.error;
  EXPECT_LE(fs::file_size(part), 4000u);
}

// ---- redirects ----------------------------------------------------------------------------------

TEST(HubRedirects, HttpsNeverFallsBackToHttp) {
  EXPECT_NE(RedirectRefusal("https://huggingface.co/a/b/resolve/main/x.gguf", "http://cdn.example/x.gguf").find("unencrypted http"),
            std::string::npos);
  EXPECT_NE(RedirectRefusal("HTTPS://huggingface.co/x", "HTTP://cdn.example/x").find("unencrypted http"), std::string::npos);
  EXPECT_EQ(RedirectRefusal("https://huggingface.co/x", "https://cdn-lfs.hf.co/x?sig=1"), "");
  EXPECT_EQ(RedirectRefusal("http://127.0.0.1:8080/x", "https://cdn.example/x"), "");  // upgrades are fine
  EXPECT_EQ(RedirectRefusal("http://127.0.0.1:8080/x", "http://localhost:8080/x"), "");
  EXPECT_NE(RedirectRefusal("https://huggingface.co/x", "file:///etc/passwd").find("file:"), std::string::npos);
  EXPECT_NE(RedirectRefusal("https://huggingface.co/x", "ftp://example/x").find("ftp:"), std::string::npos);
  EXPECT_NE(RedirectRefusal("https://huggingface.co/x", "::nonsense").find("refusing"), std::string::npos);
}

TEST_F(HubTest, RedirectToAnotherSchemeIsAClearNetworkError) {
  hub.file("acme/tiny-GGUF", "model-Q8_0.gguf").location = "ftp://127.0.0.1/model-Q8_0.gguf";
  std::string msg;
  EXPECT_EQ(ExitCodeOf([&] { PullOne("model-Q8_0.gguf"); }, &msg), kExitNetwork);
  EXPECT_NE(msg.find("refusing a redirect to a ftp: URL"), std::string::npos) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
}

TEST_F(HubTest, TheTokenGoesToTheHubOnlyNeverToTheCdn) {
  FakeHub::Repo priv;
  priv.token = "hf_secret";
  priv.files["p.gguf"].content = Blob(2000, 3);
  hub.AddRepo("acme/private-GGUF", priv);
  // "localhost" is another origin than "127.0.0.1", though the same fake server answers both.
  std::string port = hub.endpoint().substr(hub.endpoint().rfind(':') + 1);
  hub.file("acme/private-GGUF", "p.gguf").location = "http://localhost:" + port + "/cdn/acme/private-GGUF/p.gguf";
  options.token = "hf_secret";
  PullResult r = Pull(options, "acme/private-GGUF", {}, dir.path() / "models");
  EXPECT_EQ(ReadFile(r.first), Blob(2000, 3));
  EXPECT_TRUE(Logged(hub, "/resolve/0123456789abcdef0123456789abcdef01234567/p.gguf auth"));
  EXPECT_TRUE(Logged(hub, "GET /cdn/acme/private-GGUF/p.gguf"));
  EXPECT_FALSE(Logged(hub, "GET /cdn/acme/private-GGUF/p.gguf auth"));
}

// ---- a mirror's listing: every field is type-checked ---------------------------------------------

TEST_F(HubTest, MalformedListingsAreOneLineNetworkErrors) {
  const std::string good_tree = R"([{"type":"file","path":"m.gguf","size":4}])";
  struct Case {
    std::string revision, tree, says;
  };
  const std::vector<Case> cases = {
      {R"([1,2])", good_tree, "the answer = array, expected an object"},
      {R"({"sha": 5})", good_tree, "sha = number, expected a string"},
      {R"({"sha": "../../../etc"})", good_tree, "expected a commit id"},
      {R"({"siblings": "many"})", good_tree, "siblings = string, expected an array"},
      {R"({"siblings": [7]})", good_tree, "siblings[0] = number, expected an object"},
      {R"({"siblings": [{"rfilename": 7}]})", good_tree, "siblings[0].rfilename = number"},
      {R"({"siblings": [{"rfilename": null}]})", good_tree, "siblings[0].rfilename = nothing"},
      {R"({"siblings": [{"rfilename": "m.gguf", "size": "big"}]})", good_tree, "siblings[0].size"},
      {R"({"siblings": [{"rfilename": "m.gguf", "lfs": {"sha256": "xyz"}}]})", good_tree, "a SHA-256 (64 hex digits)"},
      {R"({})", R"({"files": []})", "the answer = object, expected an array"},
      {R"({})", R"([{"type": 1}])", "[0].type = number"},
      {R"({})", R"([{"type": "file", "path": ["m.gguf"]}])", "[0].path = array"},
      {R"({})", R"([{"type": "file", "path": "m.gguf", "size": -4}])", "[0].size = -4, expected a byte count"},
      {R"({})", R"([{"type": "file", "path": "m.gguf", "lfs": "yes"}])", "[0].lfs = string"},
      {R"({})", R"([{"type": "file", "path": "m.gguf", "lfs": {"oid": 12}}])", "[0].lfs.oid = number"},
  };
  for (const auto& c : cases) {
    FakeHub::Repo repo;
    repo.revision_json = c.revision;
    repo.tree_json = c.tree;
    hub.AddRepo("acme/broken-GGUF", repo);
    std::string msg;
    EXPECT_EQ(ExitCodeOf([&] { ListRepo(options, "acme/broken-GGUF"); }, &msg), kExitNetwork) << c.revision << " " << c.tree << ": " << msg;
    EXPECT_NE(msg.find(c.says), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
  // Null and missing optional fields are simply absent.
  FakeHub::Repo sparse;
  sparse.revision_json = R"({"sha": null, "siblings": [{"rfilename": "m.gguf", "size": null, "lfs": null}]})";
  sparse.tree_json = R"([{"type": "directory", "path": "sub"}, {"type": "file", "path": "m.gguf", "size": 4, "lfs": null}])";
  hub.AddRepo("acme/sparse-GGUF", sparse);
  RepoListing l = ListRepo(options, "acme/sparse-GGUF");
  ASSERT_EQ(l.files.size(), 1u);
  EXPECT_EQ(l.files[0].size, 4);
  EXPECT_EQ(l.commit, "");
}

// ---- the .partial file ------------------------------------------------------------------------

TEST_F(HubTest, PlantedPartialSymlinkIsNotFollowed) {
  const std::string victim = dir.Write("victim.txt", "precious");
  fs::create_directories(Dest("x").parent_path());
  fs::create_symlink(victim, Dest("model-Q8_0.gguf.partial"));
  PullResult r = PullOne("model-Q8_0.gguf");
  EXPECT_EQ(ReadFile(victim), "precious");
  EXPECT_EQ(ReadFile(r.first), Blob(5000, 2));
  EXPECT_FALSE(fs::is_symlink(r.first));
}

TEST_F(HubTest, DownloadsAreNeverWritableByOthersWhateverTheUmask) {
  mode_t old = umask(0);
  hub.file("acme/tiny-GGUF", "model-Q4_K_M.gguf").drop_after = 100000;
  hub.file("acme/tiny-GGUF", "model-Q4_K_M.gguf").drops = 1;
  options.max_attempts = 1;
  ExitCodeOf([&] { PullOne("model-Q4_K_M.gguf"); });
  struct stat partial {};
  int partial_rc = stat(Dest("model-Q4_K_M.gguf.partial").c_str(), &partial);
  PullResult r = PullOne("model-Q4_K_M.gguf");
  umask(old);
  ASSERT_EQ(partial_rc, 0);
  EXPECT_EQ(partial.st_mode & 07777, 0644u);
  struct stat done {};
  ASSERT_EQ(stat(r.first.c_str(), &done), 0);
  EXPECT_EQ(done.st_mode & 07777, 0644u);
  ASSERT_EQ(stat(MarkerPath(r.first).c_str(), &done), 0);
  EXPECT_EQ(done.st_mode & 022, 0u);

  // With a stricter umask the files are stricter too.
  old = umask(077);
  PullResult q8 = PullOne("model-Q8_0.gguf");
  umask(old);
  ASSERT_EQ(stat(q8.first.c_str(), &done), 0);
  EXPECT_EQ(done.st_mode & 07777, 0600u);
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

TEST(HubGlob, ManyStarsDoNotBacktrackForever) {
  // A backtracking matcher takes exponential time here (the old one did); the walker's is linear.
  const std::string name(4000, 'a');
  EXPECT_FALSE(GlobMatch(std::string(40, '*') + "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", name));
  EXPECT_TRUE(GlobMatch("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a", name));
  EXPECT_TRUE(GlobMatch("m-[^0-9].GGUF", "m-x.gguf"));
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
