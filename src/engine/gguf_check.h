// Checks a model file before llama.cpp sees it (llama.cpp aborts or logs vaguely on bad input) and
// reads the few metadata values the engine needs: architecture, shape for the KV-cache estimate.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace scale::engine {

struct GgufInfo {
  uint64_t file_size = 0;
  std::string architecture;  // general.architecture
  std::string name;          // general.name ("" if absent)
  int n_layer = 0;           // <arch>.block_count
  int n_embd = 0;
  int n_head = 0;
  int n_head_kv = 0;         // max over layers when stored per layer
  int head_dim_k = 0;        // <arch>.attention.key_length, else n_embd / n_head
  int head_dim_v = 0;
  int n_ctx_train = 0;       // <arch>.context_length (0 if absent)
  bool has_chat_template = false;
};

// Throws scale::Error(kExitModel) with one line naming the file and the problem: missing, a
// directory, empty, not GGUF (magic bytes), corrupt header, truncated tensor data, no architecture.
GgufInfo InspectModelFile(const std::string& path);

// The KV cache element types KvElementBytes knows (and --cache-type / engine.cache_type accept).
const std::vector<std::string>& KvCacheTypes();

// Bytes that `elements` KV cache values take as `cache_type`: "f16" (2 B each, llama.cpp's
// default), "q8_0" (34 B per block of 32) or "q4_0" (18 B per 32). Throws Error(kExitUsage) naming
// the choices for any other type.
uint64_t KvElementBytes(uint64_t elements, std::string_view cache_type);

// Bytes of K+V cache for `n_ctx_total` cells.
uint64_t KvCacheBytes(const GgufInfo& info, uint64_t n_ctx_total, std::string_view cache_type = "f16");

}  // namespace scale::engine
