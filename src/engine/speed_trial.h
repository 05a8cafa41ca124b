// How fast the engine's model decodes at a given thread count and batch size, measured on a fresh
// context of its own (the engine's context is left alone): what `scale hw --tune` compares.
#pragma once

namespace scale::engine {

class LlamaEngine;

struct SpeedTrialOptions {
  int threads = 1;
  int batch_size = 512;    // tokens per llama_decode while reading the prompt
  int prompt_tokens = 256; // prompt processing: this many tokens in batches of batch_size
  int gen_tokens = 32;     // then this many single-token decodes
};

struct DecodeSpeed {
  double prompt_seconds = 0;  // wall time of the prompt processing
  double gen_seconds = 0;     // wall time of the single-token decodes
};

// One warm-up decode (first touch of mmapped weights, thread pool start), then the timed runs.
// Token values are arbitrary but fixed: only the shapes change the speed. Throws
// scale::Error(kExitModel) if the context cannot be created or a decode fails.
DecodeSpeed MeasureDecodeSpeed(const LlamaEngine& engine, const SpeedTrialOptions& options);

}  // namespace scale::engine
