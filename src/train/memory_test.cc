// The training memory arithmetic: each term follows its formula (recomputed here term by term
// from the shape), scales the way the formula says, and the shape is read from real GGUF headers.
#include "train/memory.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/error.h"

namespace scale::train {
namespace {

ModelShape Small() {
  ModelShape s;
  s.architecture = "llama";
  s.n_layer = 2;
  s.n_embd = 64;
  s.n_head = 8;
  s.n_head_kv = 4;
  s.n_ff = 172;
  s.n_vocab = 512;
  s.weight_bytes = 123456;
  return s;
}

TrainOptions Options(int rank, int ctx, std::vector<Module> modules) {
  TrainOptions o;
  o.lora.rank = rank;
  o.lora.modules = std::move(modules);
  o.ctx = ctx;
  return o;
}

TEST(TrainMemory, EachTermFollowsItsFormula) {
  const ModelShape s = Small();
  const TrainOptions o = Options(4, 32, {Module::kQ, Module::kK, Module::kV, Module::kO});
  MemoryEstimate m = EstimateMemory(s, o);
  // kv_dim = 64 * 4 / 8 = 32. q and o: 64 -> 64; k and v: 64 -> 32.
  const uint64_t params_per_layer = 4 * (64 + 64) * 2 + 4 * (64 + 32) * 2;
  EXPECT_EQ(AdapterParams(s, o.lora), params_per_layer * 2);
  EXPECT_EQ(m.weights, 123456u);
  EXPECT_EQ(m.adapter, params_per_layer * 2 * 4 * 4);
  const uint64_t per_layer_token = (6 * 64 + 4 * 32 + 3 * 172) * 4 + 2 * 8 * 32 * 4;
  EXPECT_EQ(m.activations, 1 * 2 * 32 * per_layer_token);
  EXPECT_EQ(m.logits, 32u * 512 * 4 * 3);
  // 123456 bytes is far below the F32 size of the matrices: a quantised base, so F32 copies.
  const uint64_t matrices = 512 * 64 + 2 * (2 * 64 * 64 + 2 * 64 * 32 + 3 * 64 * 172);
  EXPECT_EQ(m.weight_copies, matrices * 4);
  EXPECT_EQ(m.total, m.weights + m.weight_copies + m.adapter + m.activations + m.logits + (64ull << 20));
  TrainOptions stored = o;
  stored.dequantize = false;
  EXPECT_EQ(EstimateMemory(s, stored).weight_copies, 0u) << "--keep-quantized makes no copies";
}

TEST(TrainMemory, ScalesAsTheFormulaSays) {
  const ModelShape s = Small();
  const std::vector<Module> attn = {Module::kQ, Module::kK, Module::kV, Module::kO};
  MemoryEstimate base = EstimateMemory(s, Options(8, 64, attn));
  MemoryEstimate rank2 = EstimateMemory(s, Options(16, 64, attn));
  EXPECT_EQ(rank2.adapter, 2 * base.adapter);
  EXPECT_EQ(rank2.activations, base.activations);
  EXPECT_EQ(rank2.total - base.total, base.adapter);

  // The FFN modules add rank x (in + out) x 16 B per layer each: gate, up 64 -> 172, down 172 -> 64.
  MemoryEstimate all = EstimateMemory(s, Options(8, 64, {Module::kQ, Module::kK, Module::kV, Module::kO, Module::kGate,
                                                         Module::kUp, Module::kDown}));
  EXPECT_EQ(all.adapter - base.adapter, 3ull * 8 * (64 + 172) * 16 * 2);

  // Doubling ctx doubles the logits; activations more than double (attention scores are ctx^2).
  MemoryEstimate ctx2 = EstimateMemory(s, Options(8, 128, attn));
  EXPECT_EQ(ctx2.logits, 2 * base.logits);
  EXPECT_GT(ctx2.activations, 2 * base.activations);
  EXPECT_EQ(ctx2.adapter, base.adapter);

  // batch is gradient accumulation: no extra memory.
  TrainOptions big_batch = Options(8, 64, attn);
  big_batch.batch = 64;
  EXPECT_EQ(EstimateMemory(s, big_batch).total, base.total);
}

TEST(TrainMemory, ExplainShowsTheNumbers) {
  const ModelShape s = Small();
  const TrainOptions o = Options(4, 32, {Module::kQ, Module::kV});
  std::vector<std::string> lines = ExplainMemory(EstimateMemory(s, o), s, o);
  ASSERT_EQ(lines.size(), 7u) << "weights, F32 copies, adapter, activations, logits, overhead, total";
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  EXPECT_NE(all.find("rank 4"), std::string::npos) << all;
  EXPECT_NE(all.find("q,v"), std::string::npos) << all;
  EXPECT_NE(all.find("512 vocab"), std::string::npos) << all;
  EXPECT_NE(all.find("32 ctx"), std::string::npos) << all;
  EXPECT_NE(lines.back().find("total"), std::string::npos);
  EXPECT_NE(all.find("F32 copies"), std::string::npos) << all;
}

TEST(TrainMemory, ReadsTheShapeOfARealModel) {
  const std::string path = testing::StoriesModel();
  ModelShape s = ReadModelShape(path);
  EXPECT_EQ(s.architecture, "llama");
  EXPECT_EQ(s.n_layer, 5);
  EXPECT_EQ(s.n_embd, 64);
  EXPECT_EQ(s.n_head, 8);
  EXPECT_EQ(s.n_head_kv, 4);
  EXPECT_EQ(s.n_ff, 172);
  EXPECT_EQ(s.n_vocab, 512);
  EXPECT_GT(s.weight_bytes, 0u);
  EXPECT_LE(s.weight_bytes, std::filesystem::file_size(path));
}

TEST(TrainMemory, ReadsQwen2AndRejectsWhatIsNotAModel) {
  ModelShape s = ReadModelShape(testing::TinyChatModel());
  EXPECT_EQ(s.architecture, "qwen2");
  EXPECT_EQ(s.n_layer, 2);
  EXPECT_EQ(s.n_vocab, 151936);

  // A vocab-only GGUF of another architecture: read, then refused by name.
  try {
    ReadModelShape(testing::VocabPath("falcon"));
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitModel) << e.what();
    EXPECT_NE(std::string(e.what()).find("\"falcon\""), std::string::npos) << e.what();
  }

  testing::TempDir dir;
  std::string text = dir.Write("notes.gguf", "not a model");
  try {
    ReadModelShape(text);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitModel) << e.what();
  }
}

}  // namespace
}  // namespace scale::train
