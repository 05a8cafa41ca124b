#include "engine/speed_trial.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <random>
#include <vector>

#include "engine/batch.h"
#include "engine/llama_engine.h"
#include "llama.h"
#include "util/error.h"

namespace scale::engine {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

struct ContextFree {
  void operator()(llama_context* c) const { llama_free(c); }
};

}  // namespace

DecodeSpeed MeasureDecodeSpeed(const LlamaEngine& engine, const SpeedTrialOptions& o) {
  if (o.threads < 1 || o.batch_size < 1 || o.prompt_tokens < 1 || o.gen_tokens < 1) {
    throw Error(kExitUsage, "a speed trial needs positive threads, batch size and token counts");
  }
  llama_context_params cp = llama_context_default_params();
  cp.n_ctx = static_cast<uint32_t>(o.prompt_tokens + o.gen_tokens + 16);
  cp.n_batch = static_cast<uint32_t>(o.batch_size);
  cp.n_ubatch = static_cast<uint32_t>(std::min(o.batch_size, 512));
  cp.n_threads = o.threads;
  cp.n_threads_batch = o.threads;
  cp.no_perf = true;
  std::unique_ptr<llama_context, ContextFree> ctx(llama_init_from_model(engine.model(), cp));
  if (!ctx) throw Error(kExitModel, "could not create a context for tuning (out of memory?)");

  const int n_vocab = llama_vocab_n_tokens(engine.vocab());
  std::mt19937 rng(1234);
  std::vector<llama_token> tokens(static_cast<size_t>(o.prompt_tokens));
  for (auto& t : tokens) t = static_cast<llama_token>(rng() % static_cast<uint32_t>(n_vocab));

  Batch batch(o.batch_size);
  auto decode = [&](const llama_token* data, int n, int pos0) {
    batch.Clear();
    for (int i = 0; i < n; ++i) batch.Add(data[i], pos0 + i, 0, i == n - 1);
    int rc = llama_decode(ctx.get(), batch.get());
    if (rc != 0) throw Error(kExitModel, "llama_decode failed while tuning (code " + std::to_string(rc) + ")");
  };

  decode(tokens.data(), std::min(o.batch_size, o.prompt_tokens), 0);  // warm-up
  llama_memory_clear(llama_get_memory(ctx.get()), true);

  DecodeSpeed speed;
  Clock::time_point t0 = Clock::now();
  for (int pos = 0; pos < o.prompt_tokens; pos += o.batch_size) {
    decode(tokens.data() + pos, std::min(o.batch_size, o.prompt_tokens - pos), pos);
  }
  speed.prompt_seconds = Since(t0);
  t0 = Clock::now();
  for (int i = 0; i < o.gen_tokens; ++i) decode(&tokens[static_cast<size_t>(i % o.prompt_tokens)], 1, o.prompt_tokens + i);
  speed.gen_seconds = Since(t0);
  return speed;
}

}  // namespace scale::engine
