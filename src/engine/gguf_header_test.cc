// GGUF header reading on real files: the team's trained stories260K and a generated tiny model.
#include "engine/gguf_header.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "engine/gguf_check.h"
#include "gguf.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/error.h"
#include "util/fs.h"

namespace scale::engine {
namespace {
namespace fs = std::filesystem;

TEST(GgufHeaderTest, ReadsStories260KWithoutLoadingWeights) {
  GgufHeader info = ReadGgufHeader(testing::StoriesModel());
  EXPECT_EQ(info.architecture, "llama");
  EXPECT_EQ(info.context_length, 2048u);  // ../shared/models/README.md
  EXPECT_EQ(info.n_layer, 5u);
  EXPECT_EQ(info.n_embd, 64u);
  EXPECT_EQ(info.vocab_size, 512u);
  EXPECT_EQ(info.quant, "F32");
  EXPECT_EQ(info.tensor_types.size(), 1u);
  EXPECT_EQ(info.tensor_types.begin()->first, "f32");
  EXPECT_EQ(info.n_params, 292800u);
  EXPECT_TRUE(info.chat_template.empty());  // a base model
  EXPECT_EQ(info.tokenizer, "llama");
  EXPECT_EQ(info.KvBytesPerToken(), 2ull * 5 * info.n_head_kv * info.head_dim * 2);
  EXPECT_EQ(info.file_bytes, fs::file_size(testing::StoriesModel()));
  nlohmann::json j = info.ToJson();
  EXPECT_EQ(j["architecture"], "llama");
  EXPECT_EQ(j["chat_template"], false);
}

TEST(GgufHeaderTest, TinyChatModelHasTemplateAndQwenTokenizer) {
  GgufHeader info = ReadGgufHeader(testing::TinyChatModel());
  EXPECT_EQ(info.architecture, "qwen2");
  EXPECT_FALSE(info.chat_template.empty());
  EXPECT_EQ(info.tokenizer, "gpt2");
  EXPECT_GT(info.vocab_size, 100000u);
  EXPECT_GT(info.n_params, 0u);
  GgufHeader q8 = ReadGgufHeader(testing::TinyQ8Model());
  EXPECT_EQ(q8.quant, "Q8_0");
  EXPECT_TRUE(q8.tensor_types.count("q8_0"));
}

TEST(GgufHeaderTest, BadFilesAreModelErrors) {
  testing::TempDir dir;
  auto code = [](const std::string& p) {
    try {
      ReadGgufHeader(p);
    } catch (const Error& e) {
      return e.exit_code();
    }
    return 0;
  };
  EXPECT_EQ(code(dir.file("missing.gguf")), kExitModel);
  EXPECT_EQ(code(dir.Write("text.gguf", "hello, not a model")), kExitModel);
  std::string real = ReadFile(testing::StoriesModel());
  EXPECT_EQ(code(dir.Write("cut.gguf", real.substr(0, 200))), kExitModel);
  // A split model with a missing shard names the shard.
  dir.Write("m-00001-of-00002.gguf", real);
  try {
    ReadGgufHeader(dir.file("m-00001-of-00002.gguf"));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("m-00002-of-00002.gguf"), std::string::npos) << e.what();
  }
}

TEST(GgufHeaderTest, NamesAndFormatting) {
  std::string stem;
  int shard = 0, count = 0;
  EXPECT_TRUE(ParseSplitName("Qwen-7B-q4_k_m-00002-of-00003.gguf", &stem, &shard, &count));
  EXPECT_EQ(stem, "Qwen-7B-q4_k_m");
  EXPECT_EQ(shard, 2);
  EXPECT_EQ(count, 3);
  EXPECT_FALSE(ParseSplitName("model.gguf", &stem, &shard, &count));
  EXPECT_EQ(FileTypeName(15), "Q4_K_M");
  EXPECT_EQ(FileTypeName(7), "Q8_0");
  EXPECT_EQ(FileTypeName(999), "");
  EXPECT_EQ(FormatParams(494032768), "494M");
  EXPECT_EQ(FormatParams(1543714304), "1.54B");
}

// Hybrid models store KV heads per layer (0 for a recurrent layer): `scale models info` and the
// engine read the same header the same way, so they report the same heads and KV cache.
TEST(GgufHeaderTest, AgreesWithTheEngineOnPerLayerHeadCounts) {
  testing::TempDir dir;
  gguf_context* g = gguf_init_empty();
  gguf_set_val_str(g, "general.architecture", "hyb");
  gguf_set_val_u32(g, "hyb.block_count", 3);
  gguf_set_val_u32(g, "hyb.embedding_length", 128);
  gguf_set_val_u32(g, "hyb.attention.head_count", 4);
  const uint32_t kv[3] = {0, 2, 4};
  gguf_set_arr_data(g, "hyb.attention.head_count_kv", GGUF_TYPE_UINT32, kv, 3);
  const std::string path = dir.file("hybrid.gguf");
  ASSERT_TRUE(gguf_write_to_file(g, path.c_str(), false));
  gguf_free(g);
  GgufHeader info = ReadGgufHeader(path);
  GgufInfo engine_info = InspectModelFile(path);
  EXPECT_EQ(info.n_head_kv, 4u);  // the largest layer, not the first one
  EXPECT_EQ(int(info.n_head_kv), engine_info.n_head_kv);
  EXPECT_EQ(info.head_dim, 32u);
  EXPECT_EQ(info.shape.layer_head_kv, engine_info.layer_head_kv);
  EXPECT_EQ(info.KvBytesPerToken(), KvCacheBytes(engine_info, 1));
  EXPECT_EQ(info.KvBytesPerToken(), (0u + 2u + 4u) * 32 * 2 * 2);  // K and V, 2 bytes each, per layer's heads
}

}  // namespace
}  // namespace scale::engine
