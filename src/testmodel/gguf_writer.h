// Writes random-weight llama-family GGUF models and LoRA adapters that real llama.cpp loads.
// Weights are a pure function of (spec, seed): the same inputs give a byte-identical file.
// Ships in the scale binary: used by `scale bench` to write random-weight models (not a test double).
#pragma once

#include <cstdint>
#include <string>

#include "testmodel/model_spec.h"

namespace scale::testmodel {

// Files carry scale.random_weights = true (tools can warn) and zero embeddings for control tokens,
// so greedy decoding never emits EOS: a random model always generates exactly max_tokens.
// Writes the model to out_path atomically (temp file + rename). Throws scale::Error: kExitUsage
// for a bad spec, kExitModel for an unreadable vocab, kExitIo if the file cannot be written.
void WriteRandomModel(const ModelSpec& spec, const std::string& out_path);

// A LoRA adapter for `base` (same architecture and shape): lora_a/lora_b pairs for attn_q, attn_k,
// attn_v, attn_output, ffn_gate, ffn_up, ffn_down in every layer. Same errors as above.
void WriteRandomLora(const ModelSpec& base, int rank, float alpha, const std::string& out_path,
                     uint64_t seed = 7);

}  // namespace scale::testmodel
