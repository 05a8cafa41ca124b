// Generated models through REAL llama.cpp: they load, report the shape we wrote, carry the
// vocab's tokenizer and a chat template, and decode deterministically in every weight type.
#include "testmodel/gguf_writer.h"

#include <gtest/gtest.h>
#include <gguf.h>

#include <filesystem>

#include "testing/llama_probe.h"
#include "testing/read_all.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/error.h"

namespace scale::testmodel {
namespace {

using scale::testing::GreedyTokens;
using scale::testing::LoadModelQuietly;
using scale::testing::ReadAll;
using scale::testing::Reshaped;
using scale::testing::TempDir;

// Writes `spec` into dir and checks it loads with exactly the shape asked for.
void ExpectLoadsAndDecodes(const ModelSpec& spec, const std::string& path) {
  WriteRandomModel(spec, path);
  auto model = LoadModelQuietly(path);
  ASSERT_NE(model, nullptr) << path;
  const int n_vocab = VocabSize(spec.vocab_path);
  EXPECT_EQ(llama_model_n_params(model.get()), ParameterCount(spec, n_vocab));
  EXPECT_EQ(llama_vocab_n_tokens(llama_model_get_vocab(model.get())), n_vocab);
  EXPECT_EQ(llama_model_n_layer(model.get()), spec.n_layer);
  EXPECT_EQ(llama_model_n_embd(model.get()), spec.n_embd);
  EXPECT_EQ(llama_model_n_head(model.get()), spec.n_head);
  EXPECT_EQ(llama_model_n_head_kv(model.get()), spec.n_head_kv);
  const auto tokens = GreedyTokens(model.get(), "def add(a, b):", 4);
  ASSERT_EQ(tokens.size(), 4u) << "decode failed";
  EXPECT_EQ(tokens, GreedyTokens(model.get(), "def add(a, b):", 4)) << "greedy decoding is deterministic";
}

TEST(GgufWriter, TinyChatModelLoadsInLlamaCpp) {
  const std::string path = scale::testing::TinyChatModel();
  auto model = LoadModelQuietly(path);
  ASSERT_NE(model, nullptr);
  const ModelSpec spec = PresetSpec("tiny");
  EXPECT_EQ(llama_model_n_params(model.get()), ParameterCount(spec, 151936));
  EXPECT_EQ(llama_vocab_n_tokens(llama_model_get_vocab(model.get())), 151936);
  EXPECT_EQ(llama_model_n_layer(model.get()), 2);
  EXPECT_EQ(llama_model_n_embd(model.get()), 64);
  const char* tmpl = llama_model_chat_template(model.get(), nullptr);
  ASSERT_NE(tmpl, nullptr);
  EXPECT_NE(std::string(tmpl).find("<|im_start|>"), std::string::npos);
  // The real Qwen2 tokenizer: ChatML markers are single special tokens.
  const llama_vocab* vocab = llama_model_get_vocab(model.get());
  llama_token tok[4];
  EXPECT_EQ(llama_tokenize(vocab, "<|im_start|>", 12, tok, 4, false, true), 1);
  EXPECT_EQ(tok[0], 151644);
}

TEST(GgufWriter, GreedyGenerationIsDeterministicAndNeverEndsEarly) {
  auto model = LoadModelQuietly(scale::testing::TinyChatModel());
  ASSERT_NE(model, nullptr);
  const auto a = GreedyTokens(model.get(), "<|im_start|>user\nhello<|im_end|>\n<|im_start|>assistant\n", 8);
  ASSERT_EQ(a.size(), 8u);
  EXPECT_EQ(a, GreedyTokens(model.get(), "<|im_start|>user\nhello<|im_end|>\n<|im_start|>assistant\n", 8));
  // Control tokens have zero embeddings, so a random model never picks EOS / <|im_end|>.
  const llama_vocab* vocab = llama_model_get_vocab(model.get());
  for (llama_token t : a) EXPECT_FALSE(llama_vocab_is_eog(vocab, t)) << t;
  // A different prompt leads somewhere else: the weights actually take part.
  EXPECT_NE(a, GreedyTokens(model.get(), "int main() { return 0; }", 8));
}

TEST(GgufWriter, QuantizedAndHalfTinyModelsLoadAndDecode) {
  TempDir dir("writer");
  for (WeightType t : {WeightType::kF16, WeightType::kQ8_0, WeightType::kQ4_0}) {
    SCOPED_TRACE(WeightTypeName(t));
    ExpectLoadsAndDecodes(PresetSpec("tiny", t), dir.file(std::string("tiny-") + WeightTypeName(t) + ".gguf"));
  }
}

TEST(GgufWriter, QuantizedFilesAreSmaller) {
  TempDir dir("writer");
  uint64_t previous = UINT64_MAX;
  for (WeightType t : {WeightType::kF32, WeightType::kF16, WeightType::kQ8_0, WeightType::kQ4_0}) {
    const std::string path = dir.file(std::string("m-") + WeightTypeName(t) + ".gguf");
    WriteRandomModel(PresetSpec("tiny", t), path);
    const uint64_t size = std::filesystem::file_size(path);
    EXPECT_LT(size, previous) << WeightTypeName(t);
    previous = size;
  }
}

TEST(GgufWriter, LlamaArchitectureWithLlama3VocabAndRopeFreqsLoads) {
  // The llama-3.2-1b preset's architecture, vocab, template and rope_freqs, in a tiny shape.
  ModelSpec s = Reshaped(PresetSpec("llama-3.2-1b", WeightType::kQ8_0),
                         {.n_layer = 1, .n_embd = 64, .n_head = 4, .n_head_kv = 2, .n_ff = 128});
  TempDir dir("writer");
  ExpectLoadsAndDecodes(s, dir.file("llama3-small.gguf"));
  auto model = LoadModelQuietly(dir.file("llama3-small.gguf"));
  ASSERT_NE(model, nullptr);
  EXPECT_NE(std::string(llama_model_chat_template(model.get(), nullptr)).find("<|start_header_id|>"), std::string::npos);
}

TEST(GgufWriter, SmolLmShapeWithStarcoderVocabAndUntiedOutputLoads) {
  ModelSpec s = Reshaped(PresetSpec("smollm2-135m", WeightType::kQ4_0),
                         {.n_layer = 2, .n_embd = 96, .n_head = 3, .n_head_kv = 1, .n_ff = 256});
  s.tied_embeddings = false;
  TempDir dir("writer");
  ExpectLoadsAndDecodes(s, dir.file("smol-small.gguf"));
}

TEST(GgufWriter, SameSeedGivesByteIdenticalFiles) {
  TempDir dir("writer");
  ModelSpec s = PresetSpec("tiny", WeightType::kQ4_0);
  s.seed = 42;
  WriteRandomModel(s, dir.file("a.gguf"));
  WriteRandomModel(s, dir.file("b.gguf"));
  s.seed = 43;
  WriteRandomModel(s, dir.file("c.gguf"));
  const std::string a = ReadAll(dir.file("a.gguf"));
  EXPECT_FALSE(a.empty());
  EXPECT_TRUE(a == ReadAll(dir.file("b.gguf")));
  EXPECT_FALSE(a == ReadAll(dir.file("c.gguf")));
}

TEST(GgufWriter, MetadataMarksRandomWeightsAndCopiesTokenizer) {
  gguf_init_params params = {true, nullptr};
  gguf_context* g = gguf_init_from_file(scale::testing::TinyChatModel().c_str(), params);
  ASSERT_NE(g, nullptr);
  const int64_t random = gguf_find_key(g, "scale.random_weights");
  ASSERT_GE(random, 0);
  EXPECT_TRUE(gguf_get_val_bool(g, random));
  EXPECT_STREQ(gguf_get_val_str(g, gguf_find_key(g, "tokenizer.ggml.pre")), "qwen2");
  EXPECT_EQ(gguf_get_arr_n(g, gguf_find_key(g, "tokenizer.ggml.merges")), 151387u);
  EXPECT_EQ(gguf_get_val_u32(g, gguf_find_key(g, "tokenizer.ggml.eos_token_id")), 151643u);
  EXPECT_GE(gguf_find_tensor(g, "blk.1.attn_k.bias"), 0);
  EXPECT_LT(gguf_find_tensor(g, "output.weight"), 0) << "tied embeddings";
  gguf_free(g);
}

TEST(GgufWriter, BadInputsGiveDistinctErrorsAndLeaveNoFile) {
  TempDir dir("writer");
  ModelSpec s = PresetSpec("tiny");
  s.vocab_path = dir.file("missing-vocab.gguf");
  try {
    WriteRandomModel(s, dir.file("out.gguf"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitModel);
  }
  try {
    WriteRandomModel(PresetSpec("tiny"), "/proc/scale-cannot-write-here/out.gguf");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitIo);
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "no partial or temp files left";
}

}  // namespace
}  // namespace scale::testmodel
