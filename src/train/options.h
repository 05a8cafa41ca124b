// The settings of one LoRA training run (`scale train` flags, a profile's [train] table), and the
// shape facts of a base model that the memory arithmetic needs. Plain data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace scale::train {

// The modules a LoRA can adapt, as llama.cpp names their weights (blk.N.<name>.weight).
enum class Module { kQ, kK, kV, kO, kGate, kUp, kDown };
const char* ModuleTensorName(Module m);    // "attn_q", "attn_k", ..., "ffn_down"
const char* ModuleFlagName(Module m);      // "q", "k", "v", "o", "gate", "up", "down"
// "q,k,v,o" or "all"; throws Error(kExitUsage) naming an unknown module or an empty list.
std::vector<Module> ParseModules(const std::string& list);

struct LoraOptions {
  std::vector<Module> modules = {Module::kQ, Module::kK, Module::kV, Module::kO};
  int rank = 8;
  float alpha = 16;          // scale = alpha / rank (llama.cpp's adapter.lora.alpha)
  float dropout = 0;         // on the adapter's input, training only
  uint64_t seed = 1;         // A ~ N(0, 1/in), B = 0; also dropout masks and the data order
};

struct TrainOptions {
  LoraOptions lora;
  double lr = 2e-4;
  double weight_decay = 0;   // AdamW decoupled decay
  double clip = 1.0;         // global gradient-norm clip; 0 = off
  int steps = 0;             // optimiser steps; 0 = from epochs
  double epochs = 1;         // passes over the training rows when steps is 0
  int batch = 4;             // rows per optimiser step (gradient accumulation)
  int ctx = 512;             // tokens per row at most
  int warmup = 0;            // steps of linear warm-up before the cosine decay; -1 = 5% of steps
  int eval_every = 0;        // held-out loss every K steps (0 = only at the start and the end)
  int checkpoint_every = 0;  // adapter written every K steps (0 = only at the end)
  int threads = 0;           // 0 = physical cores
  uint64_t max_memory = 0;   // bytes; refuse to start when the estimate is above it (0 = no limit)
  // Non-F32 base weights are copied to F32 once per compute graph for the matmuls: ggml's CPU
  // backward through a quantised (or F16) weight (out_prod) converts the whole weight again for
  // every token, measured several times slower (docs/training.md). false: no copies, less memory.
  bool dequantize = true;
};

// What the memory arithmetic needs from a base model (read from its GGUF header).
struct ModelShape {
  std::string architecture;  // "llama", "qwen2"
  int n_layer = 0, n_embd = 0, n_head = 0, n_head_kv = 0, n_ff = 0, n_vocab = 0;
  uint64_t weight_bytes = 0; // every tensor's data, as stored (quantised stays quantised)
};

}  // namespace scale::train
