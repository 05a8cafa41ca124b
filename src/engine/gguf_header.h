// What a GGUF file says about itself, read from its header with gguf.h (no weights are loaded, so
// this is fast even for multi-GB files): architecture, size, quantisation, context, RoPE, chat
// template, tokenizer, for `scale models`. Split models (NAME-00001-of-0000N.gguf) are read across all
// their shards. The numbers the engine needs come from the same reader (engine/model_facts.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/model_facts.h"

namespace scale::engine {

struct GgufHeader {
  std::filesystem::path path;  // as given (the first shard for split models)
  std::vector<std::filesystem::path> shards;
  uint64_t file_bytes = 0;     // all shards together
  uint64_t tensor_bytes = 0;   // every tensor's data as stored (all shards), without the metadata
  std::string name;            // general.name, else the file name
  std::string type;            // general.type: "model" or "adapter" (LoRA); "" if absent
  std::string architecture;    // general.architecture, e.g. "qwen2", "llama"
  std::string quant;           // "Q4_K_M", "F32", ... (general.file_type, else the dominant tensor type)
  std::map<std::string, uint64_t> tensor_types;  // ggml type name -> number of tensors
  uint64_t n_params = 0;       // sum of tensor elements
  int64_t n_tensors = 0;
  uint32_t context_length = 0; // trained context (ARCH.context_length)
  uint32_t n_layer = 0, n_embd = 0, n_head = 0, n_head_kv = 0, head_dim = 0, n_ff = 0;  // largest over layers
  uint32_t vocab_size = 0;
  float rope_freq_base = 0;    // 0 = not stated (llama.cpp's default applies)
  std::string rope_scaling;    // ARCH.rope.scaling.type, "" = none
  float rope_scaling_factor = 0;
  uint32_t rope_orig_ctx = 0;  // ARCH.rope.scaling.original_context_length
  std::string chat_template;   // tokenizer.chat_template ("" = none)
  std::string tokenizer;       // tokenizer.ggml.model ("gpt2", "llama", ...)
  std::string tokenizer_pre;   // tokenizer.ggml.pre

  ModelShape shape;    // what the numbers above come from (per-layer KV heads included)

  // K and V cache bytes per token of one sequence with an F16 cache (KvCacheBytes).
  uint64_t KvBytesPerToken() const;
  nlohmann::json ToJson() const;
};

// Reads the header(s). Throws Error(kExitModel): missing file, not GGUF, truncated header, or a
// missing shard of a split model.
GgufHeader ReadGgufHeader(const std::filesystem::path& path);

// llama_ftype number -> "Q4_K_M" etc.; "" for unknown values.
std::string FileTypeName(int file_type);

// "NAME-00002-of-00003.gguf" -> true, shard 2, count 3, stem "NAME".
bool ParseSplitName(const std::string& filename, std::string* stem, int* shard, int* count);

// A human figure: 494000000 -> "494M", 1540000000 -> "1.54B".
std::string FormatParams(uint64_t n);

}  // namespace scale::engine
