// Loading: file checks, memory estimate, model + context creation, chat format, LoRA, fingerprint.
// Generation lives in llama_generate.cc.
#include "engine/llama_engine.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "engine/file_hash.h"
#include "engine/gguf_check.h"
#include "engine/llama_log.h"
#include "engine/scheduler.h"
#include "engine/system_info.h"
#include "llama.h"
#include "util/error.h"
#include "util/log.h"
#include "util/size.h"

namespace scale::engine {
namespace {

constexpr int kDefaultMaxCtx = 4096;

std::string WithReason(const std::string& message) {
  std::string why = LlamaErrors();
  return why.empty() ? message : message + ": " + why;
}

int ResolvedCtxSize(const EngineParams& params, int n_ctx_train) {
  if (params.ctx_size > 0) return params.ctx_size;
  int trained = n_ctx_train > 0 ? n_ctx_train : kDefaultMaxCtx;
  return std::min(trained, kDefaultMaxCtx);
}

// Weights (mmap'd or read, they end up in RAM on a CPU run), KV cache and compute buffer must fit in what
// the kernel reports available, else llama.cpp would swap to a crawl or be OOM-killed mid-run.
void CheckMemory(const EngineParams& params, const GgufInfo& info, int ctx_size) {
  if (params.gpu_layers != 0) return;  // weights and cache go to the accelerator; llama.cpp decides
  uint64_t available = AvailableMemoryBytes();
  if (available == 0) return;
  MemoryEstimate m = EstimateMemory(info, info.file_size, {ctx_size, std::max(1, params.parallel), params.EffectiveUbatch(),
                                                          params.cache_type, params.kv_unified});
  uint64_t kv = m.kv_cache, need = m.total();
  if (need > available) {
    throw Error(kExitModel, "not enough memory for " + params.model_path + ": needs about " + FormatBytes(need) +
                                " (weights " + FormatBytes(m.weights) + " + compute and runtime " + FormatBytes(m.compute + m.overhead) +
                                " + KV cache " + FormatBytes(kv) + " for " +
                                std::to_string(ctx_size) + " tokens x " + std::to_string(params.parallel) +
                                " sequences) but " + FormatBytes(available) +
                                " is available; lower --ctx-size/--parallel or use a smaller model");
  }
}

void CheckAdapterFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw Error(kExitModel, "LoRA adapter not found: " + path);
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {0, 0, 0, 0};
  in.read(magic, 4);
  if (in.gcount() < 4 || std::string(magic, 4) != "GGUF") {
    throw Error(kExitModel, "LoRA adapter " + path + " is not a GGUF file (convert it with convert_lora_to_gguf.py)");
  }
}

}  // namespace

std::unique_ptr<LlamaEngine> LlamaEngine::Load(const EngineParams& params) {
  InstallLlamaLogFilter();
  ShowLlamaLogs(params.show_llama_logs);
  if (params.parallel < 1 || params.parallel > static_cast<int>(llama_max_parallel_sequences())) {
    throw Error(kExitUsage, "--parallel must be between 1 and " + std::to_string(llama_max_parallel_sequences()));
  }
  if (params.batch_size < 1) throw Error(kExitUsage, "--batch-size must be at least 1");
  GgufInfo info = InspectModelFile(params.model_path);
  const int ctx_size = ResolvedCtxSize(params, info.n_ctx_train);
  // llama.cpp counts cells in 32 bits; refuse before the product wraps around.
  if (static_cast<uint64_t>(ctx_size) * static_cast<uint64_t>(params.parallel) + 4096 > 0xFFFFFFFFull) {
    throw Error(kExitUsage, "--ctx-size " + std::to_string(ctx_size) + " x --parallel " +
                                std::to_string(params.parallel) + " is too large a context");
  }
  CheckMemory(params, info, ctx_size);

  static std::once_flag backend_once;
  std::call_once(backend_once, [] { llama_backend_init(); });

  std::unique_ptr<LlamaEngine> engine(new LlamaEngine());
  engine->params_ = params;
  llama_model_params mp = llama_model_default_params();
  mp.n_gpu_layers = params.gpu_layers;
  mp.load_mode = params.use_mmap ? LLAMA_LOAD_MODE_MMAP : LLAMA_LOAD_MODE_NONE;
  ClearLlamaErrors();
  engine->model_ = llama_model_load_from_file(params.model_path.c_str(), mp);
  if (engine->model_ == nullptr) {
    std::string why = LlamaErrors();
    if (why.find("unknown model architecture") != std::string::npos) {
      throw Error(kExitModel, "model " + params.model_path + ": architecture '" + info.architecture +
                                  "' is not supported by this llama.cpp (version " + std::string(SCALE_LLAMA_VERSION) + ")");
    }
    throw Error(kExitModel, "llama.cpp could not load " + params.model_path +
                                (why.empty() ? std::string(" (run with -v to see llama.cpp's log)") : ": " + why));
  }
  engine->model_id_ = FileIdentity(params.model_path);
  engine->CreateContext();
  engine->ResolveFormat();
  engine->SetActiveLoras(params.loras);
  return engine;
}

LlamaEngine::~LlamaEngine() {
  if (ctx_ != nullptr) llama_free(ctx_);
  for (llama_adapter_lora* adapter : loras_) llama_adapter_lora_free(adapter);
  if (model_ != nullptr) llama_model_free(model_);
}

void LlamaEngine::CreateContext() {
  const int trained = llama_model_n_ctx_train(model_);
  ctx_size_ = ResolvedCtxSize(params_, trained);
  llama_context_params cp = llama_context_default_params();
  // n_seq_max, n_ctx (ctx_size per slot + room for shared prefixes) and the KV layout are the
  // scheduler's to choose; Complete only uses sequence 0 of it.
  ConfigureSchedulerContext(&cp, ctx_size_, params_.parallel, params_.kv_unified);
  cp.n_batch = static_cast<uint32_t>(params_.batch_size);
  cp.n_ubatch = static_cast<uint32_t>(params_.EffectiveUbatch());
  int threads = params_.threads > 0 ? params_.threads : PhysicalCores();
  cp.n_threads = threads;
  cp.n_threads_batch = threads;
  cp.no_perf = true;
  if (params_.cache_type != KvCacheType::kF16) {
    // llama.cpp keeps a quantised V cache only with flash attention; K follows for the same saving.
    ggml_type type = params_.cache_type == KvCacheType::kQ8_0 ? GGML_TYPE_Q8_0 : GGML_TYPE_Q4_0;
    cp.type_k = type;
    cp.type_v = type;
    cp.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_ENABLED;
  }
  // Ctrl-C must be able to stop a long prompt decode, not only the token loop.
  cp.abort_callback = [](void* self) { return static_cast<LlamaEngine*>(self)->cancelled(); };
  cp.abort_callback_data = this;
  if (params_.rope_freq_base > 0) cp.rope_freq_base = params_.rope_freq_base;

  RopeScaling rope = params_.rope_scaling;
  if (rope == RopeScaling::kAuto) {
    rope = trained > 0 && ctx_size_ > trained ? RopeScaling::kYarn : RopeScaling::kNone;
  }
  if (rope == RopeScaling::kNone) {
    if (trained > 0 && ctx_size_ > trained) {
      LogWarning("context of " + std::to_string(ctx_size_) + " tokens exceeds the " + std::to_string(trained) +
                 " the model was trained on; answers may degrade (try --rope-scaling yarn)");
    }
  } else {
    float factor = params_.rope_scale > 0 ? params_.rope_scale
                                          : (trained > 0 ? static_cast<float>(ctx_size_) / trained : 1.0f);
    factor = std::max(factor, 1.0f);
    cp.rope_scaling_type = rope == RopeScaling::kLinear ? LLAMA_ROPE_SCALING_TYPE_LINEAR : LLAMA_ROPE_SCALING_TYPE_YARN;
    cp.rope_freq_scale = 1.0f / factor;
    if (rope == RopeScaling::kYarn) {
      cp.yarn_orig_ctx = static_cast<uint32_t>(params_.yarn_orig_ctx > 0 ? params_.yarn_orig_ctx : trained);
    }
    char line[200];
    std::snprintf(line, sizeof line, "extending context from %d to %d tokens with %s RoPE scaling (x%.2f)", trained,
                  ctx_size_, rope == RopeScaling::kLinear ? "linear" : "YaRN", factor);
    if (params_.rope_scaling == RopeScaling::kAuto) {
      LogInfo(line);
    } else {
      LogVerbose(line);
    }
  }

  ClearLlamaErrors();
  ctx_ = llama_init_from_model(model_, cp);
  if (ctx_ == nullptr) {
    throw Error(kExitModel, WithReason("could not create a context of " + std::to_string(cp.n_ctx) +
                                       " tokens for " + params_.model_path +
                                       " (out of memory? lower --ctx-size or --parallel)"));
  }
  // llama.cpp rounds each sequence up (to 256 cells); we promise only what was asked for.
  ctx_size_ = std::min<int>(ctx_size_, static_cast<int>(llama_n_ctx_seq(ctx_)));
}

void LlamaEngine::ResolveFormat() {
  use_model_template_ = false;
  if (params_.format != ChatFormat::kAuto) {
    format_ = params_.format;
    return;
  }
  const char* tmpl = llama_model_chat_template(model_, nullptr);
  if (tmpl == nullptr || *tmpl == '\0') {
    format_ = ChatFormat::kChatML;
    LogVerbose("model has no chat template; using ChatML (set --format to change)");
    return;
  }
  model_template_ = tmpl;
  std::optional<ChatFormat> detected = DetectFormatFromTemplate(model_template_);
  // llama.cpp's built-in formatter treats Qwen's template as plain ChatML and would drop the
  // default system prompt the real template adds, so our own formatter handles that family.
  if (detected == ChatFormat::kQwen) {
    format_ = *detected;
    return;
  }
  llama_chat_message probe{"user", "x"};
  if (llama_chat_apply_template(model_template_.c_str(), &probe, 1, true, nullptr, 0) >= 0) {
    use_model_template_ = true;
    format_ = detected.value_or(ChatFormat::kChatML);
    LogVerbose(std::string("using the model's chat template (stop strings: ") + ChatFormatName(format_) + ")");
    return;
  }
  format_ = detected.value_or(ChatFormat::kChatML);
  LogVerbose(std::string("llama.cpp does not support the model's chat template; formatting as ") +
             ChatFormatName(format_));
}

llama_adapter_lora* LlamaEngine::LoraFor(const std::string& path) {
  for (size_t i = 0; i < lora_paths_.size(); ++i) {
    if (lora_paths_[i] == path) return loras_[i];
  }
  CheckAdapterFile(path);
  ClearLlamaErrors();
  llama_adapter_lora* adapter = llama_adapter_lora_init(model_, path.c_str());
  if (adapter == nullptr) {
    throw Error(kExitModel, WithReason("LoRA adapter " + path + " does not fit model " + params_.model_path));
  }
  loras_.push_back(adapter);
  lora_paths_.push_back(path);
  return adapter;
}

void LlamaEngine::SetActiveLoras(const std::vector<LoraSpec>& loras) {
  std::vector<llama_adapter_lora*> adapters;
  std::vector<float> scales;
  for (const LoraSpec& spec : loras) {
    if (!std::isfinite(spec.scale)) throw Error(kExitUsage, "LoRA scale for " + spec.path + " is not a number");
    adapters.push_back(LoraFor(spec.path));
    scales.push_back(spec.scale);
  }
  ClearLlamaErrors();
  if (llama_set_adapters_lora(ctx_, adapters.data(), adapters.size(), scales.data()) != 0) {
    throw Error(kExitModel, WithReason("could not apply LoRA adapters to " + params_.model_path));
  }
  active_loras_ = loras;
  // Cached state belongs to the old adapters.
  llama_memory_clear(llama_get_memory(ctx_), true);
  UpdateFingerprint();
}

void LlamaEngine::UpdateFingerprint() {
  std::string fp = "gguf:" + model_id_ + "|format:" + ChatFormatName(format_);
  if (use_model_template_) fp += "(template)";
  if (params_.cache_type != KvCacheType::kF16) fp += std::string("|kv:") + KvCacheTypeName(params_.cache_type);  // stored prefixes hold KV in this type
  for (const LoraSpec& spec : active_loras_) {
    char scale[32];
    std::snprintf(scale, sizeof scale, "%g", spec.scale);
    fp += "|lora:" + FileIdentity(spec.path) + "@" + scale;
  }
  if (params_.rope_scaling != RopeScaling::kNone || params_.rope_freq_base > 0) {
    char rope[96];
    std::snprintf(rope, sizeof rope, "|rope:%d/%g/%g/%d/ctx%d", static_cast<int>(params_.rope_scaling),
                  params_.rope_scale, params_.rope_freq_base, params_.yarn_orig_ctx, ctx_size_);
    fp += rope;
  }
  fingerprint_ = fp;
}

int LlamaEngine::ContextSize() const { return ctx_size_; }
std::string LlamaEngine::ModelName() const {
  return std::filesystem::path(params_.model_path).filename().string();
}

std::string LlamaEngine::Fingerprint() const { return fingerprint_; }
const llama_vocab* LlamaEngine::vocab() const { return llama_model_get_vocab(model_); }

}  // namespace scale::engine
