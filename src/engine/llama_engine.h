// The llama.cpp implementation of engine::Llm: one model, one context with `parallel` sequences.
//
//   EngineParams p; p.model_path = "model.gguf";
//   auto engine = LlamaEngine::Load(p);        // throws scale::Error(kExitModel) with a clear line
//   Response r = engine->Complete(request);
//
// The public "internals" section is the seam for the rest of engine/: scheduler.cc (which runs
// Complete and RunJobs), speed_trial.cc and window_score.cc (their own contexts on model()).
// Code outside engine/ uses the Llm interface and those engine APIs, never llama.cpp itself.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/chat_format.h"
#include "engine/kv_cache_type.h"
#include "engine/llm.h"

struct llama_model;
struct llama_context;
struct llama_vocab;
struct llama_sampler;
struct llama_adapter_lora;
typedef int32_t llama_token;

namespace scale::engine {

struct LoraSpec {
  std::string path;
  float scale = 1.0f;
};

enum class RopeScaling { kNone, kLinear, kYarn, kAuto };

struct EngineParams {
  std::string model_path;
  int gpu_layers = 0;       // layers offloaded to an accelerator (-1 = all)
  int threads = 0;          // 0 = number of physical cores
  bool use_mmap = true;
  int ctx_size = 0;         // tokens per sequence; 0 = min(trained context, 4096)
  int batch_size = 512;     // logical batch (tokens per llama_decode)
  int ubatch_size = 0;      // physical batch (tokens per compute graph); 0 = min(batch_size, 512)
  // The physical batch llama.cpp runs: ubatch_size (512 when 0), never more than batch_size.
  int EffectiveUbatch() const {
    const int u = ubatch_size > 0 ? ubatch_size : 512;
    return u < batch_size ? u : batch_size;
  }
  int parallel = 1;         // sequences that can decode together (n_seq_max)
  bool kv_unified = false;  // one KV stream for all sequences (see ConfigureSchedulerContext)
  KvCacheType cache_type = KvCacheType::kF16;  // quantised ones use flash attention
  ChatFormat format = ChatFormat::kAuto;
  std::vector<LoraSpec> loras;
  RopeScaling rope_scaling = RopeScaling::kNone;
  float rope_scale = 0;     // context multiplier for linear/yarn (0 = ctx_size / trained ctx)
  float rope_freq_base = 0; // 0 = from the model
  int yarn_orig_ctx = 0;    // 0 = trained context
  bool show_llama_logs = false;  // -v: let llama.cpp's own log lines through
};

class LlamaEngine : public Llm {
 public:
  // Loads the model and creates the context. Throws scale::Error(kExitModel) for: missing file,
  // not a GGUF file, truncated/corrupt GGUF, unknown architecture, not enough memory, bad LoRA.
  static std::unique_ptr<LlamaEngine> Load(const EngineParams& params);
  ~LlamaEngine() override;

  Response Complete(const Request& request) override;  // a one-job run of the scheduler
  void RunJobs(std::vector<Job>& jobs) override;  // up to params.parallel at once (scheduler.cc)
  GenerationTiming LastGenerationTiming() const override { return last_generation_; }
  int CountTokens(std::string_view text) override;
  int CountPromptTokens(const std::vector<Message>& messages) override;
  int ContextSize() const override;  // per sequence
  std::string Fingerprint() const override;
  std::string ModelName() const override;

  const EngineParams& params() const { return params_; }
  ChatFormat format() const { return format_; }  // resolved (never kAuto)

  // Switches the active LoRA adapters (loaded once, kept in memory) without reloading the model.
  void SetActiveLoras(const std::vector<LoraSpec>& loras);

  // ---- internals for engine/ (scheduler, speed trials, window scoring) ----------------------
  llama_model* model() const { return model_; }
  llama_context* context() const { return ctx_; }
  const llama_vocab* vocab() const;
  // The full prompt text for these messages in the resolved chat format, ending with the
  // assistant-turn opener (generation prompt).
  std::string FormatPrompt(const std::vector<Message>& messages) const;
  std::vector<llama_token> Tokenize(std::string_view text, bool add_special, bool parse_special) const;
  std::string TokenPiece(llama_token token) const;  // text of one token (special tokens rendered)
  bool IsEndOfGeneration(llama_token token) const;
  // The token that ends an assistant turn (end-of-turn, else end-of-sequence); -1 when neither.
  llama_token EndOfTurnToken() const;
  // Stop strings of the chat format plus the request's own.
  std::vector<std::string> StopStrings(const Request& request) const;
  // A new sampler chain for these parameters (caller frees with llama_sampler_free), or nullptr
  // for plain greedy decoding, which SampleNext does without a chain.
  llama_sampler* MakeSampler(const SamplingParams& sampling) const;
  // The next token from the logits of batch row `row` of ctx (-1 = the last row) with a chain from
  // MakeSampler (nullptr = greedy).
  llama_token SampleNext(llama_sampler* sampler, llama_context* ctx, int row) const;

 private:
  LlamaEngine() = default;
  void CreateContext();          // llama_engine.cc: n_ctx, batch, threads, RoPE
  void ResolveFormat();          // llama_engine.cc: --format or the GGUF's template
  llama_adapter_lora* LoraFor(const std::string& path);  // loads once, then reuses
  void UpdateFingerprint();

  EngineParams params_;
  ChatFormat format_ = ChatFormat::kChatML;
  llama_model* model_ = nullptr;
  llama_context* ctx_ = nullptr;
  std::vector<llama_adapter_lora*> loras_;  // every adapter loaded so far (owned)
  std::vector<std::string> lora_paths_;     // path of loras_[i]
  std::vector<LoraSpec> active_loras_;      // what the context applies now
  std::string fingerprint_;
  std::string model_id_;                    // content hash + size of the model file
  std::string model_template_;              // embedded Jinja template (kAuto)
  bool use_model_template_ = false;         // llama.cpp formats with model_template_
  int ctx_size_ = 0;                        // tokens per sequence, as resolved
  GenerationTiming last_generation_;        // of the last RunJobs
};

}  // namespace scale::engine
