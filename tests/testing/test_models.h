// Models for tests: small random-weight GGUFs generated once per build dir (safe under parallel
// ctest), plus the team's real tiny model. Each returns an absolute path or fails the test (FAIL).
#pragma once

#include <string>

#include "testmodel/model_spec.h"

namespace scale::testing {

// "tiny" preset (2 layers, 64 embd, qwen2 vocab + ChatML template), F32, seed 1. Loads in real
// llama.cpp; its output is meaningless but deterministic. Generated on first use into SCALE_TEST_TMP.
std::string TinyChatModel();

// Same shape as TinyChatModel but Q8_0 weights (exercises the quantized path); seed 1.
std::string TinyQ8Model();

// Like TinyChatModel but 2 heads of 32 dims: quantised KV caches need head sizes that are a
// multiple of their 32-value blocks (stories260K's and TinyChatModel's heads are narrower).
std::string TinyWideHeadModel();

// A LoRA adapter (rank 4, alpha 8, attn_q/attn_k/attn_v/attn_output/ffn_*) for TinyChatModel().
std::string TinyLora();

// ../shared/models/stories260K.gguf (a real, trained 260K-parameter llama) via SCALE_SHARED_DIR.
// Fails the calling test with a clear message if it is missing.
std::string StoriesModel();

// Root of the vocab-only GGUFs (SCALE_VOCAB_DIR), e.g. VocabPath("qwen2") -> .../ggml-vocab-qwen2.gguf.
std::string VocabPath(const std::string& name);

// The size of a spec, for shrinking a preset into a model that loads in milliseconds.
struct SpecShape {
  int n_layer = 0;
  int n_embd = 0;
  int n_head = 0;
  int n_head_kv = 0;
  int n_ff = 0;
};
// `spec` with `shape`'s sizes; its architecture, vocab, template and RoPE settings stay.
testmodel::ModelSpec Reshaped(testmodel::ModelSpec spec, const SpecShape& shape);

}  // namespace scale::testing
