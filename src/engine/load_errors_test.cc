// Every broken model file gets its own one-line error and kExitModel from LlamaEngine::Load,
// through the real llama.cpp (nothing reaches llama.cpp that would make it abort).
#include <gtest/gtest.h>

#include <filesystem>

#include "engine/gguf_check.h"
#include "engine/llama_engine.h"
#include "gguf.h"
#include "testing/read_all.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/error.h"

namespace scale::engine {
namespace {

namespace fs = std::filesystem;

// The Error Load throws for `path` (fails the test if it loads or throws something else).
Error LoadError(const std::string& path, EngineParams params = {}) {
  params.model_path = path;
  try {
    LlamaEngine::Load(params);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "loading " << path << " did not fail";
  return Error(0, "");
}

void ExpectModelError(const std::string& path, const std::string& expected, EngineParams params = {}) {
  Error e = LoadError(path, params);
  EXPECT_EQ(e.exit_code(), kExitModel) << e.what();
  EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
  EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << "not one line: " << e.what();
}

using scale::testing::ReadAll;

// Found by fuzz_gguf: shape values of 2^31 or more wrapped to negative ints (and negative memory
// arithmetic). The reproducers live in the fuzz corpus, so every smoke run replays them too.
TEST(LoadErrorsTest, ImplausibleShapeValuesAreRefused) {
  for (std::string name : {"regress-block-count-wraps-negative.gguf", "regress-embedding-length-wraps-negative.gguf"}) {
    std::string path = std::string(SCALE_SOURCE_DIR) + "/fuzz/corpus/gguf/" + name;
    try {
      InspectModelFile(path);
      ADD_FAILURE() << name << " accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.exit_code(), kExitModel);
      EXPECT_NE(std::string(e.what()).find("implausible"), std::string::npos) << e.what();
    }
  }
}

TEST(LoadErrorsTest, MissingFile) {
  ExpectModelError("/nonexistent/model.gguf", "file not found");
}

TEST(LoadErrorsTest, Directory) {
  testing::TempDir dir;
  ExpectModelError(dir.path().string(), "is a directory");
}

TEST(LoadErrorsTest, EmptyFile) {
  testing::TempDir dir;
  ExpectModelError(dir.Write("empty.gguf", ""), "empty");
}

TEST(LoadErrorsTest, RandomBytesAreNotGguf) {
  testing::TempDir dir;
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk.push_back(static_cast<char>((i * 7919 + 13) % 251));
  ExpectModelError(dir.Write("junk.gguf", junk), "not a GGUF file");
}

TEST(LoadErrorsTest, GarbageAfterMagicIsCorrupt) {
  testing::TempDir dir;
  ExpectModelError(dir.Write("bad.gguf", "GGUF" + std::string(64, '\xff')), "corrupt or truncated GGUF header");
}

TEST(LoadErrorsTest, TruncatedToHalf) {
  testing::TempDir dir;
  std::string whole = ReadAll(testing::StoriesModel());
  ASSERT_GT(whole.size(), 100000u);
  ExpectModelError(dir.Write("half.gguf", whole.substr(0, whole.size() / 2)), "truncated");
}

TEST(LoadErrorsTest, UnknownArchitectureIsNamed) {
  testing::TempDir dir;
  const std::string path = dir.file("nosucharch.gguf");
  gguf_context* ctx = gguf_init_empty();
  gguf_set_val_str(ctx, "general.architecture", "nosucharch");
  gguf_set_val_u32(ctx, "nosucharch.block_count", 1);
  ASSERT_TRUE(gguf_write_to_file(ctx, path.c_str(), false));
  gguf_free(ctx);
  ExpectModelError(path, "architecture 'nosucharch' is not supported");
}

TEST(LoadErrorsTest, TooLittleMemoryIsRefusedBeforeLoading) {
  EngineParams params;
  params.ctx_size = 1 << 30;  // a KV cache of about a terabyte for this model
  ExpectModelError(testing::StoriesModel(), "not enough memory", params);
}

TEST(LoadErrorsTest, InspectReadsTheShape) {
  GgufInfo info = InspectModelFile(testing::StoriesModel());
  EXPECT_EQ(info.architecture, "llama");
  EXPECT_EQ(info.file_size, fs::file_size(testing::StoriesModel()));
  EXPECT_GT(info.n_layer, 0);
  EXPECT_GT(info.n_head_kv, 0);
  EXPECT_GT(info.n_ctx_train, 0);
  EXPECT_EQ(KvCacheBytes(info, 10), 10u * info.n_layer * info.n_head_kv * (info.head_dim_k + info.head_dim_v) * 2);
}

TEST(LoadErrorsTest, KvElementBytesPerCacheType) {
  EXPECT_EQ(KvElementBytes(128, KvCacheType::kF16), 256u);
  EXPECT_EQ(KvElementBytes(128, KvCacheType::kQ8_0), 4u * 34);
  EXPECT_EQ(KvElementBytes(128, KvCacheType::kQ4_0), 4u * 18);
  EXPECT_EQ(KvElementBytes(40, KvCacheType::kQ8_0), 2u * 34);  // a partial block still takes a whole one
  // Unknown spellings are refused where text becomes the enum (settings/, kv_cache_type_test.cc).
  EXPECT_FALSE(ParseKvCacheType("q5_1").has_value());
  EXPECT_EQ(KvElementBytes(1, KvCacheType::kQ4_0), 18u);
  EXPECT_EQ(KvElementBytes(1, KvCacheType::kF16), 2u);
}

}  // namespace
}  // namespace scale::engine
