#include "models/catalogue.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

#include "models/hub.h"
#include "testing/temp_dir.h"

namespace scale::models {
namespace {

TEST(Catalogue, HasTheRecommendedModelsWithConsistentShapes) {
  std::set<std::string> ids;
  for (const auto& e : Catalogue()) {
    EXPECT_TRUE(ids.insert(e.id).second) << "duplicate id " << e.id;
    EXPECT_NO_THROW(ValidateRepoId(e.repo)) << e.id;
    EXPECT_TRUE(GlobMatch("*.gguf", e.include)) << e.id;
    EXPECT_EQ(e.n_head % e.n_head_kv, 0u) << e.id;  // grouped-query attention divides evenly
    EXPECT_GT(e.context_length, 2048u) << e.id;
    EXPECT_GT(e.file_bytes, uint64_t(e.params_b * 0.5e9)) << e.id;  // >= 4 bits per weight
  }
  for (const char* id : {"qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b", "qwen2.5-coder-7b", "smollm2-135m", "smollm2-360m",
                         "smollm2-1.7b", "deepseek-coder-1.3b", "llama-3.2-1b", "llama-3.2-3b", "phi-3-mini-4k"}) {
    EXPECT_TRUE(ids.count(id)) << id;
  }
  EXPECT_EQ(DefaultCatalogueEntry().id, "qwen2.5-coder-0.5b");
  EXPECT_EQ(FindCatalogueEntry("Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF"), &DefaultCatalogueEntry());
  EXPECT_EQ(FindCatalogueEntry("QWEN2.5-CODER-0.5B"), &DefaultCatalogueEntry());
  EXPECT_EQ(FindCatalogueEntry("nope"), nullptr);
}

TEST(Catalogue, MemoryArithmeticFollowsTheKvFormula) {
  const CatalogueEntry& e = DefaultCatalogueEntry();  // 24 layers, 2 KV heads of 64
  MemoryEstimate m = EstimateMemory(e, 4096, 1, 512);
  const uint64_t stream = 2ull * 24 * 4096 * 2 * 64 * 2;  // 48 MiB: one sequence's KV stream
  EXPECT_EQ(m.kv_cache, stream * (1 + 2));                 // the slot and the 2 spare sequences
  EXPECT_EQ(m.weights, e.file_bytes);
  EXPECT_EQ(EstimateMemory(e, 4096, 4, 512).kv_cache, stream * (4 + 2));  // per sequence
  EXPECT_EQ(EstimateMemory(e, 8192, 1, 512).kv_cache, 2 * m.kv_cache);
  EXPECT_GT(EstimateMemory(e, 4096, 1, 512).compute, EstimateMemory(e, 4096, 1, 128).compute);
  EXPECT_EQ(m.total(), m.weights + m.kv_cache + m.compute + m.overhead);
}

TEST(Catalogue, DefaultModelPathUsesTheCacheAndExplainsWhenMissing) {
  testing::TempDir home;
  setenv("SCALE_HOME", home.path().c_str(), 1);
  EXPECT_FALSE(DefaultModelPath());
  EXPECT_NE(MissingDefaultModelMessage().find("scale models pull --default"), std::string::npos);
  std::string file = home.Write("models/" + DefaultCatalogueEntry().repo + "/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf", "m");
  ASSERT_TRUE(DefaultModelPath());
  EXPECT_EQ(*DefaultModelPath(), file);
  unsetenv("SCALE_HOME");
}

}  // namespace
}  // namespace scale::models
