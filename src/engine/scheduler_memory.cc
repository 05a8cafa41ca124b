// Context layout and --max-memory planning for the scheduler (declared in engine/scheduler.h).
#include <algorithm>
#include <string>

#include "engine/scheduler.h"
#include "llama.h"
#include "util/error.h"
#include "util/size.h"

namespace scale::engine {
namespace {

constexpr int kDefaultCtx = 4096;
constexpr int kMaxAutoParallel = 16;

}  // namespace

void ConfigureSchedulerContext(llama_context_params* params, int ctx_size, int parallel, bool unified) {
  params->n_seq_max = static_cast<uint32_t>(parallel + kSchedulerSpareSequences);
  params->kv_unified = unified;
  params->n_ctx = static_cast<uint32_t>(ContextCells(ctx_size, parallel, unified));
}

MemoryPlan PlanMemory(const GgufInfo& model, uint64_t budget, int want_ctx, int want_parallel,
                      KvCacheType cache_type, int min_ctx, int ubatch) {
  int trained = model.n_ctx_train > 0 ? model.n_ctx_train : kDefaultCtx;
  int ctx = want_ctx > 0 ? want_ctx : std::min(trained, kDefaultCtx);
  min_ctx = std::min(min_ctx, ctx);
  int parallel = want_parallel > 0 ? want_parallel : kMaxAutoParallel;
  auto estimate = [&](int c, int p) {
    return EstimateMemory(model, model.file_size, {c, p, ubatch, cache_type, /*unified=*/false});
  };
  auto fits = [&](int c, int p) { return estimate(c, p).total() <= budget; };
  while (parallel > 1 && !fits(ctx, parallel)) --parallel;
  while (ctx > min_ctx && !fits(ctx, parallel)) ctx = std::max(min_ctx, ctx - 256);
  MemoryEstimate m = estimate(ctx, parallel);
  if (m.total() > budget) {
    throw Error(kExitModel, "--max-memory " + FormatBytes(budget) + " is too small for this model: weights " +
                                FormatBytes(m.weights) + " + KV cache " + FormatBytes(estimate(ctx, 1).kv_cache) +
                                " for " + std::to_string(ctx) + " tokens + about " +
                                FormatBytes(m.compute + m.overhead) + " compute and runtime");
  }
  MemoryPlan plan;
  plan.ctx_size = ctx;
  plan.parallel = parallel;
  plan.model_bytes = m.weights;
  plan.kv_bytes = m.kv_cache;
  plan.other_bytes = m.compute + m.overhead;
  return plan;
}

}  // namespace scale::engine
