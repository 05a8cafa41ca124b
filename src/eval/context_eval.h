// `scale eval context`: how perplexity holds up as the context grows past the model's trained
// length, for each RoPE scaling method (none, linear position interpolation, YaRN, NTK-aware base
// scaling). Scored through the engine (engine/window_score.h) like llama-perplexity: the text is
// cut into windows of `length` tokens and the NLL is taken over the second half of each window
// only, so every scored token sees at least length/2 tokens of context. CLI: cli/cmd_eval_context.cc.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace scale::eval {

struct ContextEvalOptions {
  std::string model_path;
  std::string text;                         // the evaluation text itself
  std::vector<int> lengths = {1024, 2048, 4096, 8192};
  std::vector<std::string> methods = {"none", "linear", "yarn"};  // also "ntk"
  int max_windows = 4;     // per length (non-overlapping windows from the start of the text)
  float rope_scale = 0;    // context multiplier; 0 = max(1, length / trained context)
  int threads = 0;         // 0 = physical cores
  int gpu_layers = 0;
  int batch_size = 512;
};

struct ContextEvalCell {
  std::string method;
  int length = 0;
  double perplexity = 0;   // 0 when skipped
  double factor = 1;       // context multiplier applied (1 = no scaling)
  int windows = 0;
  long scored_tokens = 0;
  std::string skipped;     // why there is no number (text too short, context failed)
};

struct ContextEvalReport {
  std::string model;
  int trained_context = 0;
  long text_tokens = 0;
  std::vector<ContextEvalCell> cells;  // lengths x methods, in option order
  const ContextEvalCell* Find(const std::string& method, int length) const;
  nlohmann::json ToJson() const;
  std::string Table() const;           // lengths down, methods across
};

// Throws Error(kExitModel) if the model cannot be loaded, Error(kExitUsage) for an unknown method
// or a bad length, Error(kExitInput) for an empty text.
ContextEvalReport RunContextEval(const ContextEvalOptions& options);

}  // namespace scale::eval
