#include "train/adamw.h"

#include <cmath>

namespace scale::train {

void AdamWUpdate(const AdamWParams& p, int64_t iter, float* w, const float* g, float* m, float* v, size_t n) {
  // The same float expressions, in the same order, as ggml-opt's parameters (beta1h, beta2h,
  // keep) and ggml-cpu's ggml_compute_forward_opt_step_adamw_f32: train.AdamW.* compares the two.
  const float beta1h = 1.0f / (1.0f - std::pow(p.beta1, static_cast<float>(iter)));
  const float beta2h = 1.0f / (1.0f - std::pow(p.beta2, static_cast<float>(iter)));
  const float keep = 1.0f - p.alpha * p.wd;
  for (size_t i = 0; i < n; ++i) {
    m[i] = m[i] * p.beta1 + g[i] * (1.0f - p.beta1);
    v[i] = v[i] * p.beta2 + g[i] * g[i] * (1.0f - p.beta2);
    const float mh = m[i] * beta1h;
    const float vh = std::sqrt(v[i] * beta2h) + p.eps;
    w[i] = w[i] * keep - p.alpha * mh / vh;
  }
}

}  // namespace scale::train
