#include "testmodel/gguf_stream.h"

#include <gtest/gtest.h>
#include <gguf.h>

#include <cstring>

#include "testing/temp_dir.h"

namespace scale::testmodel {
namespace {

TensorPlan Counting(const std::string& name, ggml_type type, int64_t ne0, int64_t ne1) {
  return {name, type, ne0, ne1, [ne0](int64_t row0, int64_t n, float* out) {
            for (int64_t i = 0; i < n * ne0; ++i) out[i] = static_cast<float>((row0 * ne0 + i) % 97) / 16.0f;
          }};
}

TEST(GgufStream, DataReadsBackAtGgufsOffsets) {
  scale::testing::TempDir dir("stream");
  gguf_context* meta = gguf_init_empty();
  gguf_set_val_str(meta, "general.architecture", "llama");
  // Odd sizes force alignment padding between tensors; 3M elements span several write chunks.
  WriteGgufStreaming(meta,
                     {Counting("a", GGML_TYPE_F32, 7, 3), Counting("b", GGML_TYPE_F16, 5, 1),
                      Counting("c", GGML_TYPE_Q8_0, 64, 3), Counting("d", GGML_TYPE_F32, 1000, 3000)},
                     dir.file("s.gguf"));
  gguf_free(meta);

  ggml_context* data = nullptr;
  gguf_init_params params = {/*no_alloc=*/false, &data};
  gguf_context* g = gguf_init_from_file(dir.file("s.gguf").c_str(), params);
  ASSERT_NE(g, nullptr);
  EXPECT_STREQ(gguf_get_val_str(g, gguf_find_key(g, "general.architecture")), "llama");
  ASSERT_EQ(gguf_get_n_tensors(g), 4);
  const float* a = static_cast<const float*>(ggml_get_tensor(data, "a")->data);
  for (int i = 0; i < 21; ++i) EXPECT_EQ(a[i], static_cast<float>(i % 97) / 16.0f);
  const ggml_fp16_t* b = static_cast<const ggml_fp16_t*>(ggml_get_tensor(data, "b")->data);
  EXPECT_EQ(ggml_fp16_to_fp32(b[4]), 4.0f / 16.0f);  // exactly representable in F16
  const float* d = static_cast<const float*>(ggml_get_tensor(data, "d")->data);
  EXPECT_EQ(d[2999999], static_cast<float>(2999999 % 97) / 16.0f);
  EXPECT_EQ(ggml_nbytes(ggml_get_tensor(data, "c")), 3u * 2 * 34);
  gguf_free(g);
  ggml_free(data);
}

}  // namespace
}  // namespace scale::testmodel
