#include "engine/model_facts.h"

#include <gtest/gtest.h>

#include <memory>

#include "engine/gguf_check.h"
#include "gguf.h"
#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale::engine {
namespace {

struct GgufFree {
  void operator()(gguf_context* c) const { gguf_free(c); }
};
using Gguf = std::unique_ptr<gguf_context, GgufFree>;

// A hybrid-style header: 4 layers, KV heads only in layers 1 and 3 (0 = a recurrent layer).
Gguf HybridHeader() {
  Gguf g(gguf_init_empty());
  gguf_set_val_str(g.get(), "general.architecture", "hyb");
  gguf_set_val_u32(g.get(), "hyb.block_count", 4);
  gguf_set_val_u64(g.get(), "hyb.embedding_length", 256);
  gguf_set_val_u16(g.get(), "hyb.attention.head_count", 8);
  const int32_t kv[4] = {0, 4, 0, 2};
  gguf_set_arr_data(g.get(), "hyb.attention.head_count_kv", GGUF_TYPE_INT32, kv, 4);
  const uint32_t ff[4] = {512, 1024, 512, 768};
  gguf_set_arr_data(g.get(), "hyb.feed_forward_length", GGUF_TYPE_UINT32, ff, 4);
  gguf_set_val_u32(g.get(), "hyb.context_length", 8192);
  gguf_set_val_u32(g.get(), "hyb.vocab_size", 1000);
  return g;
}

TEST(GgufInts, AnyWidthScalarsAndArraysNothingElse) {
  Gguf g(gguf_init_empty());
  gguf_set_val_u8(g.get(), "u8", 7);
  gguf_set_val_i64(g.get(), "i64", -5);
  gguf_set_val_str(g.get(), "str", "12");
  gguf_set_val_f32(g.get(), "f32", 1.5f);
  const uint16_t arr[3] = {3, 9, 1};
  gguf_set_arr_data(g.get(), "arr", GGUF_TYPE_UINT16, arr, 3);
  EXPECT_EQ(GgufInts(g.get(), "u8"), std::vector<int64_t>({7}));
  EXPECT_EQ(GgufInts(g.get(), "i64"), std::vector<int64_t>({-5}));
  EXPECT_EQ(GgufInts(g.get(), "arr"), std::vector<int64_t>({3, 9, 1}));
  EXPECT_TRUE(GgufInts(g.get(), "str").empty());
  EXPECT_TRUE(GgufInts(g.get(), "f32").empty());
  EXPECT_TRUE(GgufInts(g.get(), "missing").empty());
  EXPECT_EQ(GgufInt(g.get(), "arr"), 9);  // the largest layer
  EXPECT_EQ(GgufInt(g.get(), "missing", 42), 42);
  EXPECT_FLOAT_EQ(float(GgufFloat(g.get(), "f32")), 1.5f);
  EXPECT_EQ(GgufFloat(g.get(), "u8"), 7.0);
  EXPECT_EQ(GgufString(g.get(), "str"), "12");
  EXPECT_EQ(GgufString(g.get(), "u8"), "");
}

TEST(ReadModelShape, PerLayerHeadCountsStayPerLayer) {
  Gguf g = HybridHeader();
  ModelShape s = ReadModelShape(g.get(), "hyb", "m.gguf");
  EXPECT_EQ(s.n_layer, 4);
  EXPECT_EQ(s.n_head_kv, 4);
  EXPECT_EQ(s.layer_head_kv, std::vector<int>({0, 4, 0, 2}));
  EXPECT_EQ(s.HeadsKv(0), 0);
  EXPECT_EQ(s.HeadsKv(3), 2);
  EXPECT_EQ(s.n_ff, 1024);
  EXPECT_EQ(s.head_dim_k, 32);  // 256 / 8 without key_length
  EXPECT_EQ(s.head_dim_v, 32);
  EXPECT_EQ(s.n_ctx_train, 8192);
  EXPECT_EQ(s.vocab_size, 1000);
  // Only the attention layers hold a cache: (4 + 2) heads x 32 x (K and V) x 2 bytes per cell.
  EXPECT_EQ(KvCacheBytes(s, 1), (4u + 2u) * 32 * 2 * 2);
  EXPECT_EQ(KvCacheBytes(s, 100, KvCacheType::kQ8_0), 100u * (4 * 34 + 2 * 34) * 2);
}

TEST(ReadModelShape, ScalarOrAbsentHeadCounts) {
  Gguf g(gguf_init_empty());
  gguf_set_val_u32(g.get(), "x.block_count", 3);
  gguf_set_val_u32(g.get(), "x.embedding_length", 64);
  gguf_set_val_u32(g.get(), "x.attention.head_count", 4);
  ModelShape absent = ReadModelShape(g.get(), "x", "m");
  EXPECT_EQ(absent.n_head_kv, 4);  // one KV head per query head
  EXPECT_TRUE(absent.layer_head_kv.empty());
  gguf_set_val_u32(g.get(), "x.attention.head_count_kv", 2);
  gguf_set_val_u32(g.get(), "x.attention.key_length", 24);
  ModelShape scalar = ReadModelShape(g.get(), "x", "m");
  EXPECT_EQ(scalar.n_head_kv, 2);
  EXPECT_TRUE(scalar.layer_head_kv.empty());
  EXPECT_EQ(scalar.HeadsKv(2), 2);
  EXPECT_EQ(scalar.head_dim_k, 24);
  EXPECT_EQ(scalar.head_dim_v, 16);
  EXPECT_EQ(KvCacheBytes(scalar, 10), 10u * 3 * 2 * (24 + 16) * 2);
}

TEST(ReadModelShape, ImplausibleValuesAreAModelError) {
  Gguf g(gguf_init_empty());
  gguf_set_val_u64(g.get(), "x.block_count", 1ull << 40);
  try {
    ReadModelShape(g.get(), "x", "bad.gguf");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitModel);
    EXPECT_NE(std::string(e.what()).find("model bad.gguf: implausible x.block_count"), std::string::npos) << e.what();
  }
  Gguf h(gguf_init_empty());
  const int64_t kv[2] = {2, int64_t(1) << 40};
  gguf_set_arr_data(h.get(), "x.attention.head_count_kv", GGUF_TYPE_INT64, kv, 2);
  EXPECT_THROW(ReadModelShape(h.get(), "x", "bad.gguf"), Error);
}

TEST(EstimateMemory, AddsWeightsKvComputeAndOverhead) {
  Gguf g = HybridHeader();
  ModelShape s = ReadModelShape(g.get(), "hyb", "m");
  MemoryEstimate m = EstimateMemory(s, 1000000, {1024, 2, 512, KvCacheType::kF16, false});
  EXPECT_EQ(m.weights, 1000000u);
  EXPECT_EQ(m.kv_cache, KvCacheBytes(s, ContextCells(1024, 2, false)));
  EXPECT_EQ(ContextCells(1024, 2, false), 1024u * 4);  // two slots and two spare sequences
  EXPECT_EQ(m.compute, 4ull * 512 * (1000 + 2 * 1024 + 4 * 256));
  EXPECT_GT(m.overhead, 0u);
  EXPECT_EQ(m.total(), m.weights + m.kv_cache + m.compute + m.overhead);
  // Each knob moves the part it should and only that part.
  MemoryEstimate unified = EstimateMemory(s, 1000000, {1024, 2, 512, KvCacheType::kF16, true});
  EXPECT_LT(unified.kv_cache, m.kv_cache);
  EXPECT_EQ(unified.compute, m.compute);
  MemoryEstimate small_batch = EstimateMemory(s, 1000000, {1024, 2, 128, KvCacheType::kF16, false});
  EXPECT_EQ(small_batch.compute * 4, m.compute);
  EXPECT_EQ(small_batch.kv_cache, m.kv_cache);
  MemoryEstimate q4 = EstimateMemory(s, 1000000, {1024, 2, 512, KvCacheType::kQ4_0, false});
  EXPECT_EQ(q4.kv_cache, m.kv_cache / 64 * 18);
  // parallel 0 counts as one sequence.
  EXPECT_EQ(EstimateMemory(s, 0, {1024, 0, 512}).kv_cache, EstimateMemory(s, 0, {1024, 1, 512}).kv_cache);
}

TEST(InspectModelFile, ReadsPerLayerHeadsFromAFile) {
  testing::TempDir dir;
  Gguf g = HybridHeader();
  const std::string path = dir.file("hybrid.gguf");
  ASSERT_TRUE(gguf_write_to_file(g.get(), path.c_str(), false));
  GgufInfo info = InspectModelFile(path);
  EXPECT_EQ(info.architecture, "hyb");
  EXPECT_EQ(info.layer_head_kv, std::vector<int>({0, 4, 0, 2}));
  EXPECT_EQ(info.n_head_kv, 4);
}

}  // namespace
}  // namespace scale::engine
