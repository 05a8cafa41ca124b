// One configuration of an A/B comparison (`scale eval --compare A.toml B.toml`): which model,
// adapters, prompt templates, chat format and sampling to evaluate. Keys left out fall back to the
// command line's model options. Relative paths are relative to the TOML file's directory.
//
//   name = "qwen-lora"                      # label in reports (default: the file's stem)
//   model = "models/qwen2.5-0.5b-q4_0.gguf"
//   lora = ["adapters/doc.gguf:0.8"]        # or one string; FILE[:SCALE]
//   templates = "../scale-cfg"              # a scale-cfg directory (comment.txt + templates)
//   format = "chatml"                       # --format values
//   ctx_size = 2048
//   parallel = 4
//   time_limit = 30.0
//   [sampling]
//   temperature = 0.0   top_p = 1.0   top_k = 40   min_p = 0.05   repeat_penalty = 1.0
//   repeat_last_n = 64  seed = 42     max_tokens = 128
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/llm.h"

namespace scale::eval {

struct EvalConfig {
  std::filesystem::path source;   // the TOML file
  std::string name;
  std::string model;              // resolved path, "" = command line
  std::vector<std::string> loras; // FILE[:SCALE] with FILE resolved
  std::string templates;          // resolved directory, "" = command line / default
  std::string format;             // "" = command line
  int ctx_size = 0;               // 0 = command line
  int parallel = 0;               // 0 = command line
  double time_limit_s = 0;        // 0 = command line
  std::optional<float> temperature, top_p, min_p, repeat_penalty;
  std::optional<int> top_k, repeat_last_n, max_tokens;
  std::optional<uint32_t> seed;
};

// Parses the file. Throws Error(kExitUsage) naming the file for a syntax error, an unknown key or
// a value of the wrong type (typos must not silently evaluate the wrong thing).
EvalConfig LoadEvalConfig(const std::filesystem::path& path);

// Overrides the fields the config sets.
void ApplySampling(const EvalConfig& config, engine::SamplingParams* sampling);

// The config as reports show it (only the keys it sets, plus name).
nlohmann::json ConfigJson(const EvalConfig& config);

}  // namespace scale::eval
