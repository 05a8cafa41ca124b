// The host AdamW against ggml's own opt_step_adamw op on the CPU backend: the same update over
// several steps with weight decay, to float rounding (ggml is built with -march=native and may fuse
// multiply-adds that this file's compiler does not), so leaving ggml-opt changed no formula.
#include "train/adamw.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "ggml-cpu.h"
#include "ggml.h"

namespace scale::train {
namespace {

TEST(AdamW, SameUpdateAsGgmlsOptStepAdamw) {
  constexpr int kN = 1000;
  ggml_init_params ip = {16u << 20, nullptr, /*no_alloc=*/false};
  ggml_context* ctx = ggml_init(ip);
  ggml_tensor* w = ggml_new_tensor_1d(ctx, GGML_TYPE_F32, kN);
  ggml_tensor* g = ggml_new_tensor_1d(ctx, GGML_TYPE_F32, kN);
  ggml_tensor* m = ggml_new_tensor_1d(ctx, GGML_TYPE_F32, kN);
  ggml_tensor* v = ggml_new_tensor_1d(ctx, GGML_TYPE_F32, kN);
  ggml_tensor* pars = ggml_new_tensor_1d(ctx, GGML_TYPE_F32, 7);
  ggml_set_param(w);
  ggml_tensor* step = ggml_opt_step_adamw(ctx, w, g, m, v, pars);
  ggml_cgraph* gf = ggml_new_graph(ctx);
  ggml_build_forward_expand(gf, step);

  std::mt19937_64 rng(42);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  std::vector<float> hw(kN), hm(kN, 0.0f), hv(kN, 0.0f), hg(kN);
  for (float& x : hw) x = nd(rng);
  std::memcpy(w->data, hw.data(), kN * sizeof(float));
  std::memset(m->data, 0, kN * sizeof(float));
  std::memset(v->data, 0, kN * sizeof(float));
  for (int iter = 1; iter <= 5; ++iter) {
    AdamWParams p;
    p.alpha = 1e-2f / static_cast<float>(iter);
    p.wd = 0.1f;
    for (float& x : hg) x = nd(rng) * 0.01f;
    std::memcpy(g->data, hg.data(), kN * sizeof(float));
    // ggml-opt's parameter block for this iter (ggml-opt.cpp, ggml_opt_eval).
    float* pp = static_cast<float*>(pars->data);
    pp[0] = p.alpha, pp[1] = p.beta1, pp[2] = p.beta2, pp[3] = p.eps, pp[4] = p.wd;
    pp[5] = 1.0f / (1.0f - powf(p.beta1, static_cast<float>(iter)));
    pp[6] = 1.0f / (1.0f - powf(p.beta2, static_cast<float>(iter)));
    ASSERT_EQ(ggml_graph_compute_with_ctx(ctx, gf, 2), GGML_STATUS_SUCCESS);
    AdamWUpdate(p, iter, hw.data(), hg.data(), hm.data(), hv.data(), kN);
    // A few float roundings apart at most: relative 1e-5 (a wrong beta, bias correction or decay
    // is off by far more: the step itself is 1e-2 of a value).
    auto close = [](float a, float b) { return std::fabs(a - b) <= 1e-5f * std::fabs(b) + 1e-30f; };
    int differ = 0;
    for (int i = 0; i < kN; ++i) {
      differ += !close(hw[i], static_cast<float*>(w->data)[i]);
      differ += !close(hm[i], static_cast<float*>(m->data)[i]);
      differ += !close(hv[i], static_cast<float*>(v->data)[i]);
    }
    EXPECT_EQ(differ, 0) << "iter " << iter;
    // Continue both from the same values, so that rounding differences do not accumulate.
    std::memcpy(hw.data(), w->data, kN * sizeof(float));
    std::memcpy(hm.data(), m->data, kN * sizeof(float));
    std::memcpy(hv.data(), v->data, kN * sizeof(float));
  }
  ggml_free(ctx);
}

TEST(AdamW, FirstStepMovesEachValueByTheRateAgainstItsGradient) {
  // Bias correction makes the first step -alpha * sign(g) (|g| >> eps), whatever the gradient's size.
  std::vector<float> w = {1, 1, 1}, g = {0.5f, -3e-3f, 20}, m(3, 0), v(3, 0);
  AdamWParams p;
  p.alpha = 0.01f;
  AdamWUpdate(p, 1, w.data(), g.data(), m.data(), v.data(), 3);
  EXPECT_NEAR(w[0], 0.99f, 1e-6);
  EXPECT_NEAR(w[1], 1.01f, 1e-5);
  EXPECT_NEAR(w[2], 0.99f, 1e-6);
}

}  // namespace
}  // namespace scale::train
