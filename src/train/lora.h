// The trainable low-rank adapter: for each adapted weight W [in -> out] of each layer, A [in -> r]
// and B [r -> out], applied as W x + (alpha / r) B A x, and written as llama.cpp's GGUF LoRA format.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "train/base_model.h"
#include "train/options.h"

struct ggml_context;
struct ggml_tensor;
struct ggml_backend_buffer;

namespace scale::train {

class Lora {
 public:
  struct Pair {
    int layer = 0;
    Module module = Module::kQ;
    ggml_tensor* a = nullptr;  // ne = [in, r]
    ggml_tensor* b = nullptr;  // ne = [r, out]
  };

  // A ~ N(0, 1/in) from options.seed, B = 0: the adapted model starts equal to the base.
  // Throws Error(kExitUsage) for rank < 1 or alpha <= 0.
  static std::unique_ptr<Lora> Create(const BaseModel& base, const LoraOptions& options);
  ~Lora();
  Lora(const Lora&) = delete;
  Lora& operator=(const Lora&) = delete;

  const Pair* Find(int layer, Module module) const;  // null when that weight is not adapted
  const std::vector<Pair>& pairs() const { return pairs_; }
  const LoraOptions& options() const { return options_; }
  float scale() const { return options_.alpha / static_cast<float>(options_.rank); }
  size_t parameter_count() const;
  void MarkTrainable();  // ggml_set_param on every A and B
  // Every value in pairs() order, each pair's A then B (the order of gradients and checkpoints).
  std::vector<float> Values() const;
  // Sets them back. Throws Error(kExitInput) when the count is not this adapter's.
  void SetValues(const std::vector<float>& values);

  // The adapter as llama.cpp loads it (general.type = adapter, adapter.type = lora,
  // adapter.lora.alpha, blk.N.<module>.weight.lora_a/_b), replaced atomically. Throws kExitIo.
  void Write(const std::string& path, const std::string& base_name) const;

 private:
  Lora() = default;
  LoraOptions options_;
  std::string architecture_;
  ggml_context* ctx_ = nullptr;
  ggml_backend_buffer* buffer_ = nullptr;
  std::vector<Pair> pairs_;
};

}  // namespace scale::train
