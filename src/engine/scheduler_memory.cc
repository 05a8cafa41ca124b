// Context layout and --max-memory planning for the scheduler (declared in engine/scheduler.h).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>

#include "engine/scheduler.h"
#include "llama.h"
#include "util/error.h"

namespace scale::engine {
namespace {

constexpr int kDefaultCtx = 4096;
constexpr int kMaxAutoParallel = 16;
constexpr uint64_t kRuntimeOverhead = 64ull << 20;  // ggml contexts, tokenizer, our own buffers

std::string Mib(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f MiB", bytes / double(1ull << 20));
  return buf;
}

// KV cells the context holds: every sequence (slots and spares) gets a whole ctx_size stream,
// except in the unified layout, where spares only need room for a prefix (a system prompt plus
// template is rarely more than a few hundred tokens; the scheduler evicts them when full).
uint64_t ContextCells(int ctx_size, int parallel, bool unified) {
  if (unified) {
    return uint64_t(ctx_size) * uint64_t(parallel) + uint64_t(std::min(ctx_size, 512)) * kSchedulerSpareSequences;
  }
  return uint64_t(ctx_size) * uint64_t(parallel + kSchedulerSpareSequences);
}

}  // namespace

void ConfigureSchedulerContext(llama_context_params* params, int ctx_size, int parallel, bool unified) {
  params->n_seq_max = static_cast<uint32_t>(parallel + kSchedulerSpareSequences);
  params->kv_unified = unified;
  params->n_ctx = static_cast<uint32_t>(ContextCells(ctx_size, parallel, unified));
}

uint64_t ParseMemorySize(std::string_view text) {
  std::string s(text);
  size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
  std::string number = s.substr(0, i), unit = s.substr(i);
  for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!unit.empty() && unit.back() == 'b') unit.pop_back();               // "GB", "MiB" -> "g", "mi"
  if (!unit.empty() && unit.back() == 'i') unit.pop_back();               // binary units either way
  double value = 0;
  bool ok = !number.empty() && number.find('.') == number.rfind('.');
  if (ok) {
    try {
      value = std::stod(number);
    } catch (const std::exception&) {
      ok = false;
    }
  }
  double scale = unit.empty() ? 1 : unit == "k" ? 1024.0 : unit == "m" ? 1048576.0 : unit == "g" ? 1073741824.0
                                : unit == "t" ? 1099511627776.0 : 0;
  if (!ok || scale == 0 || value <= 0 || !std::isfinite(value * scale)) {
    throw Error(kExitUsage, "invalid memory size '" + s + "' (expected e.g. 800M, 1G, 1.5GiB)");
  }
  return static_cast<uint64_t>(value * scale);
}

MemoryPlan PlanMemory(const GgufInfo& model, uint64_t budget, int want_ctx, int want_parallel,
                      std::string_view cache_type, int min_ctx) {
  MemoryPlan plan;
  plan.model_bytes = model.file_size;
  // Compute buffers grow with the model's width; 10% of the weights is what llama.cpp's CPU
  // backend needed for the 0.5B-1.5B models we measured, plus fixed runtime overhead.
  plan.other_bytes = kRuntimeOverhead + model.file_size / 10;
  int trained = model.n_ctx_train > 0 ? model.n_ctx_train : kDefaultCtx;
  int ctx = want_ctx > 0 ? want_ctx : std::min(trained, kDefaultCtx);
  min_ctx = std::min(min_ctx, ctx);
  int parallel = want_parallel > 0 ? want_parallel : kMaxAutoParallel;
  auto kv = [&](int c, int p) {
    return KvCacheBytes(model, ContextCells(c, p, /*unified=*/false), cache_type);
  };
  auto fits = [&](int c, int p) { return plan.model_bytes + plan.other_bytes + kv(c, p) <= budget; };
  while (parallel > 1 && !fits(ctx, parallel)) --parallel;
  while (ctx > min_ctx && !fits(ctx, parallel)) ctx = std::max(min_ctx, ctx - 256);
  if (!fits(ctx, parallel)) {
    throw Error(kExitModel, "--max-memory " + Mib(budget) + " is too small for this model: weights " +
                                Mib(plan.model_bytes) + " + KV cache " + Mib(kv(ctx, 1)) + " for " +
                                std::to_string(ctx) + " tokens + about " + Mib(plan.other_bytes) + " runtime");
  }
  plan.ctx_size = ctx;
  plan.parallel = parallel;
  plan.kv_bytes = kv(ctx, parallel);
  return plan;
}

}  // namespace scale::engine
