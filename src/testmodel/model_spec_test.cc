// Preset shapes and parameter counts against the real models' published numbers (computed from
// the spec; no multi-GB files are written).
#include "testmodel/model_spec.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace scale::testmodel {
namespace {

int PresetVocab(const std::string& name) { return VocabSize(PresetSpec(name).vocab_path); }

TEST(ModelSpec, PresetParameterCountsMatchRealModels) {
  // Counts from the real checkpoints (embeddings included once, as they are tied).
  EXPECT_EQ(ParameterCount(PresetSpec("qwen2.5-0.5b"), PresetVocab("qwen2.5-0.5b")), 494032768u);
  EXPECT_EQ(ParameterCount(PresetSpec("smollm2-135m"), PresetVocab("smollm2-135m")), 134515008u);
  EXPECT_EQ(ParameterCount(PresetSpec("smollm2-360m"), PresetVocab("smollm2-360m")), 361821120u);
  // 1,235,814,400 in the checkpoint + 32 rope_freqs factors that llama.cpp's converter adds.
  EXPECT_EQ(ParameterCount(PresetSpec("llama-3.2-1b"), PresetVocab("llama-3.2-1b")), 1235814400u + 32u);
}

TEST(ModelSpec, PresetVocabsHaveTheRealModelsSize) {
  EXPECT_EQ(PresetVocab("qwen2.5-0.5b"), 151936);
  EXPECT_EQ(PresetVocab("tiny"), 151936);
  EXPECT_EQ(PresetVocab("smollm2-135m"), 49152);
  EXPECT_EQ(PresetVocab("llama-3.2-1b"), 128256);
}

TEST(ModelSpec, PresetShapesAreTheConfigJsonValues) {
  ModelSpec q = PresetSpec("qwen2.5-0.5b");
  EXPECT_EQ(q.architecture, "qwen2");
  EXPECT_EQ(q.n_layer, 24);
  EXPECT_EQ(q.n_embd, 896);
  EXPECT_EQ(q.n_head, 14);
  EXPECT_EQ(q.n_head_kv, 2);
  EXPECT_EQ(q.n_ff, 4864);
  EXPECT_EQ(q.n_ctx_train, 32768);
  EXPECT_FLOAT_EQ(q.rope_theta, 1e6f);
  EXPECT_TRUE(q.qkv_bias);
  EXPECT_TRUE(q.tied_embeddings);
  ModelSpec l = PresetSpec("llama-3.2-1b");
  EXPECT_EQ(l.head_dim(), 64);
  EXPECT_FLOAT_EQ(l.rope_theta, 500000.0f);
  EXPECT_EQ(l.n_ctx_train, 131072);
  EXPECT_FALSE(l.qkv_bias);
}

TEST(ModelSpec, EveryPresetIsValidForEveryWeightType) {
  for (const std::string& name : PresetNames()) {
    for (WeightType t : {WeightType::kF32, WeightType::kF16, WeightType::kQ8_0, WeightType::kQ4_0}) {
      EXPECT_NO_THROW(ValidateSpec(PresetSpec(name, t))) << name << " " << WeightTypeName(t);
    }
  }
}

TEST(ModelSpec, TensorBytesScaleWithWeightType) {
  ModelSpec s = PresetSpec("qwen2.5-0.5b", WeightType::kQ4_0);
  const int n_vocab = 151936;
  const uint64_t q4 = TensorBytes(s, n_vocab);
  s.type = WeightType::kF16;
  const uint64_t f16 = TensorBytes(s, n_vocab);
  // Q4_0 is 18 bytes per 32 weights vs 64 for F16; norms and biases stay F32 in both.
  EXPECT_GT(f16, q4 * 3);
  EXPECT_LT(f16, q4 * 4);
}

TEST(ModelSpec, RejectsBadShapesWithUsageError) {
  ModelSpec s = PresetSpec("tiny");
  s.n_head = 5;  // 64 % 5 != 0
  try {
    ValidateSpec(s);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_NE(std::string(e.what()).find("n_head"), std::string::npos);
  }
  ModelSpec q = PresetSpec("tiny", WeightType::kQ4_0);
  q.n_embd = 48;
  q.n_head = 4;
  EXPECT_THROW(ValidateSpec(q), Error);
  ModelSpec b = PresetSpec("smollm2-135m");
  b.qkv_bias = true;  // llama arch here: biases are a qwen2 feature
  EXPECT_THROW(ValidateSpec(b), Error);
}

TEST(ModelSpec, UnknownPresetAndTypeAreUsageErrors) {
  try {
    PresetSpec("gpt-5");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_NE(std::string(e.what()).find("qwen2.5-0.5b"), std::string::npos) << "lists the known presets";
  }
  EXPECT_EQ(ParseWeightType("q4_0"), WeightType::kQ4_0);
  EXPECT_STREQ(WeightTypeName(ParseWeightType("f16")), "f16");
  EXPECT_THROW(ParseWeightType("q5_k"), Error);
}

TEST(ModelSpec, MissingVocabIsAModelError) {
  try {
    VocabSize("/nonexistent/vocab.gguf");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitModel);
  }
}

}  // namespace
}  // namespace scale::testmodel
