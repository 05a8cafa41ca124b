// The model/engine flags every generating command shares (-m, --threads, --ctx-size, --format,
// sampling, --lora, RoPE/YaRN, --parallel, --profile ...), and turning them into a ready engine.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "engine/llama_engine.h"
#include "engine/llm.h"
#include "hw/lora_config.h"

namespace scale::cli {

struct ModelOptions {
  std::string model;          // -m PATH; else $SCALE_MODEL; else the default model from the cache
  int gpu_layers = 0;         // --gpu-layers (-1 = all)
  int threads = 0;            // --threads (0 = physical cores)
  int ctx_size = 0;           // --ctx-size per sequence (0 = min(model's trained context, 4096))
  int batch_size = 512;       // --batch-size: tokens per llama_decode call
  int ubatch_size = 0;        // --ubatch-size: tokens per compute graph (0 = min(batch, 512))
  int parallel = 1;           // --parallel: sequences decoding together
  bool kv_unified = false;    // --kv-unified: one KV stream for all sequences (less memory)
  std::string cache_type = "f16";  // --cache-type: KV cache element type
  std::string format = "auto";// --format auto|chatml|qwen|llama3|llama2|mistral|phi3|gemma|raw
  engine::SamplingParams sampling;
  double time_limit_s = 0;    // --time-limit per request (seconds)
  std::vector<std::string> loras;  // --lora FILE[:SCALE]
  std::string lora_config;    // --lora-config FILE: a TOML [lora] table, adapters per language
  std::string rope_scaling = "none"; // --rope-scaling none|linear|yarn|auto
  float rope_scale = 0;       // --rope-scale
  float rope_freq_base = 0;   // --rope-freq-base
  int yarn_orig_ctx = 0;      // --yarn-orig-ctx
  std::string max_memory;     // --max-memory (e.g. 1G): context size and N chosen to fit
  std::string profile;        // --profile NAME (profiles/*.toml)
  bool auto_profile = false;  // --auto
  int verbosity = 0;          // -v (repeatable): llama.cpp's own logs appear at -v
  bool quiet = false;         // -q
  // Engine flags the user gave explicitly ("model", "threads", "ctx_size", "batch_size",
  // "ubatch_size", "parallel", "gpu_layers"): a profile or tuning result never overrides them.
  std::set<std::string> given;
};

// Adds the flags to `cmd`, storing into `opts` (which must outlive parsing).
void AddModelOptions(CLI::App* cmd, ModelOptions* opts);

// The engine parameters these flags ask for (model path resolved: -m, else $SCALE_MODEL). Throws
// scale::Error: kExitModel when no model is given, kExitUsage for a bad --format/--rope-scaling.
engine::EngineParams ToEngineParams(const ModelOptions& opts);

// Applies -v/-q, resolves the model (-m, $SCALE_MODEL, a profile's model, the default model),
// applies --profile/--auto, stored tuning (`scale hw --tune`) and --max-memory, and loads the model.
// Throws scale::Error (kExitModel) with a one-line message for every model problem.
// Per-language adapters (--lora-config, a profile's [lora]) go to `per_language` when the caller
// can switch them (LlamaEngine::SetActiveLoras); otherwise only their "default" entry is applied.
std::unique_ptr<engine::Llm> OpenLlm(const ModelOptions& opts, hw::LoraByLanguage* per_language = nullptr);

// The adapters to apply for `language`: every --lora plus the per-language entry (or "default").
std::vector<engine::LoraSpec> AdaptersFor(const ModelOptions& opts, const hw::LoraByLanguage& per_language,
                                          const std::string& language);

// While alive, Ctrl-C (SIGINT) calls llm->Cancel(): in-flight requests end as kCancelled and the
// command can still print what it has. A second Ctrl-C exits at once (130).
class InterruptGuard {
 public:
  explicit InterruptGuard(engine::Llm* llm);
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  bool interrupted() const;  // Ctrl-C was pressed while this guard was alive
};

}  // namespace scale::cli
