#include "testmodel/vocab_copy.h"

#include <gtest/gtest.h>
#include <gguf.h>

#include <algorithm>
#include <string_view>

#include "testing/test_models.h"
#include "util/error.h"

namespace scale::testmodel {
namespace {

TEST(VocabCopy, CopiesEveryTokenizerKeyAndNothingElse) {
  gguf_context* dst = gguf_init_empty();
  const VocabInfo info = CopyTokenizer(scale::testing::VocabPath("llama-bpe"), dst);
  EXPECT_EQ(info.n_vocab, 128256);
  for (int64_t i = 0; i < gguf_get_n_kv(dst); ++i) {
    EXPECT_TRUE(std::string_view(gguf_get_key(dst, i)).starts_with("tokenizer.")) << gguf_get_key(dst, i);
  }
  EXPECT_EQ(gguf_get_arr_n(dst, gguf_find_key(dst, "tokenizer.ggml.merges")), 280147u);
  EXPECT_STREQ(gguf_get_arr_str(dst, gguf_find_key(dst, "tokenizer.ggml.tokens"), 0), "!");
  EXPECT_EQ(gguf_get_val_u32(dst, gguf_find_key(dst, "tokenizer.ggml.bos_token_id")), 128000u);
  EXPECT_LT(gguf_find_key(dst, "llama.block_count"), 0) << "the vocab file's model keys stay behind";
  gguf_free(dst);
}

TEST(VocabCopy, MarksControlTokensSpecial) {
  gguf_context* dst = gguf_init_empty();
  const VocabInfo info = CopyTokenizer(scale::testing::VocabPath("qwen2"), dst);
  gguf_free(dst);
  ASSERT_EQ(info.is_special.size(), 151936u);
  EXPECT_FALSE(info.is_special[0]);       // "!"
  EXPECT_TRUE(info.is_special[151643]);   // <|endoftext|>
  EXPECT_TRUE(info.is_special[151645]);   // <|im_end|>
  const auto special = std::count(info.is_special.begin(), info.is_special.end(), true);
  EXPECT_GT(special, 20);
  EXPECT_LT(special, 2000);
}

TEST(VocabCopy, UnreadableFileIsAModelError) {
  gguf_context* dst = gguf_init_empty();
  try {
    CopyTokenizer("/nonexistent.gguf", dst);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitModel);
  }
  gguf_free(dst);
}

}  // namespace
}  // namespace scale::testmodel
