// Batch, the one llama_batch builder: rows land where llama_decode reads them, and a batch built
// row by row decodes on the real stories260K model to the logits of llama.cpp's own one-sequence batch.
#include "engine/batch.h"

#include <gtest/gtest.h>

#include <vector>

#include "engine/llama_engine.h"
#include "testing/test_models.h"

namespace scale::engine {
namespace {

TEST(BatchTest, RowsAreAppendedInOrderAndClearStartsOver) {
  Batch batch(3);
  EXPECT_EQ(batch.capacity(), 3);
  EXPECT_EQ(batch.Add(11, 0, 0, false), 0);
  EXPECT_EQ(batch.Add(12, 1, 0, false), 1);
  EXPECT_EQ(batch.Add(21, 5, 2, true), 2);
  EXPECT_TRUE(batch.full());
  const llama_batch& b = batch.get();
  EXPECT_EQ(b.n_tokens, 3);
  EXPECT_EQ(b.token[2], 21);
  EXPECT_EQ(b.pos[2], 5);
  EXPECT_EQ(b.n_seq_id[2], 1);
  EXPECT_EQ(b.seq_id[2][0], 2);
  EXPECT_FALSE(batch.wants_logits(1));
  EXPECT_TRUE(batch.wants_logits(2));
  batch.Clear();
  EXPECT_EQ(batch.size(), 0);
  EXPECT_EQ(batch.Add(7, 0, 1, true), 0);
}

TEST(BatchTest, DecodesLikeLlamaCppsOwnSingleSequenceBatch) {
  EngineParams params;
  params.model_path = testing::StoriesModel();
  params.ctx_size = 64;
  auto engine = LlamaEngine::Load(params);
  std::vector<llama_token> tokens = engine->Tokenize("Once upon a time", true, false);
  ASSERT_GT(tokens.size(), 2u);
  llama_context* ctx = engine->context();
  const int n_vocab = llama_vocab_n_tokens(engine->vocab());

  llama_memory_clear(llama_get_memory(ctx), true);
  ASSERT_EQ(llama_decode(ctx, llama_batch_get_one(tokens.data(), static_cast<int32_t>(tokens.size()))), 0);
  std::vector<float> reference(llama_get_logits_ith(ctx, -1), llama_get_logits_ith(ctx, -1) + n_vocab);

  llama_memory_clear(llama_get_memory(ctx), true);
  Batch batch(static_cast<int>(tokens.size()));
  int row = -1;
  for (size_t i = 0; i < tokens.size(); ++i) row = batch.Add(tokens[i], static_cast<llama_pos>(i), 0, i + 1 == tokens.size());
  ASSERT_EQ(llama_decode(ctx, batch.get()), 0);
  const float* ours = llama_get_logits_ith(ctx, row);
  EXPECT_EQ(std::vector<float>(ours, ours + n_vocab), reference);
  llama_memory_clear(llama_get_memory(ctx), true);
}

}  // namespace
}  // namespace scale::engine
