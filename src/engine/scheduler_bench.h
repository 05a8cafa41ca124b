// Throughput of the scheduler on a synthetic load, for `scale bench` and bench/sched_vs_batched.sh
// (not a test: it measures, asserts nothing). N jobs of ~npp prompt tokens each (optionally all
// starting with the same `shared` tokens) generate ntg tokens each, greedy, all submitted at once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/scheduler.h"

namespace scale::engine {

class LlamaEngine;

struct SchedulerBenchConfig {
  int jobs = 8;
  int npp = 256;     // prompt tokens per job (approximately: whole words)
  int ntg = 64;      // generated tokens per job
  int shared = 0;    // leading prompt tokens identical in every job (a system prompt)
  SchedulerOptions options;
};

struct SchedulerBenchResult {
  int parallel = 0;
  int jobs = 0;
  double seconds = 0;          // wall time of the whole run
  double all_started_s = 0;    // when the last job produced its first token
  double mean_ttft_s = 0;      // mean time to first token
  SchedulerStats stats;
  std::vector<std::string> texts;  // answers in job order (to compare runs at different N)
  double prefill_tps() const;  // prompt tokens decoded / all_started_s
  double gen_tps() const;      // generated tokens / seconds
  double total_tps() const;    // (prompt + generated tokens) / seconds, like llama-batched-bench's S
};

// Runs one batch of jobs on `engine` (its --parallel decides N).
SchedulerBenchResult BenchScheduler(LlamaEngine& engine, const SchedulerBenchConfig& config);

}  // namespace scale::engine
