// The memory arithmetic of a LoRA training run: frozen weights + adapter state + activations kept
// for the backward pass + logits, so `scale train` can refuse early and `scale hw` can advise.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "train/options.h"

namespace scale::train {

struct MemoryEstimate {
  uint64_t weights = 0;      // the base model's tensors, as stored
  uint64_t weight_copies = 0;// F32 copies of non-F32 matrices for the backward (TrainOptions::dequantize)
  uint64_t adapter = 0;      // LoRA A and B: values, gradient accumulators, AdamW m and v (F32)
  uint64_t activations = 0;  // one row of ctx tokens kept for the backward pass, and their gradients
  uint64_t logits = 0;       // ctx x vocab F32: logits, softmax, their gradient
  uint64_t total = 0;        // the above plus a fixed overhead
};

// Trainable LoRA parameters (A and B of every adapted module of every layer).
uint64_t AdapterParams(const ModelShape& shape, const LoraOptions& lora);

MemoryEstimate EstimateMemory(const ModelShape& shape, const TrainOptions& options);

// The estimate as human lines, each term with the arithmetic behind it.
std::vector<std::string> ExplainMemory(const MemoryEstimate& m, const ModelShape& shape, const TrainOptions& options);

// The shape of a GGUF base model, from its header (engine/gguf_header.h; no weights are read).
// Throws Error(kExitModel) for a missing or damaged file, or an architecture other than llama/qwen2.
ModelShape ReadModelShape(const std::string& gguf_path);

}  // namespace scale::train
