#include "train/forward.h"

#include <cmath>
#include <limits>

#include "ggml-backend.h"
#include "ggml.h"

namespace scale::train {
namespace {

// Where a dropout mask applies: the shared input of q/k/v, the input of o, of gate/up, of down.
enum Site { kAttnIn, kOIn, kFfnIn, kDownIn, kSites };

Site SiteOf(Module m) {
  switch (m) {
    case Module::kQ:
    case Module::kK:
    case Module::kV: return kAttnIn;
    case Module::kO: return kOIn;
    case Module::kGate:
    case Module::kUp: return kFfnIn;
    case Module::kDown: return kDownIn;
  }
  return kAttnIn;
}

struct Builder {
  ggml_context* ctx;
  const BaseModel& model;
  const Lora* lora;
  bool dropout;
  bool dequantize;
  Forward* f;
  std::vector<ggml_tensor*> site_masks;  // per (layer, site); null = no mask there

  ggml_tensor* Mask(int layer, Site site, int64_t width, int64_t n_tokens) {
    ggml_tensor*& m = site_masks[static_cast<size_t>(layer * kSites + site)];
    if (!m) {
      m = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, width, n_tokens);
      ggml_set_input(m);
      f->dropout.push_back(m);
    }
    return m;
  }

  // W x, plus (alpha / r) B (A x') where the LoRA adapts W; x' is x after dropout.
  ggml_tensor* Weight(ggml_tensor* w) {
    return dequantize && w->type != GGML_TYPE_F32 ? ggml_cast(ctx, w, GGML_TYPE_F32) : w;
  }

  ggml_tensor* Project(ggml_tensor* w, ggml_tensor* x, int layer, Module module) {
    ggml_tensor* y = ggml_mul_mat(ctx, Weight(w), x);
    const Lora::Pair* p = lora ? lora->Find(layer, module) : nullptr;
    if (!p) return y;
    ggml_tensor* in = x;
    if (dropout) in = ggml_mul(ctx, x, Mask(layer, SiteOf(module), x->ne[0], x->ne[1]));
    ggml_tensor* ab = ggml_mul_mat(ctx, p->b, ggml_mul_mat(ctx, p->a, in));
    return ggml_add(ctx, y, ggml_scale(ctx, ab, lora->scale()));
  }

  ggml_tensor* Rope(ggml_tensor* x) {
    const Hparams& hp = model.hparams();
    // llama rotates adjacent pairs, qwen2 (NeoX style) the two halves of each head.
    const int mode = hp.architecture == "qwen2" ? GGML_ROPE_TYPE_NEOX : GGML_ROPE_TYPE_NORMAL;
    return ggml_rope_ext(ctx, x, f->positions, model.rope_freqs(), hp.n_rot, mode, hp.n_ctx_train,
                         hp.rope_freq_base, hp.rope_freq_scale, /*ext_factor=*/0.0f, /*attn_factor=*/1.0f,
                         /*beta_fast=*/32.0f, /*beta_slow=*/1.0f);
  }

  ggml_tensor* Attention(const Layer& l, int il, ggml_tensor* x, int64_t n) {
    const Hparams& hp = model.hparams();
    const int64_t hd = hp.head_dim();
    ggml_tensor* q = Project(l.wq, x, il, Module::kQ);
    ggml_tensor* k = Project(l.wk, x, il, Module::kK);
    ggml_tensor* v = Project(l.wv, x, il, Module::kV);
    if (l.bq) q = ggml_add(ctx, q, l.bq);
    if (l.bk) k = ggml_add(ctx, k, l.bk);
    if (l.bv) v = ggml_add(ctx, v, l.bv);
    q = Rope(ggml_reshape_3d(ctx, q, hd, hp.n_head, n));
    k = Rope(ggml_reshape_3d(ctx, k, hd, hp.n_head_kv, n));
    v = ggml_reshape_3d(ctx, v, hd, hp.n_head_kv, n);
    // [head_dim, tokens, heads]; contiguous so every backward op sees plain layouts.
    q = ggml_cont(ctx, ggml_permute(ctx, q, 0, 2, 1, 3));
    k = ggml_cont(ctx, ggml_permute(ctx, k, 0, 2, 1, 3));
    ggml_tensor* vt = ggml_cont(ctx, ggml_permute(ctx, v, 1, 2, 0, 3));  // [tokens, head_dim, kv heads]
    ggml_tensor* kq = ggml_mul_mat(ctx, k, q);  // [tokens_k, tokens_q, heads]; kv heads broadcast (GQA)
    kq = ggml_soft_max_ext(ctx, kq, f->mask, 1.0f / std::sqrt(static_cast<float>(hd)), 0.0f);
    ggml_tensor* kqv = ggml_mul_mat(ctx, vt, kq);  // [head_dim, tokens_q, heads]
    ggml_tensor* merged = ggml_cont_2d(ctx, ggml_permute(ctx, kqv, 0, 2, 1, 3), hp.n_embd, n);
    return Project(l.wo, merged, il, Module::kO);
  }

  ggml_tensor* FeedForward(const Layer& l, int il, ggml_tensor* x) {
    ggml_tensor* gate = Project(l.ffn_gate, x, il, Module::kGate);
    ggml_tensor* up = Project(l.ffn_up, x, il, Module::kUp);
    ggml_tensor* h = ggml_mul(ctx, ggml_silu(ctx, gate), up);
    return Project(l.ffn_down, h, il, Module::kDown);
  }
};

}  // namespace

Forward BuildForward(ggml_context* ctx, const BaseModel& model, const Lora* lora, int n_tokens, int n_out,
                     bool dropout, bool dequantize) {
  const Hparams& hp = model.hparams();
  Forward f;
  Builder b{ctx, model, lora, dropout && lora != nullptr, dequantize, &f,
            std::vector<ggml_tensor*>(static_cast<size_t>(hp.n_layer * kSites), nullptr)};
  f.tokens = ggml_new_tensor_1d(ctx, GGML_TYPE_I32, n_tokens);
  f.positions = ggml_new_tensor_1d(ctx, GGML_TYPE_I32, n_tokens);
  f.mask = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, n_tokens, n_tokens);
  f.out_rows = ggml_new_tensor_1d(ctx, GGML_TYPE_I32, n_out);
  for (ggml_tensor* t : {f.tokens, f.positions, f.mask, f.out_rows}) ggml_set_input(t);

  ggml_tensor* x = ggml_get_rows(ctx, model.token_embd(), f.tokens);  // [n_embd, n_tokens]
  for (int il = 0; il < hp.n_layer; ++il) {
    const Layer& l = model.layers()[static_cast<size_t>(il)];
    ggml_tensor* h = ggml_mul(ctx, ggml_rms_norm(ctx, x, hp.rms_eps), l.attn_norm);
    x = ggml_add(ctx, x, b.Attention(l, il, h, n_tokens));
    h = ggml_mul(ctx, ggml_rms_norm(ctx, x, hp.rms_eps), l.ffn_norm);
    x = ggml_add(ctx, x, b.FeedForward(l, il, h));
  }
  x = ggml_get_rows(ctx, x, f.out_rows);  // only the rows whose next token is scored
  x = ggml_mul(ctx, ggml_rms_norm(ctx, x, hp.rms_eps), model.output_norm());
  f.logits = ggml_mul_mat(ctx, b.Weight(model.output()), x);
  return f;
}

void FillInputs(const Forward& f, const std::vector<int32_t>& tokens, const std::vector<int32_t>& rows,
                float dropout, std::mt19937_64* rng) {
  const int64_t n = static_cast<int64_t>(tokens.size());
  ggml_backend_tensor_set(f.tokens, tokens.data(), 0, ggml_nbytes(f.tokens));
  std::vector<int32_t> pos(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) pos[static_cast<size_t>(i)] = static_cast<int32_t>(i);
  ggml_backend_tensor_set(f.positions, pos.data(), 0, ggml_nbytes(f.positions));
  std::vector<float> mask(static_cast<size_t>(n * n));
  for (int64_t q = 0; q < n; ++q) {
    for (int64_t k = 0; k < n; ++k) {
      mask[static_cast<size_t>(q * n + k)] = k <= q ? 0.0f : -std::numeric_limits<float>::infinity();
    }
  }
  ggml_backend_tensor_set(f.mask, mask.data(), 0, ggml_nbytes(f.mask));
  ggml_backend_tensor_set(f.out_rows, rows.data(), 0, ggml_nbytes(f.out_rows));
  const float keep = 1.0f - dropout;
  for (ggml_tensor* m : f.dropout) {
    std::vector<float> v(static_cast<size_t>(ggml_nelements(m)), 1.0f);
    if (rng && dropout > 0) {
      // Inverted dropout: kept inputs are scaled by 1/keep so the expected value is unchanged.
      for (float& x : v) x = (static_cast<double>((*rng)() >> 11) * 0x1.0p-53 < keep) ? 1.0f / keep : 0.0f;
    }
    ggml_backend_tensor_set(m, v.data(), 0, ggml_nbytes(m));
  }
}

}  // namespace scale::train
