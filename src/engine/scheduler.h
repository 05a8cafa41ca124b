// Continuous batching for LlamaEngine::RunJobs: one llama.cpp context, up to params().parallel
// requests decoding together, a job graph feeding them as dependencies finish.
//
// Each step builds one llama_decode batch of at most params().batch_size tokens: one token for
// every generating sequence first, then prompt chunks of newly started sequences fill the rest.
// A finished sequence's slot is refilled at once from the ready queue (lowest job index first, so
// the same graph is always scheduled the same way). A new prompt that shares >= min_shared_prefix
// tokens with a sequence already in the KV cache (a live slot, a retained prefix in a spare
// sequence, or a prefix loaded from the on-disk PrefixCache) copies that prefix with
// llama_memory_seq_cp instead of recomputing it; Response::cached_prompt_tokens says how many.
//
// LlamaEngine::Complete is a one-job run of the same loop, so every per-request rule (refusals,
// stop strings, limits, finish reasons) lives in scheduler.cc only.
//
// Guaranteed whatever the schedule: each request's prompt_tokens, its refusals (kError,
// kContextFull), its own limits (max_tokens, time_limit_s, on_piece) and, for the same graph on
// the same context layout, the same answers run after run. Answers of a request batched and alone
// may differ by llama.cpp's floating-point effects of batch composition; on the CPU backend with
// no accelerator, greedy answers have been bit-identical (scheduler_test.cc checks it there only;
// bench/sched_vs_batched.sh reports it).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/gguf_check.h"
#include "engine/llm.h"

struct llama_context;
struct llama_context_params;

namespace scale::engine {

class LlamaEngine;

struct SchedulerOptions {
  int min_shared_prefix = 32;   // shorter common prefixes are recomputed (copy bookkeeping > gain);
                                // <= 0 turns prefix reuse off. Default: $SCALE_MIN_SHARED_PREFIX or 32
  bool disk_prefix_cache = true;
  std::filesystem::path prefix_cache_dir;  // "" = CacheDir()/prefix
  int max_disk_prefixes = 16;   // per model, least recently used deleted first
  // Seconds on a monotonic clock for time_limit_s and Response::seconds; empty = the steady
  // clock. Tests script it so that a time limit is hit without sleeping.
  std::function<double()> clock;
};

struct SchedulerStats {
  int64_t requests = 0;          // requests started (make() returned one)
  int64_t prompt_tokens = 0;     // sum of prompt lengths
  int64_t prefill_tokens = 0;    // prompt tokens actually decoded
  int64_t shared_tokens = 0;     // prompt tokens copied from another sequence's KV
  int64_t disk_tokens = 0;       // of shared_tokens, copied from prefixes loaded from disk
  int64_t generated_tokens = 0;  // sampled tokens (incl. the end-of-generation token)
  int64_t decode_calls = 0;
  int64_t prefixes_loaded = 0;   // from the disk cache at start
  int64_t prefixes_saved = 0;    // to the disk cache at the end
  int max_active = 0;            // most sequences decoding together
  double seconds = 0;            // wall time of the whole run
  // Steps in which every slot generated one token and nothing else was decoded (what
  // llama-batched-bench's generation figure measures), timed from batch assembly through
  // sampling: tokens / seconds is the engine's generation speed at full width.
  int64_t full_steps = 0;
  int64_t full_step_tokens = 0;
  double full_step_seconds = 0;
  double full_step_decode_seconds = 0;  // of which inside llama_decode (the rest is our overhead)
};

// Runs the job graph on the engine's context (the contract of Llm::RunJobs). Throws
// scale::Error(kExitWorkFailed) for a dependency cycle or an out-of-range dependency before
// running anything; exceptions from make()/done() propagate after the context is cleaned up.
void RunScheduled(LlamaEngine& engine, std::vector<Job>& jobs);
void RunScheduled(LlamaEngine& engine, std::vector<Job>& jobs, const SchedulerOptions& options,
                  SchedulerStats* stats);

// One request as a one-job run on the engine's context (slot 0): LlamaEngine::Complete.
Response CompleteScheduled(LlamaEngine& engine, const Request& request, const SchedulerOptions& options);

// The same on another context of engine.model() with `parallel` slots (sequence ids 0..parallel-1;
// ids up to llama_n_seq_max hold retained prefixes): for tests and benchmarks of context layouts.
void RunScheduledOn(LlamaEngine& engine, llama_context* ctx, int parallel, std::vector<Job>& jobs,
                    const SchedulerOptions& options, SchedulerStats* stats);

// Options used by the two-argument RunScheduled (process-wide; e.g. `--no-cache` turns off the
// disk prefix cache). Not thread-safe: set before running.
void SetDefaultSchedulerOptions(const SchedulerOptions& options);
SchedulerOptions DefaultSchedulerOptions();

// ---- context layout (for LlamaEngine::Load) ---------------------------------------------
// Spare sequence ids beyond `parallel` hold retained shared prefixes.
constexpr int kSchedulerSpareSequences = 2;
// Sets n_seq_max = parallel + spares and n_ctx so that every slot can hold a full `ctx_size`
// sequence at once. Default layout: one KV stream per sequence, so each sequence's attention spans
// only its own tokens (a unified cache makes every token attend over all sequences' cells, which on
// a CPU costs more than the prefill it saves once prompts are long); a shared prefix is then copied
// by copying the stream. `unified` = one shared stream: prefix copies are metadata-only and spares
// need less room, for tight memory at short contexts (--kv-unified).
void ConfigureSchedulerContext(llama_context_params* params, int ctx_size, int parallel, bool unified = false);

// ---- memory budget (--max-memory) --------------------------------------------------------
// The budget is parsed by ParseByteSize (util/size.h).

struct MemoryPlan {
  int ctx_size = 0;        // tokens per sequence
  int parallel = 0;        // sequences decoding together
  uint64_t model_bytes = 0;
  uint64_t kv_bytes = 0;   // K+V cache for ctx_size * parallel (+ spares)
  uint64_t other_bytes = 0;// compute buffer and runtime overhead (EstimateMemory, model_facts.h)
  uint64_t total() const { return model_bytes + kv_bytes + other_bytes; }
};

// Chooses ctx_size and parallel so that EstimateMemory (model_facts.h: weights + KV cache +
// compute buffer for `ubatch` tokens + overhead) fits in `budget` bytes.
// want_ctx / want_parallel are the caller's wishes (0 = defaults: min(trained, 4096) tokens and
// as many sequences as fit, at most 16); parallel is lowered first, then ctx_size down to
// min_ctx. The KV cache is counted in `cache_type` (--cache-type). Throws Error(kExitModel) naming
// the sizes when even parallel=1 at min_ctx does not fit.
MemoryPlan PlanMemory(const GgufInfo& model, uint64_t budget, int want_ctx, int want_parallel,
                      KvCacheType cache_type = KvCacheType::kF16, int min_ctx = 512, int ubatch = 512);

}  // namespace scale::engine
