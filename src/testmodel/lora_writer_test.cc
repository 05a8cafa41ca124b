// LoRA adapters from WriteRandomLora through REAL llama.cpp: accepted by the base they were made
// for, rejected by a base of another shape or architecture, and they change the model's output.
#include <gtest/gtest.h>

#include "testing/llama_probe.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "testmodel/gguf_writer.h"
#include "util/error.h"

namespace scale::testmodel {
namespace {

using scale::testing::GreedyTokens;
using scale::testing::LoadModelQuietly;
using scale::testing::TempDir;

TEST(LoraWriter, AdapterLoadsAgainstItsBaseAndChangesOutput) {
  auto model = LoadModelQuietly(scale::testing::TinyChatModel());
  ASSERT_NE(model, nullptr);
  llama_adapter_lora* lora = llama_adapter_lora_init(model.get(), scale::testing::TinyLora().c_str());
  ASSERT_NE(lora, nullptr);
  char buf[64];
  ASSERT_GT(llama_adapter_meta_val_str(lora, "adapter.lora.alpha", buf, sizeof(buf)), 0);
  EXPECT_DOUBLE_EQ(std::stod(buf), 8.0);
  const std::string prompt = "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n";
  const auto with = GreedyTokens(model.get(), prompt, 6, lora);
  ASSERT_EQ(with.size(), 6u);
  EXPECT_EQ(with, GreedyTokens(model.get(), prompt, 6, lora)) << "deterministic with the adapter";
  EXPECT_NE(with, GreedyTokens(model.get(), prompt, 6)) << "the adapter takes part in decoding";
  llama_adapter_lora_free(lora);
}

TEST(LoraWriter, RejectedByADifferentlyShapedBase) {
  TempDir dir("lora");
  ModelSpec other = PresetSpec("tiny", WeightType::kQ8_0);
  other.n_embd = 96;
  other.n_head = 4;
  other.n_ff = 160;
  WriteRandomModel(other, dir.file("other.gguf"));
  auto model = LoadModelQuietly(dir.file("other.gguf"));
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(llama_adapter_lora_init(model.get(), scale::testing::TinyLora().c_str()), nullptr);
}

TEST(LoraWriter, RejectedByADifferentArchitecture) {
  auto stories = LoadModelQuietly(scale::testing::StoriesModel());  // llama, not qwen2
  ASSERT_NE(stories, nullptr);
  EXPECT_EQ(llama_adapter_lora_init(stories.get(), scale::testing::TinyLora().c_str()), nullptr);
}

TEST(LoraWriter, AdapterForALlamaBaseLoads) {
  // stories260K's shape as a spec: a LoRA written for it is accepted by the real trained model.
  ModelSpec s = scale::testing::Reshaped({}, {.n_layer = 5, .n_embd = 64, .n_head = 8, .n_head_kv = 4, .n_ff = 172});
  s.architecture = "llama";
  s.vocab_path = scale::testing::StoriesModel();
  TempDir dir("lora");
  WriteRandomLora(s, 2, 4.0f, dir.file("stories-lora.gguf"), 3);
  auto model = LoadModelQuietly(scale::testing::StoriesModel());
  ASSERT_NE(model, nullptr);
  llama_adapter_lora* lora = llama_adapter_lora_init(model.get(), dir.file("stories-lora.gguf").c_str());
  EXPECT_NE(lora, nullptr);
  if (lora) llama_adapter_lora_free(lora);
}

TEST(LoraWriter, BadRankIsAUsageError) {
  TempDir dir("lora");
  try {
    WriteRandomLora(PresetSpec("tiny"), 0, 8.0f, dir.file("x.gguf"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
  }
}

}  // namespace
}  // namespace scale::testmodel
