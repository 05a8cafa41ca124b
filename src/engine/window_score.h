// Log-likelihood of text windows under the engine's model with chosen RoPE settings, on a fresh
// one-sequence context of its own: what `scale eval context` (perplexity by length) is built on.
#pragma once

#include <span>

#include "engine/llama_engine.h"

namespace scale::engine {

struct ScoringContextParams {
  int n_ctx = 0;            // tokens per window
  int batch_size = 512;     // tokens per llama_decode (at most n_ctx)
  int threads = 0;          // 0 = physical cores
  RopeScaling rope = RopeScaling::kNone;  // kNone, kLinear or kYarn
  float freq_scale = 1.0f;  // 1 / context multiplier (linear, yarn)
  float freq_base = 0;      // 0 = the model's own base frequency
  int yarn_orig_ctx = 0;    // 0 = the trained context
};

struct WindowNll {
  double sum = 0;   // sum of -log p(token), in double precision
  long tokens = 0;  // tokens scored
};

// What NTK-aware base scaling needs to know about the model.
struct RopeFacts {
  int trained_ctx = 0;
  double freq_base = 10000;  // the GGUF's rope.freq_base, else llama's default
  int head_dim = 64;         // attention.key_length, else n_embd / n_head
};
RopeFacts ModelRopeFacts(const LlamaEngine& engine);

class WindowScorer {
 public:
  // Throws scale::Error(kExitModel) naming the length and llama.cpp's reason when the context
  // cannot be created.
  WindowScorer(const LlamaEngine& engine, const ScoringContextParams& params);
  ~WindowScorer();
  WindowScorer(const WindowScorer&) = delete;
  WindowScorer& operator=(const WindowScorer&) = delete;

  // Decodes `window` from position 0 in a cleared cache, its first token replaced by BOS when the
  // model adds one (each window starts like a document, as llama-perplexity does), and adds
  // -log p(window[j + 1]) for j in [first, size - 1) to *total token by token (so a sum over many
  // windows is the same as over one long list). False when a decode fails.
  bool Score(std::span<const llama_token> window, int first, WindowNll* total);

 private:
  const LlamaEngine& engine_;
  llama_context* ctx_ = nullptr;
  int n_batch_ = 0;
};

}  // namespace scale::engine
