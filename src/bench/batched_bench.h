// llama.cpp's own llama-batched-bench, run as a child process on the same model, sequence counts and
// token counts, so `scale bench` can show how close our engine gets to the library's best case.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace scale::bench {

struct ReferenceSpeed {
  int parallel = 0;
  double pp_tps = 0;  // prompt tokens per second over all sequences (S_PP)
  double tg_tps = 0;  // generated tokens per second over all sequences (S_TG)
};

struct BatchedBenchArgs {
  std::string binary;  // path of llama-batched-bench
  std::string model;
  std::vector<int> parallel;
  int npp = 256;
  int ntg = 64;
  int threads = 1;
  int batch_size = 512;
  int gpu_layers = 0;
};

// The argv: -m MODEL -c max(N)*(npp+ntg) -b -ub -npp -ntg -npl N1,N2,..,1 -t/-tb --output-format jsonl.
std::vector<std::string> BatchedBenchCommand(const BatchedBenchArgs& args);

// Parses the JSON lines it prints ({"pl":N, "speed_pp":.., "speed_tg":..}), ignoring other output;
// the first line of each N wins.
std::map<int, ReferenceSpeed> ParseBatchedBench(const std::string& output);

// Runs it. Empty result + *problem set when the binary is missing or fails.
std::map<int, ReferenceSpeed> RunBatchedBench(const BatchedBenchArgs& args, std::string* problem);

// SCALE_LLAMA_BIN_DIR/llama-batched-bench (the llama.cpp build scale links).
std::string DefaultBatchedBenchBinary();

}  // namespace scale::bench
