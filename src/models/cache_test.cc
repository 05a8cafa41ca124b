#include "models/cache.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "models/catalogue.h"
#include "testing/temp_dir.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "util/verified_file.h"

namespace scale::models {
namespace {
namespace fs = std::filesystem;

class CacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root = dir.path() / "models";
    dir.Write("models/acme/a-GGUF/a-Q4_K_M.gguf", std::string(100, 'a'));
    dir.Write("models/acme/a-GGUF/a-Q8_0.gguf", std::string(200, 'b'));
    dir.Write("models/acme/big-GGUF/big-00001-of-00002.gguf", std::string(10, 'c'));
    dir.Write("models/acme/big-GGUF/big-00002-of-00002.gguf", std::string(20, 'd'));
    dir.Write("models/acme/half-GGUF/half-00001-of-00002.gguf", "x");
    dir.Write("models/acme/a-GGUF/c-Q4_K_M.gguf.partial", "partial");
    dir.Write("models/loose.gguf", "l");
  }
  ::scale::testing::TempDir dir;
  fs::path root;
};

TEST_F(CacheTest, ListsModelsGroupingShardsAndSkippingPartials) {
  auto models = ListCachedModels(root);
  ASSERT_EQ(models.size(), 5u);
  EXPECT_EQ(models[0].repo, "");  // loose.gguf sorts first (no repo)
  EXPECT_EQ(models[0].name, "loose");
  EXPECT_EQ(models[1].name, "a-Q4_K_M");
  EXPECT_EQ(models[1].repo, "acme/a-GGUF");
  EXPECT_EQ(models[1].bytes, 100u);
  EXPECT_EQ(models[3].name, "big");
  EXPECT_EQ(models[3].files.size(), 2u);
  EXPECT_EQ(models[3].bytes, 30u);
  EXPECT_EQ(models[3].path.filename(), "big-00001-of-00002.gguf");
  EXPECT_TRUE(models[3].complete);
  EXPECT_EQ(models[4].name, "half");
  EXPECT_FALSE(models[4].complete);
  auto partials = ListPartialDownloads(root);
  ASSERT_EQ(partials.size(), 1u);
  EXPECT_EQ(partials[0].filename(), "c-Q4_K_M.gguf.partial");
}

TEST_F(CacheTest, RemoveByNameFileRepoOrPath) {
  EXPECT_EQ(RemoveCachedModel(root, "big").size(), 2u);
  EXPECT_FALSE(fs::exists(root / "acme/big-GGUF"));  // emptied folder goes too
  EXPECT_EQ(RemoveCachedModel(root, "a-Q8_0.gguf").size(), 1u);
  EXPECT_EQ(RemoveCachedModel(root, (root / "loose.gguf").string()).size(), 1u);
  EXPECT_EQ(RemoveCachedModel(root, "acme/a-GGUF").size(), 1u);
  EXPECT_EQ(ListCachedModels(root).size(), 1u);  // only "half" is left
}

TEST_F(CacheTest, RemoveRefusesUnknownAmbiguousAndOutsidePaths) {
  auto code = [&](const std::string& what) {
    try {
      RemoveCachedModel(root, what);
    } catch (const Error& e) {
      return e.exit_code();
    }
    return 0;
  };
  EXPECT_EQ(code("nothing-like-it"), kExitUsage);
  std::string outside = dir.Write("elsewhere/x.gguf", "x");
  EXPECT_EQ(code(outside), kExitUsage);
  EXPECT_TRUE(fs::exists(outside));
  dir.Write("models/other/a-GGUF/a-Q4_K_M.gguf", "dup");
  EXPECT_EQ(code("a-Q4_K_M"), kExitUsage);  // two repos have it: ambiguous
  EXPECT_TRUE(fs::exists(root / "acme/a-GGUF/a-Q4_K_M.gguf"));
}

TEST_F(CacheTest, CatalogueEntryIsFoundInTheCacheOnlyWhenComplete) {
  const CatalogueEntry& e = DefaultCatalogueEntry();
  EXPECT_FALSE(CachedPath(e, root));
  dir.Write("models/" + e.repo + "/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf.partial", "p");
  EXPECT_FALSE(CachedPath(e, root));
  std::string full = dir.Write("models/" + e.repo + "/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf", "m");
  auto found = CachedPath(e, root);
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, fs::path(full));
  EXPECT_EQ(RemoveCachedModel(root, e.id).size(), 2u);  // the catalogue id removes file and partial
}

TEST_F(CacheTest, RevisionFoldersKeepTheRepoAndRemoveTakesTheMarkerToo) {
  const std::string commit = "0123456789abcdef0123456789abcdef01234567";
  fs::path file = dir.Write("models/acme/rev-GGUF/" + commit + "/r-Q4_K_M.gguf", "r");
  WriteVerifiedMarker(file, Sha256Hex("r"));
  auto models = ListCachedModels(root);
  auto it = std::find_if(models.begin(), models.end(), [](const CachedModel& m) { return m.name == "r-Q4_K_M"; });
  ASSERT_NE(it, models.end());
  EXPECT_EQ(it->repo, "acme/rev-GGUF");
  EXPECT_EQ(models.size(), 6u);  // the marker is not a model
  EXPECT_EQ(RemoveCachedModel(root, "r-Q4_K_M").size(), 1u);
  EXPECT_FALSE(fs::exists(MarkerPath(file)));
  EXPECT_FALSE(fs::exists(root / "acme/rev-GGUF"));
}

TEST_F(CacheTest, CachedPathPassesOverAFileThatNoLongerMatchesItsDownload) {
  const CatalogueEntry& e = DefaultCatalogueEntry();
  const std::string name = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf";
  fs::path older = dir.Write("models/" + e.repo + "/1111111111111111111111111111111111111111/" + name, "old");
  WriteVerifiedMarker(older, Sha256Hex("old"));
  fs::path newer = dir.Write("models/" + e.repo + "/2222222222222222222222222222222222222222/" + name, "new");
  WriteVerifiedMarker(newer, Sha256Hex("new"));
  fs::last_write_time(older, fs::last_write_time(newer) - std::chrono::hours(1));
  EXPECT_EQ(CachedPath(e, root), newer);  // the most recent revision
  WriteFileAtomic(newer, "NEW");          // damaged after download
  EXPECT_EQ(CachedPath(e, root), older);
  WriteFileAtomic(newer, "new");          // rewritten with the right bytes: hashed, trusted again
  EXPECT_EQ(CachedPath(e, root), newer);
  EXPECT_EQ(TrustedSha256(newer), Sha256Hex("new"));
}

}  // namespace
}  // namespace scale::models
