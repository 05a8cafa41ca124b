#include "engine/window_score.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include "engine/batch.h"
#include "engine/llama_log.h"
#include "engine/system_info.h"
#include "llama.h"
#include "util/error.h"

namespace scale::engine {
namespace {

// -log p(target) from one row of logits, in double precision.
double Nll(const float* logits, int n_vocab, llama_token target) {
  float max = logits[0];
  for (int i = 1; i < n_vocab; ++i) max = std::max(max, logits[i]);
  double sum = 0;
  for (int i = 0; i < n_vocab; ++i) sum += std::exp(double(logits[i]) - double(max));
  return std::log(sum) - (double(logits[target]) - double(max));
}

std::string Meta(const llama_model* model, const std::string& key) {
  char buf[256];
  int n = llama_model_meta_val_str(model, key.c_str(), buf, sizeof buf);
  return n >= 0 ? std::string(buf) : std::string();
}

}  // namespace

RopeFacts ModelRopeFacts(const LlamaEngine& engine) {
  const llama_model* model = engine.model();
  const std::string arch = Meta(model, "general.architecture");
  RopeFacts facts;
  facts.trained_ctx = llama_model_n_ctx_train(model);
  const double base = std::atof(Meta(model, arch + ".rope.freq_base").c_str());
  if (base > 0) facts.freq_base = base;
  int dim = std::atoi(Meta(model, arch + ".attention.key_length").c_str());
  const int heads = llama_model_n_head(model);
  if (dim <= 0 && heads > 0) dim = llama_model_n_embd(model) / heads;
  if (dim > 2) facts.head_dim = dim;
  return facts;
}

WindowScorer::WindowScorer(const LlamaEngine& engine, const ScoringContextParams& p) : engine_(engine) {
  const int threads = p.threads > 0 ? p.threads : PhysicalCores();
  llama_context_params cp = llama_context_default_params();
  cp.n_ctx = uint32_t(p.n_ctx);
  cp.n_batch = uint32_t(std::min(p.n_ctx, p.batch_size));
  cp.n_ubatch = cp.n_batch;
  cp.n_seq_max = 1;
  cp.n_threads = threads;
  cp.n_threads_batch = threads;
  cp.no_perf = true;
  // ggml's CPU flash-attention kernel is slow for the small head sizes of tiny models, and
  // scoring needs no memory savings at these lengths.
  cp.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
  cp.rope_scaling_type = p.rope == RopeScaling::kLinear ? LLAMA_ROPE_SCALING_TYPE_LINEAR
                         : p.rope == RopeScaling::kYarn ? LLAMA_ROPE_SCALING_TYPE_YARN
                                                        : LLAMA_ROPE_SCALING_TYPE_NONE;
  if (p.rope == RopeScaling::kLinear || p.rope == RopeScaling::kYarn) cp.rope_freq_scale = p.freq_scale;
  if (p.rope == RopeScaling::kYarn) {
    cp.yarn_orig_ctx = uint32_t(p.yarn_orig_ctx > 0 ? p.yarn_orig_ctx : llama_model_n_ctx_train(engine.model()));
  }
  if (p.freq_base > 0) cp.rope_freq_base = p.freq_base;
  ClearLlamaErrors();
  ctx_ = llama_init_from_model(engine.model(), cp);
  if (ctx_ == nullptr) {
    throw Error(kExitModel, "llama.cpp could not create a " + std::to_string(p.n_ctx) + "-token context (" +
                                LlamaErrors() + ")");
  }
  n_batch_ = int(cp.n_batch);
}

WindowScorer::~WindowScorer() { llama_free(ctx_); }

bool WindowScorer::Score(std::span<const llama_token> window, int first, WindowNll* total) {
  const llama_vocab* vocab = engine_.vocab();
  const int n_vocab = llama_vocab_n_tokens(vocab);
  const bool add_bos = llama_vocab_get_add_bos(vocab);
  const int length = int(window.size());
  llama_memory_clear(llama_get_memory(ctx_), true);
  Batch batch(n_batch_);
  for (int pos = 0; pos < length; pos += n_batch_) {
    const int n = std::min(n_batch_, length - pos);
    batch.Clear();
    for (int j = pos; j < pos + n; ++j) {
      batch.Add((j == 0 && add_bos) ? llama_vocab_bos(vocab) : window[size_t(j)], j, 0, j >= first && j < length - 1);
    }
    if (llama_decode(ctx_, batch.get()) != 0) return false;
    for (int i = 0; i < n; ++i) {
      if (!batch.wants_logits(i)) continue;
      total->sum += Nll(llama_get_logits_ith(ctx_, i), n_vocab, window[size_t(pos + i + 1)]);
      ++total->tokens;
    }
  }
  return true;
}

}  // namespace scale::engine
