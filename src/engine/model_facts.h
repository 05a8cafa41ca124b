// The one reading of a GGUF header's metadata (any integer width, per-layer arrays kept per layer)
// and the one memory formula (weights + KV cache + compute buffer + overhead) every size check uses.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/kv_cache_type.h"

struct gguf_context;

namespace scale::engine {

// ---- metadata values -------------------------------------------------------------------
// An integer key of any width; a per-layer array gives every element. Empty when the key is
// absent or not integers.
std::vector<int64_t> GgufInts(const gguf_context* ctx, const std::string& key);
// The largest of GgufInts, else `fallback`.
int64_t GgufInt(const gguf_context* ctx, const std::string& key, int64_t fallback = -1);
// A float key (an integer one converts); 0 when absent.
double GgufFloat(const gguf_context* ctx, const std::string& key);
// A string key; "" when absent or not a string.
std::string GgufString(const gguf_context* ctx, const std::string& key);

// ---- the shape the memory formula needs ------------------------------------------------
struct ModelShape {
  int n_layer = 0;      // <arch>.block_count
  int n_embd = 0;
  int n_head = 0;       // largest over layers when stored per layer
  int n_head_kv = 0;    // largest over layers; see layer_head_kv
  int head_dim_k = 0;   // <arch>.attention.key_length, else n_embd / n_head
  int head_dim_v = 0;
  int n_ff = 0;         // largest over layers
  int vocab_size = 0;   // tokenizer.ggml.tokens, else <arch>.vocab_size
  int n_ctx_train = 0;  // <arch>.context_length (0 if absent)
  // KV heads of each layer when the file stores an array (hybrid models: 0 for a recurrent
  // layer, sliding-window layers differ). Empty: every layer has n_head_kv.
  std::vector<int> layer_head_kv;
  int HeadsKv(int layer) const;
};

// Reads the shape of architecture `arch` from a header. A value too large for its field (a
// corrupt or hostile header) throws Error(kExitModel) "model <path>: implausible ...".
ModelShape ReadModelShape(const gguf_context* ctx, const std::string& arch, const std::string& path);

// ---- the memory formula ------------------------------------------------------------------
// Bytes that `elements` KV cache values take as `cache_type`: f16 (2 B each, llama.cpp's
// default), q8_0 (34 B per block of 32) or q4_0 (18 B per 32).
uint64_t KvElementBytes(uint64_t elements, KvCacheType cache_type);

// Bytes of K+V cache for `cells` KV cells (summed over the layers, each with its own heads).
uint64_t KvCacheBytes(const ModelShape& shape, uint64_t cells, KvCacheType cache_type = KvCacheType::kF16);

// KV cells a context holds for `parallel` sequences of `ctx_size` tokens plus the scheduler's
// spare sequences (the layout ConfigureSchedulerContext gives llama.cpp).
uint64_t ContextCells(int ctx_size, int parallel, bool unified);

struct MemoryLayout {
  int ctx_size = 4096;  // tokens per sequence
  int parallel = 1;     // sequences decoding together
  int ubatch = 512;     // tokens per compute graph
  KvCacheType cache_type = KvCacheType::kF16;
  bool unified = false;  // one KV stream (--kv-unified)
};

// Memory needed to run a model with llama.cpp on one device, in bytes, and how it adds up.
struct MemoryEstimate {
  uint64_t weights = 0;   // the GGUF's tensors (mmapped on CPU, copied into VRAM when offloaded)
  uint64_t kv_cache = 0;  // KvCacheBytes over ContextCells
  uint64_t compute = 0;   // llama.cpp's compute buffer for one micro-batch
  uint64_t overhead = 0;  // runtime, tokenizer, output buffers: a fixed allowance
  uint64_t total() const { return weights + kv_cache + compute + overhead; }
};
MemoryEstimate EstimateMemory(const ModelShape& shape, uint64_t weight_bytes, const MemoryLayout& layout);

}  // namespace scale::engine
