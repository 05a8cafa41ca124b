// `scale bench` without the command line: our engine's prompt-processing and generation speed at
// each N (Llm::RunJobs with N jobs on an engine loaded with --parallel N), llama.cpp's own
// llama-batched-bench on the same model and token counts for comparison, time to first token, load
// time, peak RSS, and the comment / summarize pipelines' throughput on samples/. Medians over
// --repeat runs. Speeds are measurements, never asserted in tests.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/batched_bench.h"
#include "bench/pipelines.h"
#include "engine/llm.h"

namespace scale::bench {

struct BenchOptions {
  std::vector<int> parallel = {1, 4, 8, 16};
  int npp = 256;
  int ntg = 64;
  int repeat = 3;
  std::string model;       // path (for the report and llama-batched-bench)
  std::string model_note;  // e.g. "random weights, Qwen2.5-0.5B shape, Q4_0 (generated)"
  int threads = 1;         // resolved CPU threads (same for both engines)
  int batch_size = 512;
  int gpu_layers = 0;
  bool reference = true;   // also run llama-batched-bench
  std::string batched_bench_binary;  // "" = DefaultBatchedBenchBinary()
  PipelineOptions pipelines;  // comment / prefill / summarize on a real folder; dir "" = skip them
  bool progress = true;
};


struct BenchRow {
  int parallel = 0;
  double pp_tps = 0, tg_tps = 0, ttft_s = 0;  // medians over repeats
  double load_s = 0;
  int concurrency = 0;       // most sequences seen decoding together (1 = the engine ran them one by one)
  uint64_t peak_rss = 0;     // bytes, peak while this N was loaded and running
  int failed = 0;            // requests that did not finish normally, over all repeats
  bool tg_in_steps = false;  // tg timed over full-width generation steps (EngineSample::tg_from_steps)
  std::optional<ReferenceSpeed> reference;  // llama-batched-bench, median over repeats
  // Medians of ours / llama.cpp's over the repeats, each pair run back to back (0 = no reference).
  double pp_ratio = 0, tg_ratio = 0;
};

struct BenchReport {
  BenchOptions options;
  std::vector<BenchRow> rows;
  std::vector<PipelineRun> pipelines;
  std::string reference_problem;  // why llama-batched-bench numbers are missing, if they are
  // llama-batched-bench at N=1 with the comment run's own mean prompt and answer lengths: long
  // prompts make attention costlier than at --npp, so this is the engine limit for that folder.
  std::optional<ReferenceSpeed> folder_reference;
  int folder_npp = 0, folder_ntg = 0;
  uint64_t peak_rss = 0;          // whole run
};

BenchReport RunBench(const BenchOptions& options, const EngineFactory& open);

// llama.cpp's generation rate at N from the reference rows: measured N exactly, linear between
// two measured N, the nearest measured N outside; 0 when there is no reference.
double ReferenceTgAt(const BenchReport& report, int n);

// Markdown: one table (| N | pp t/s | tg t/s | llama.cpp pp t/s | llama.cpp tg t/s | pp ratio |
// tg ratio | TTFT s | load s | peak RSS MiB | concurrency |) plus the pipeline lines and notes.
std::string BenchMarkdown(const BenchReport& report);
// Keys: model, model_note, npp, ntg, repeat, threads, rows[{parallel, pp_tps, tg_tps, ttft_s,
// load_s, peak_rss_bytes, concurrency, failed, llama_pp_tps, llama_tg_tps, pp_ratio, tg_ratio}],
// pipeline{...}, reference_problem, peak_rss_bytes.
nlohmann::json BenchJson(const BenchReport& report);

// "1,4,8,16" -> {1,4,8,16}. Throws Error(kExitUsage) for anything but positive integers.
std::vector<int> ParseParallelList(const std::string& text);

}  // namespace scale::bench
