// `scale bench --train`: LoRA training speed and memory (scale train, as a child process) against
// llama-finetune's full fine-tuning on the F32 form of the same shape, same text, windows, threads.
// Measurements only: targets are printed, never asserted.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace scale::bench {

struct TrainBenchOptions {
  std::string preset = "qwen2.5-0.5b";       // testmodel preset: random weights in a real shape
  int layers = 0;          // 0 = the preset's; fewer keeps every width (llama-finetune's graph
                           // overflows its node limit on 24 layers: docs/training.md)
  std::vector<std::string> types = {"q4_0", "q8_0", "f16"};  // LoRA bases
  std::vector<int> ranks = {8, 16};
  int ctx = 512;           // tokens per window (one optimiser step each, like -b = -ub = ctx)
  int windows = 4;         // windows trained by each side
  int batch = 4;           // scale train's rows per step (llama-finetune: one window per step)
  int threads = 2;
  std::string work_dir;    // models, text and runs (the cache's bench/train by default)
  std::string scale_binary;     // this executable
  std::string finetune_binary;  // "" = llama.cpp's, next to the other reference tools
  bool reference = true;        // also run llama-finetune
  bool keep_quantized_row = true;  // one more run (first type and rank) with --keep-quantized
};

struct TrainBenchRow {
  std::string trainer;     // "scale train (LoRA)" or "llama-finetune (full)"
  std::string base_type;   // f32, f16, q8_0, q4_0
  int rank = 0;            // 0 for full fine-tuning
  bool keep_quantized = false;  // backward through the stored weights (no F32 copies)
  int64_t tokens = 0;      // tokens trained on
  double seconds = 0;      // wall time of the whole process (load, train, write)
  uint64_t peak_rss = 0;
  std::string problem;     // why this row has no numbers
  double tokens_per_second() const { return seconds > 0 ? tokens / seconds : 0; }
};

struct TrainBenchReport {
  TrainBenchOptions options;
  std::vector<TrainBenchRow> rows;  // the reference first when there is one
};

TrainBenchReport RunTrainBench(const TrainBenchOptions& options);
std::string TrainBenchMarkdown(const TrainBenchReport& report);
nlohmann::json TrainBenchJson(const TrainBenchReport& report);

}  // namespace scale::bench
