// Direct llama.cpp C-API checks for tests that verify a GGUF itself (not scale's engine): load a
// model quietly and decode a few greedy tokens, optionally with a LoRA adapter applied.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <llama.h>

namespace scale::testing {

struct ModelDeleter {
  void operator()(llama_model* m) const { llama_model_free(m); }
};
using ModelPtr = std::unique_ptr<llama_model, ModelDeleter>;

// Loads on the CPU with llama.cpp's logging silenced (errors still reach stderr); nullptr on failure.
// repack = false: weights stay in ggml's plain layout (no CPU repacking into interleaved blocks).
ModelPtr LoadModelQuietly(const std::string& path, bool repack = true);

// Tokenizes `prompt` (with the model's BOS rule), then greedily decodes n_tokens tokens in a fresh
// context (n_ctx 256, one thread for reproducibility). Returns an empty vector if decoding failed.
std::vector<llama_token> GreedyTokens(llama_model* model, const std::string& prompt, int n_tokens,
                                      llama_adapter_lora* lora = nullptr);

// Logits of every position for `tokens` in one batch ([n_tokens][n_vocab], row-major), with an
// F32 KV cache so that nothing is rounded beyond what the weights' own types do; the optional
// adapter at `lora_scale`. Empty on failure. For cross-checks of scale's training graph.
std::vector<float> AllLogits(llama_model* model, const std::vector<llama_token>& tokens,
                             llama_adapter_lora* lora = nullptr, float lora_scale = 1.0f, int threads = 1);

// Counts the values of every tensor of the GGUF at `path` (which must all be F32, as an adapter
// scale writes): *values in all, and the return value those that are NaN or Inf. -1 when the file
// cannot be read or holds another type.
int64_t NonFiniteF32Values(const std::string& path, int64_t* values);

// Detokenizes tokens with the model's vocab (special tokens rendered as text).
std::string TokensToText(llama_model* model, const std::vector<llama_token>& tokens);

}  // namespace scale::testing
