// Our engine's speed at N sequences: N jobs, each a distinct prompt of npp tokens asking for ntg
// tokens, handed to Llm::RunJobs at once (the engine decodes up to --parallel together), timed from
// the streamed pieces.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/llm.h"

namespace scale::bench {

struct EngineSample {
  int jobs = 0;
  int64_t prompt_tokens = 0;     // decoded prompt tokens of the full run (cached prefix tokens excluded)
  int64_t generated_tokens = 0;  // all answer tokens of the full run
  double pp_seconds = 0;         // prompt-only run (answers of 1 token): its wall time
  double total_seconds = 0;      // full run: wall time
  double pp_tps = 0;             // prompt tokens / pp_seconds (of the prompt-only run)
  double tg_tps = 0;             // see tg_from_steps
  // true: tg_tps is tokens / time of the full run's steps in which all jobs generated (the engine
  // times them, sampling included: llama-batched-bench's measure). false (an engine that does not
  // time steps): (generated - jobs) / (total - prompt time scaled to the full run), which carries
  // the prompt run's noise.
  bool tg_from_steps = false;
  double ttft_s = 0;             // full run: mean time to first token over the jobs
  int concurrency = 0;           // most jobs seen generating at the same moment (1 = sequential)
  int failed = 0;                // jobs that did not end with stop/length (both runs)
};

// A user message whose formatted prompt is as close to `tokens` (not above) as whole words allow,
// made of pseudo-random words chosen by `salt` so that no two jobs share a prefix beyond the chat
// template's own.
std::vector<engine::Message> FillerMessages(engine::Llm& llm, int tokens, uint64_t salt);

// Runs `jobs` jobs of npp prompt tokens twice, as llama-batched-bench splits its numbers: once with
// 1-token answers (prompt processing alone), then with ntg-token answers (greedy) for generation
// speed (see EngineSample::tg_from_steps). `salt` varies the prompts (both runs and all repeats differ) so nothing comes from a
// prefix cache. `now` is the clock every figure is read from (tests script it).
using BenchClock = std::function<std::chrono::steady_clock::time_point()>;
EngineSample MeasureEngine(engine::Llm& llm, int jobs, int npp, int ntg, uint64_t salt,
                           const BenchClock& now = std::chrono::steady_clock::now);

// Median of the values (mean of the middle two for an even count); 0 for none.
double Median(std::vector<double> values);

}  // namespace scale::bench
