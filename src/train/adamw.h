// AdamW on the host, computed exactly as ggml's opt_step_adamw (CPU) computes it, with ggml-opt's
// defaults: the moments are then ours to checkpoint, which ggml-opt's public API does not allow.
#pragma once

#include <cstddef>
#include <cstdint>

namespace scale::train {

struct AdamWParams {
  float alpha = 1e-3f;  // learning rate
  float beta1 = 0.9f;   // ggml_opt_get_default_optimizer_params
  float beta2 = 0.999f;
  float eps = 1e-8f;
  float wd = 0.0f;      // decoupled weight decay: w *= 1 - alpha * wd
};

// One update of n values at optimiser step `iter` (1-based: the bias corrections' exponent, as
// ggml-opt's iter). m and v are the first and second moments, updated in place with w.
void AdamWUpdate(const AdamWParams& p, int64_t iter, float* w, const float* g, float* m, float* v, size_t n);

}  // namespace scale::train
