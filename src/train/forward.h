// The llama-family forward pass as a ggml graph (RMSNorm, RoPE with the model's own scaling, GQA
// attention with a causal mask, SwiGLU) over frozen base weights, with the LoRA added where adapted.
// Every op has a ggml backward, so the same graph trains the adapter (trainer.h).
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "train/base_model.h"
#include "train/lora.h"

struct ggml_context;
struct ggml_tensor;

namespace scale::train {

// The graph's inputs (created in the compute context, filled by FillInputs once allocated) and
// its output: logits [n_vocab, n_out] for the rows asked for.
struct Forward {
  ggml_tensor* tokens = nullptr;     // I32 [n_tokens]
  ggml_tensor* positions = nullptr;  // I32 [n_tokens]
  ggml_tensor* mask = nullptr;       // F32 [n_tokens, n_tokens]: 0 or -inf (causal)
  ggml_tensor* out_rows = nullptr;   // I32 [n_out]: token positions whose logits are computed
  std::vector<ggml_tensor*> dropout; // F32 masks on the adapters' inputs (empty without dropout)
  ggml_tensor* logits = nullptr;     // F32 [n_vocab, n_out]
};

// lora may be null (the base model alone). dropout: build the masks (training with dropout > 0).
// The graph's topology depends only on (model, lora modules, dropout), never on the lengths.
// dequantize: matmuls read F32 copies of non-F32 weights, made once in this graph (TrainOptions).
Forward BuildForward(ggml_context* ctx, const BaseModel& model, const Lora* lora, int n_tokens, int n_out,
                     bool dropout, bool dequantize = false);

// Sets the inputs of an allocated graph. rows: positions whose logits are wanted (size n_out).
// rng: draws the dropout masks (null = no dropout: masks of ones).
void FillInputs(const Forward& f, const std::vector<int32_t>& tokens, const std::vector<int32_t>& rows,
                float dropout, std::mt19937_64* rng);

}  // namespace scale::train
