#include "models/other_stores.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>

#include <nlohmann/json.hpp>

#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/error.h"
#include "util/sha256.h"

namespace scale::models {
namespace {
namespace fs = std::filesystem;

const std::string kDigest = "4f2d3ac1b0e9c8d7a6f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0ff";

// Every entry under `root`: regular files by content hash, links by target, folders by name.
// Equal before and after proves the discovery wrote, moved, linked and locked nothing.
std::map<std::string, std::string> Snapshot(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const std::string rel = it->path().lexically_relative(root).string();
    if (it->is_symlink()) {
      out[rel] = "link " + fs::read_symlink(it->path()).string();
    } else if (it->is_regular_file()) {
      out[rel] = "file " + Sha256File(it->path());
    } else {
      out[rel] = "dir";
    }
  }
  return out;
}

// Fake stores of the three tools, laid out as they write them. The "GGUF" files only need the
// magic for listing; the Ollama blob is the real stories260K model so generate can run on it.
class OtherStoresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string gguf = std::string("GGUF") + std::string(60, '\3');
    // Hugging Face: two quantisations behind blob links, an old revision, a link out of blobs/.
    const std::string hf = "hf/hub/models--acme--tiny-GGUF/";
    dir.Write(hf + "refs/main", "rev2\n");
    dir.Write(hf + "blobs/aaaa", gguf + "F32");
    dir.Write(hf + "blobs/bbbb", gguf + "Q8");
    dir.Write(hf + "blobs/cccc", gguf + "old");
    dir.Write(hf + "blobs/dddd", "{\"not\": \"gguf\"}");
    dir.Write("outside/stolen.gguf", gguf);
    fs::create_directories(dir.path() / hf / "snapshots/rev1");
    fs::create_directories(dir.path() / hf / "snapshots/rev2");
    fs::create_symlink("../../blobs/cccc", dir.path() / hf / "snapshots/rev1/tiny-F32.gguf");
    fs::create_symlink("../../blobs/aaaa", dir.path() / hf / "snapshots/rev2/tiny-F32.gguf");
    fs::create_symlink("../../blobs/bbbb", dir.path() / hf / "snapshots/rev2/tiny-Q8_0.gguf");
    fs::create_symlink("../../blobs/dddd", dir.path() / hf / "snapshots/rev2/config-not-gguf.gguf");
    fs::create_symlink(dir.path() / "outside/stolen.gguf", dir.path() / hf / "snapshots/rev2/escape.gguf");
    // A sibling repository's blob is outside this repository's blobs/: refused too.
    dir.Write("hf/hub/models--other--repo/blobs/eeee", gguf);
    fs::create_directories(dir.path() / hf / "snapshots/rev2/sub");
    fs::create_symlink("../../../../models--other--repo/blobs/eeee", dir.path() / hf / "snapshots/rev2/sub/cross.gguf");

    // Ollama: a library model, a user namespace model, and a manifest whose digest climbs out.
    fs::create_directories(dir.path() / "ollama/blobs");
    fs::copy_file(testing::StoriesModel(), dir.path() / ("ollama/blobs/sha256-" + kDigest));
    const std::string manifest =
        R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",)"
        R"("config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:0000","size":2},)"
        R"("layers":[{"mediaType":"application/vnd.ollama.image.template","digest":"sha256:1111","size":3},)"
        R"({"mediaType":"application/vnd.ollama.image.model","digest":"sha256:)" + kDigest + R"(","size":1}]})";
    dir.Write("ollama/manifests/registry.ollama.ai/library/tiny/latest", manifest);
    dir.Write("ollama/manifests/registry.ollama.ai/library/tiny/q8", manifest);
    dir.Write("ollama/manifests/registry.ollama.ai/someone/story/v1", manifest);
    dir.Write("ollama/manifests/registry.ollama.ai/library/evil/latest",
              R"({"layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:../../../outside/stolen.gguf"}]})");
    dir.Write("ollama/manifests/registry.ollama.ai/library/broken/latest", "not json");

    // LM Studio: a model, split shards, a text file named .gguf, a projector, a link out of the store.
    dir.Write("lms/lmstudio-community/Coder-GGUF/Coder-Q4_K_M.gguf", gguf + "coder");
    dir.Write("lms/lmstudio-community/Coder-GGUF/mmproj-Coder-F16.gguf", gguf);
    dir.Write("lms/acme/Big-GGUF/Big-00001-of-00002.gguf", gguf + "1");
    dir.Write("lms/acme/Big-GGUF/Big-00002-of-00002.gguf", gguf + "22");
    dir.Write("lms/acme/Fake-GGUF/fake.gguf", "this is a README, not a model");
    fs::create_directories(dir.path() / "lms/acme/Link-GGUF");
    fs::create_symlink(dir.path() / "outside/stolen.gguf", dir.path() / "lms/acme/Link-GGUF/stolen.gguf");

    roots.huggingface = dir.path() / "hf/hub";
    roots.ollama = dir.path() / "ollama";
    roots.lmstudio = {dir.path() / "lms", dir.path() / "no-such-folder"};
  }

  std::map<std::string, std::string> Names(const std::vector<OtherModel>& models) {
    std::map<std::string, std::string> out;
    for (const auto& m : models) out[m.name] = m.source;
    return out;
  }

  testing::TempDir dir{"stores"};
  StoreRoots roots;
};

TEST_F(OtherStoresTest, ListsOnlyRealGgufFilesInsideEachStore) {
  std::vector<OtherModel> models = ListOtherModels(roots);
  std::map<std::string, std::string> expected = {
      {"acme/tiny-GGUF/tiny-F32.gguf", "huggingface"},
      {"acme/tiny-GGUF/tiny-Q8_0.gguf", "huggingface"},
      {"ollama:tiny:latest", "ollama"},
      {"ollama:tiny:q8", "ollama"},
      {"ollama:someone/story:v1", "ollama"},
      {"acme/Big-GGUF/Big-00001-of-00002.gguf", "lmstudio"},
      {"lmstudio-community/Coder-GGUF/Coder-Q4_K_M.gguf", "lmstudio"},
  };
  EXPECT_EQ(Names(models), expected);
  // Sorted by source, then name.
  ASSERT_EQ(models.size(), expected.size());
  EXPECT_EQ(models.front().source, "huggingface");
  EXPECT_EQ(models.back().name, "lmstudio-community/Coder-GGUF/Coder-Q4_K_M.gguf");
}

TEST_F(OtherStoresTest, HuggingFacePrefersTheRevisionRefsMainNames) {
  for (const auto& m : ListOtherModels(roots)) {
    if (m.name != "acme/tiny-GGUF/tiny-F32.gguf") continue;
    EXPECT_EQ(m.path, dir.path() / "hf/hub/models--acme--tiny-GGUF/snapshots/rev2/tiny-F32.gguf");
    EXPECT_EQ(m.bytes, 67u);  // the blob's size, not the link's
    return;
  }
  FAIL() << "tiny-F32 not listed";
}

TEST_F(OtherStoresTest, OllamaPointsAtTheModelLayerBlobAndSplitModelsAreOneEntry) {
  for (const auto& m : ListOtherModels(roots)) {
    if (m.name == "ollama:tiny:latest") {
      EXPECT_EQ(m.path, dir.path() / ("ollama/blobs/sha256-" + kDigest));
      EXPECT_EQ(m.bytes, fs::file_size(testing::StoriesModel()));
    }
    if (m.name == "acme/Big-GGUF/Big-00001-of-00002.gguf") {
      EXPECT_EQ(m.bytes, 65u + 66u);
    }
  }
}

TEST_F(OtherStoresTest, FindsWhatMinusMNames) {
  auto models = ListOtherModels(roots);
  const fs::path blob = dir.path() / ("ollama/blobs/sha256-" + kDigest);
  EXPECT_EQ(FindOtherModel(models, "ollama:tiny:latest"), blob);
  EXPECT_EQ(FindOtherModel(models, "ollama:tiny"), blob);  // the latest tag, as Ollama reads it
  EXPECT_EQ(FindOtherModel(models, "ollama:someone/story"), blob);  // the only tag
  EXPECT_EQ(FindOtherModel(models, "acme/tiny-GGUF/tiny-Q8_0.gguf"),
            dir.path() / "hf/hub/models--acme--tiny-GGUF/snapshots/rev2/tiny-Q8_0.gguf");
  EXPECT_EQ(FindOtherModel(models, "acme/tiny-GGUF/tiny-Q8_0"),
            dir.path() / "hf/hub/models--acme--tiny-GGUF/snapshots/rev2/tiny-Q8_0.gguf");
  EXPECT_EQ(FindOtherModel(models, "lmstudio-community/Coder-GGUF"),
            dir.path() / "lms/lmstudio-community/Coder-GGUF/Coder-Q4_K_M.gguf");  // one model in the repo
  EXPECT_EQ(FindOtherModel(models, "lmstudio:acme/Big-GGUF"), dir.path() / "lms/acme/Big-GGUF/Big-00001-of-00002.gguf");
  EXPECT_FALSE(FindOtherModel(models, "hf:acme/Big-GGUF"));  // that one is LM Studio's
  EXPECT_FALSE(FindOtherModel(models, "ollama:nothing"));
  EXPECT_FALSE(FindOtherModel(models, "acme/nothing-GGUF"));
  EXPECT_FALSE(FindOtherModel(models, "tiny-F32.gguf"));  // a bare file name stays a path
  EXPECT_FALSE(FindOtherModel(models, "acme/tiny-GGUF/escape.gguf"));
  EXPECT_FALSE(FindOtherModel(models, "acme/Fake-GGUF/fake.gguf"));
}

TEST_F(OtherStoresTest, AnAmbiguousNameIsAUsageErrorListingTheChoices) {
  try {
    FindOtherModel(ListOtherModels(roots), "acme/tiny-GGUF");
    FAIL() << "a repository with two quantisations is ambiguous";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_EQ(std::string(e.what()), "-m acme/tiny-GGUF matches 2 GGUF files; give one of: "
                                     "acme/tiny-GGUF/tiny-F32.gguf, acme/tiny-GGUF/tiny-Q8_0.gguf");
  }
  // Without a latest tag, an untagged Ollama name means its tags: one is taken, two are choices.
  fs::remove(dir.path() / "ollama/manifests/registry.ollama.ai/library/tiny/latest");
  EXPECT_EQ(FindOtherModel(ListOtherModels(roots), "ollama:tiny"), dir.path() / ("ollama/blobs/sha256-" + kDigest));
  fs::copy_file(dir.path() / "ollama/manifests/registry.ollama.ai/library/tiny/q8",
                dir.path() / "ollama/manifests/registry.ollama.ai/library/tiny/q4");
  try {
    FindOtherModel(ListOtherModels(roots), "ollama:tiny");
    FAIL() << "two tags and no latest are two choices";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_EQ(std::string(e.what()), "-m ollama:tiny matches 2 GGUF files; give one of: ollama:tiny:q4, ollama:tiny:q8");
  }
}

TEST_F(OtherStoresTest, TheSameNameInTwoStoresIsListedWithTheStoreToPick) {
  dir.Write("lms/acme/tiny-GGUF/tiny-Q8_0.gguf", "GGUF-lmstudio-copy");
  try {
    FindOtherModel(ListOtherModels(roots), "acme/tiny-GGUF/tiny-Q8_0.gguf");
    FAIL() << "two stores hold that name";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("hf:acme/tiny-GGUF/tiny-Q8_0.gguf, lmstudio:acme/tiny-GGUF/tiny-Q8_0.gguf"),
              std::string::npos) << e.what();
  }
  EXPECT_EQ(FindOtherModel(ListOtherModels(roots), "lmstudio:acme/tiny-GGUF/tiny-Q8_0.gguf"),
            dir.path() / "lms/acme/tiny-GGUF/tiny-Q8_0.gguf");
}

TEST_F(OtherStoresTest, ListingChangesNothingInTheStores) {
  const auto before = Snapshot(dir.path());
  auto models = ListOtherModels(roots);
  ASSERT_FALSE(models.empty());
  for (const std::string what : {"ollama:tiny", "acme/tiny-GGUF/tiny-F32", "lmstudio-community/Coder-GGUF"}) {
    EXPECT_TRUE(FindOtherModel(models, what)) << what;
  }
  EXPECT_EQ(Snapshot(dir.path()), before);
}

TEST(StoreRootsTest, FollowsEachToolsEnvironment) {
  std::map<std::string, std::string> saved;
  for (const char* v : {"HF_HUB_CACHE", "HF_HOME", "OLLAMA_MODELS", "HOME"}) {
    if (const char* s = std::getenv(v)) saved[v] = s;
  }
  ::setenv("HOME", "/h", 1);
  ::unsetenv("HF_HUB_CACHE");
  ::unsetenv("HF_HOME");
  ::unsetenv("OLLAMA_MODELS");
  StoreRoots r = StoreRootsFromEnv();
  EXPECT_EQ(r.huggingface, fs::path("/h/.cache/huggingface/hub"));
  EXPECT_EQ(r.ollama, fs::path("/h/.ollama/models"));
  EXPECT_EQ(r.lmstudio, (std::vector<fs::path>{"/h/.lmstudio/models", "/h/.cache/lm-studio/models"}));
  ::setenv("HF_HOME", "/hf", 1);
  EXPECT_EQ(StoreRootsFromEnv().huggingface, fs::path("/hf/hub"));
  ::setenv("HF_HUB_CACHE", "/cache", 1);
  ::setenv("OLLAMA_MODELS", "/o", 1);
  EXPECT_EQ(StoreRootsFromEnv().huggingface, fs::path("/cache"));
  EXPECT_EQ(StoreRootsFromEnv().ollama, fs::path("/o"));
  for (const char* v : {"HF_HUB_CACHE", "HF_HOME", "OLLAMA_MODELS", "HOME"}) {
    if (saved.count(v)) {
      ::setenv(v, saved[v].c_str(), 1);
    } else {
      ::unsetenv(v);
    }
  }
}

// --- through the built binary ---------------------------------------------------------------------

std::map<std::string, std::string> StoreEnv(const testing::TempDir& dir) {
  return {{"HF_HUB_CACHE", (dir.path() / "hf/hub").string()},
          {"OLLAMA_MODELS", (dir.path() / "ollama").string()},
          {"HOME", (dir.path() / "home").string()}};
}

TEST_F(OtherStoresTest, ModelsListShowsOtherStoresInJsonAndText) {
  // LM Studio is found under $HOME.
  fs::create_directories(dir.path() / "home/.lmstudio");
  fs::create_directory_symlink(dir.path() / "lms", dir.path() / "home/.lmstudio/models");
  const auto before = Snapshot(dir.path());
  auto r = testing::RunScaleWith({"models", "list", "--json"}, StoreEnv(dir));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j["other_models"].is_array());
  std::map<std::string, std::string> got;
  for (const auto& m : j["other_models"]) got[m["name"].get<std::string>()] = m["source"].get<std::string>();
  EXPECT_EQ(got.at("ollama:tiny:latest"), "ollama");
  EXPECT_EQ(got.at("acme/tiny-GGUF/tiny-Q8_0.gguf"), "huggingface");
  EXPECT_EQ(got.at("lmstudio-community/Coder-GGUF/Coder-Q4_K_M.gguf"), "lmstudio");
  EXPECT_EQ(got.size(), 7u);

  auto text = testing::RunScaleWith({"models", "list"}, StoreEnv(dir));
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Models from other tools"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("ollama:someone/story:v1"), std::string::npos) << text.out;
  EXPECT_EQ(Snapshot(dir.path()), before);
}

TEST_F(OtherStoresTest, ModelsPathResolvesOtherStoresAndAmbiguityIsExit2) {
  auto r = testing::RunScaleWith({"models", "path", "ollama:tiny"}, StoreEnv(dir));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, (dir.path() / ("ollama/blobs/sha256-" + kDigest)).string() + "\n");
  auto amb = testing::RunScaleWith({"models", "path", "acme/tiny-GGUF"}, StoreEnv(dir));
  EXPECT_EQ(amb.exit_code, kExitUsage) << amb.err;
  EXPECT_NE(amb.err.find("acme/tiny-GGUF/tiny-F32.gguf, acme/tiny-GGUF/tiny-Q8_0.gguf"), std::string::npos) << amb.err;
  auto none = testing::RunScaleWith({"models", "path", "ollama:absent"}, StoreEnv(dir));
  EXPECT_EQ(none.exit_code, kExitModel) << none.err;
}

// Needs cli/model_options.cc to pass -m through ResolveModelArgument (see docs/models.md).
TEST_F(OtherStoresTest, GenerateRunsAnOllamaModelInPlace) {
  const auto before = Snapshot(dir.path());
  const std::vector<std::string> tail = {"-t", "1", "--format", "raw", "--max-tokens", "4", "Once"};
  std::vector<std::string> by_name = {"generate", "-m", "ollama:tiny:latest"};
  by_name.insert(by_name.end(), tail.begin(), tail.end());
  std::vector<std::string> by_path = {"generate", "-m", (dir.path() / ("ollama/blobs/sha256-" + kDigest)).string()};
  by_path.insert(by_path.end(), tail.begin(), tail.end());
  auto r = testing::RunScaleWith(by_name, StoreEnv(dir));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(r.out.empty());
  // Greedy decoding: the same model file gives the same bytes, so the name reached that blob.
  EXPECT_EQ(r.out, testing::RunScaleWith(by_path, StoreEnv(dir)).out);
  EXPECT_EQ(Snapshot(dir.path()), before);
  auto missing = testing::RunScaleWith({"generate", "-m", "ollama:absent", "--max-tokens", "1", "x"}, StoreEnv(dir));
  EXPECT_EQ(missing.exit_code, kExitModel) << missing.err;
}

}  // namespace
}  // namespace scale::models
