// GGUF header reading on real files: the team's trained stories260K and a generated tiny model.
#include "models/gguf_info.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/error.h"
#include "util/fs.h"

namespace scale::models {
namespace {
namespace fs = std::filesystem;

TEST(GgufInfo, ReadsStories260KWithoutLoadingWeights) {
  GgufInfo info = ReadGgufInfo(testing::StoriesModel());
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

TEST(GgufInfo, TinyChatModelHasTemplateAndQwenTokenizer) {
  GgufInfo info = ReadGgufInfo(testing::TinyChatModel());
  EXPECT_EQ(info.architecture, "qwen2");
  EXPECT_FALSE(info.chat_template.empty());
  EXPECT_EQ(info.tokenizer, "gpt2");
  EXPECT_GT(info.vocab_size, 100000u);
  EXPECT_GT(info.n_params, 0u);
  GgufInfo q8 = ReadGgufInfo(testing::TinyQ8Model());
  EXPECT_EQ(q8.quant, "Q8_0");
  EXPECT_TRUE(q8.tensor_types.count("q8_0"));
}

TEST(GgufInfo, BadFilesAreModelErrors) {
  testing::TempDir dir;
  auto code = [](const std::string& p) {
    try {
      ReadGgufInfo(p);
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
    ReadGgufInfo(dir.file("m-00001-of-00002.gguf"));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("m-00002-of-00002.gguf"), std::string::npos) << e.what();
  }
}

TEST(GgufInfo, NamesAndFormatting) {
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

}  // namespace
}  // namespace scale::models
