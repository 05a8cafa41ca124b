// Shapes of random-weight llama-family models for tests and benchmarks, and the presets that copy
// real models' shapes exactly. Parameter counts are computed from the shape, no file needed.
// Ships in the scale binary: used by `scale bench` to write random-weight models (not a test double).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace scale::testmodel {

enum class WeightType { kF32, kF16, kQ8_0, kQ4_0 };
const char* WeightTypeName(WeightType type);       // "f32", "f16", "q8_0", "q4_0"
WeightType ParseWeightType(std::string_view name);  // throws Error(kExitUsage) if unknown

struct ModelSpec {
  std::string name;          // general.name
  std::string architecture = "llama";  // "llama" or "qwen2" (qwen2 = q/k/v biases)
  int n_layer = 2;
  int n_embd = 64;
  int n_head = 4;
  int n_head_kv = 2;
  int n_ff = 128;
  int n_ctx_train = 2048;
  float rope_theta = 10000.0f;
  float rms_eps = 1e-6f;
  bool qkv_bias = false;     // Qwen2-style attention biases (requires architecture "qwen2")
  bool tied_embeddings = true;  // no output.weight: the output projection reuses token_embd
  std::string vocab_path;    // a vocab-only GGUF: tokenizer.* keys copied, n_vocab = its size
  std::string chat_template; // overrides the vocab's tokenizer.chat_template when not empty
  WeightType type = WeightType::kF32;  // 2-D weight matrices; norms and biases stay F32
  uint64_t seed = 1;
  // Llama-3 rope scaling (rope_freqs.weight tensor) for llama-3.2 shapes; 0 = none.
  float rope_scaling_factor = 0;

  int head_dim() const { return n_embd / n_head; }
};

// Preset shapes (config.json of the real model; parameter counts include embeddings, counted once
// when tied):
//   name          arch   layers embd heads kv  ff    vocab (GGUF used)          ctx    theta  tied params
//   tiny          qwen2  2      64   4     2   128   151936 qwen2 + ChatML       2048   1e6    yes  9,798,208
//   qwen2.5-0.5b  qwen2  24     896  14    2   4864  151936 qwen2               32768  1e6    yes  494,032,768
//   smollm2-135m  llama  30     576  9     3   1536  49152  starcoder (*)       8192   1e5    yes  134,515,008
//   smollm2-360m  llama  32     960  15    5   2560  49152  starcoder (*)       8192   1e5    yes  361,821,120
//   llama-3.2-1b  llama  16     2048 32    8   8192  128256 llama-bpe (Llama-3) 131072 5e5    yes  1,235,814,400
// (*) SmolLM2's own 49152-token GPT2-style BPE is not among llama.cpp's vocab GGUFs; StarCoder's
//     is the same size and style, so shapes and counts match exactly; ChatML is set as template.
std::vector<std::string> PresetNames();
// Throws Error(kExitUsage) for an unknown name. vocab_dir: where ggml-vocab-*.gguf live
// ("" = SCALE_VOCAB_DIR compiled in).
ModelSpec PresetSpec(std::string_view name, WeightType type = WeightType::kF32,
                     const std::string& vocab_dir = "");

// Path of ggml-vocab-<name>.gguf in vocab_dir ("" = SCALE_VOCAB_DIR).
std::string VocabFile(std::string_view name, const std::string& vocab_dir = "");

// Number of tokens in a vocab-only GGUF. Throws Error(kExitModel) if unreadable.
int VocabSize(const std::string& vocab_path);

// Parameters the model has (every element of every tensor), as llama.cpp's n_params reports.
uint64_t ParameterCount(const ModelSpec& spec, int n_vocab);
// Bytes of tensor data the file will hold (before GGUF alignment padding and metadata).
uint64_t TensorBytes(const ModelSpec& spec, int n_vocab);

// Throws Error(kExitUsage) with the first problem: heads not dividing embd, Q4_0/Q8_0 with a row
// length not a multiple of 32, qkv_bias on a non-qwen2 architecture, etc.
void ValidateSpec(const ModelSpec& spec);

}  // namespace scale::testmodel
