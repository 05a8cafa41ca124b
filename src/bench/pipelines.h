// The real jobs' speed for `scale bench`: `scale comment` over a folder at several N, the prefill
// each routine costs with prefix sharing off / on / from the disk prefix cache, and
// `scale summarize` over the same folder, each next to the "ideal" rate the engine limit allows.
//
// Ideal: if every prompt token the run decoded went at llama.cpp's prompt rate and every generated
// token at llama.cpp's generation rate for that N (llama-batched-bench, measured in the same run),
// the run would take prefill / pp + generated / tg(N) seconds. The ratio to it says how much the
// scheduling, prompt layout and sampling cost on top of the raw engine.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "annotate/pipeline.h"
#include "engine/llm.h"
#include "engine/scheduler.h"

namespace scale::bench {

struct PipelineRun {
  std::string what;             // "comment", "prefill" or "summarize"
  int parallel = 0;
  std::string sharing = "on";   // prefix sharing: "off", "on", "disk-cold", "disk-warm"
  int items = 0;                // routines asked about / chunks decoded
  int accepted = 0;             // comment: routines whose answer became a comment
  int64_t prompt_tokens = 0;    // prompt tokens of every request
  int64_t prefill_tokens = 0;   // of those, decoded (not copied from a shared or cached prefix)
  int64_t generated_tokens = 0;
  double seconds = 0;
  uint64_t peak_rss = 0;        // bytes, while this run's engine was loaded (0 = unknown)
  double ideal_seconds = 0;     // from the engine limit; 0 = no llama.cpp reference
  double per_min() const { return seconds > 0 ? items * 60.0 / seconds : 0; }
  double ideal_per_min() const { return ideal_seconds > 0 ? items * 60.0 / ideal_seconds : 0; }
  double prefill_per_item() const { return items > 0 ? double(prefill_tokens) / items : 0; }
};

struct PipelineOptions {
  std::string dir;                       // the folder whose .py/.c/.h/.js files comment takes
  std::string summarize_dir;             // the folder summarize walks ("" = dir)
  std::vector<int> comment_parallel;     // N values for the comment rate (empty = skip it)
  int prefill_parallel = 4;              // N for the sharing study (0 = skip it)
  int summarize_parallel = 10;           // N for summarize (0 = skip it)
  int max_tokens = 64;                   // answer budget of comment and summarize requests
  int summarize_ctx = 4096;              // tokens per sequence for summarize (a 300-line chunk fits)
  int chunk_lines = 300;
};

// Opens the model with `parallel` sequences of `ctx_size` tokens (0 = the engine's default).
using EngineFactory = std::function<std::unique_ptr<engine::Llm>(int parallel, int ctx_size)>;

// Runs everything `options` asks for, in order: comment at each N, the sharing study, summarize.
// Throws Error(kExitUsage) when the folder holds no supported source file.
std::vector<PipelineRun> MeasurePipelines(const PipelineOptions& options, const EngineFactory& open);

// Fills ideal_seconds from llama.cpp's prompt rate `pp` and its generation rate at N, `tg_at(N)`
// (<= 0 when unknown, which leaves the run without an ideal).
void SetIdeal(std::vector<PipelineRun>* runs, double pp, const std::function<double(int)>& tg_at);

std::string PipelinesMarkdown(const std::vector<PipelineRun>& runs, const PipelineOptions& options);
nlohmann::json PipelinesJson(const std::vector<PipelineRun>& runs);

// The files of `dir` (not its subfolders) that a language worker takes, in name order.
std::vector<annotate::SourceFile> SourceFiles(const std::string& dir);

// Prefix sharing and the disk prefix cache (on when `disk_dir` is not empty) for the engine runs
// that follow: process-wide scheduler options, restored when this goes.
class SharingMode {
 public:
  SharingMode(bool share, const std::filesystem::path& disk_dir);
  ~SharingMode();
  SharingMode(const SharingMode&) = delete;
  SharingMode& operator=(const SharingMode&) = delete;

 private:
  engine::SchedulerOptions saved_;
};

}  // namespace scale::bench
