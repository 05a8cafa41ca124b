#include "cli/model_options.h"

#include <csignal>
#include <cmath>
#include <cstdlib>

#include <unistd.h>

#include "engine/chat_format.h"
#include "engine/gguf_check.h"
#include "engine/llama_engine.h"
#include "engine/scheduler.h"
#include "hw/profile.h"
#include "hw/tune.h"
#include "models/catalogue.h"
#include "util/error.h"
#include "util/log.h"

namespace scale::cli {
namespace {

const char* kFormats = "auto|chatml|qwen|llama3|llama2|mistral|phi3|gemma|raw";

engine::RopeScaling ParseRope(const std::string& name) {
  if (name == "none") return engine::RopeScaling::kNone;
  if (name == "linear") return engine::RopeScaling::kLinear;
  if (name == "yarn") return engine::RopeScaling::kYarn;
  if (name == "auto") return engine::RopeScaling::kAuto;
  throw Error(kExitUsage, "--rope-scaling must be none, linear, yarn or auto (got '" + name + "')");
}

// -m, else $SCALE_MODEL; "" when neither (a profile or the default model decides then).
std::string ExplicitModelPath(const ModelOptions& opts) {
  if (!opts.model.empty()) return opts.model;
  if (const char* env = std::getenv("SCALE_MODEL"); env != nullptr && *env != '\0') return env;
  return "";
}

std::string ResolveModelPath(const ModelOptions& opts) {
  std::string explicit_path = ExplicitModelPath(opts);
  return explicit_path.empty() ? models::DefaultModelOrPull() : explicit_path;
}

// Records that the user set an engine flag, so profiles and tuning leave it alone.
CLI::Option* Given(CLI::Option* opt, ModelOptions* o, const char* key) {
  return opt->each([o, key](const std::string&) { o->given.insert(key); });
}

}  // namespace

void AddModelOptions(CLI::App* cmd, ModelOptions* o) {
  Given(cmd->add_option("-m,--model", o->model, "GGUF model file (default: $SCALE_MODEL, then the default model)"), o,
        "model");
  Given(cmd->add_option("--gpu-layers", o->gpu_layers, "layers to offload to the GPU (-1 = all)"), o, "gpu_layers")
      ->capture_default_str();
  Given(cmd->add_option("-t,--threads", o->threads, "CPU threads (0 = physical cores)"), o, "threads")->capture_default_str();
  Given(cmd->add_option("-c,--ctx-size", o->ctx_size, "context tokens per sequence (0 = min(trained, 4096))"), o, "ctx_size")
      ->check(CLI::NonNegativeNumber);
  Given(cmd->add_option("-b,--batch-size", o->batch_size, "tokens per llama_decode call"), o, "batch_size")
      ->check(CLI::PositiveNumber)->capture_default_str();
  Given(cmd->add_option("--ubatch-size", o->ubatch_size, "tokens per compute graph (0 = min(batch-size, 512))"), o,
        "ubatch_size")->check(CLI::NonNegativeNumber);
  Given(cmd->add_option("-P,--parallel", o->parallel, "sequences decoding together"), o, "parallel")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_flag("--kv-unified", o->kv_unified,
                "one KV cache for all sequences: less memory, but attention spans every sequence (slower)");
  Given(cmd->add_option("--cache-type", o->cache_type,
                        "KV cache element type: f16, q8_0 (about half the memory) or q4_0 (about a quarter)"),
        o, "cache_type")
      ->check(CLI::IsMember(engine::KvCacheTypes()))->capture_default_str();
  cmd->add_option("--format", o->format, std::string("chat format: ") + kFormats)->capture_default_str();
  cmd->add_option("--temperature,--temp", o->sampling.temperature, "0 = greedy (deterministic)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--top-p", o->sampling.top_p, "nucleus sampling (1 = off)")->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--top-k", o->sampling.top_k, "top-k sampling (0 = off)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--min-p", o->sampling.min_p, "min-p sampling (0 = off)")->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--repeat-penalty", o->sampling.repeat_penalty, "1 = off")->check(CLI::PositiveNumber);
  cmd->add_option("--seed", o->sampling.seed, "sampling seed")->capture_default_str();
  cmd->add_option("--max-tokens", o->sampling.max_tokens, "new tokens per answer at most")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--time-limit", o->time_limit_s, "seconds per request (0 = none)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--lora", o->loras, "LoRA adapter FILE[:SCALE] (repeatable)")
      ->expected(1)->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--lora-config", o->lora_config, "TOML file with a [lora] table: adapters per language");
  cmd->add_option("--rope-scaling", o->rope_scaling, "none|linear|yarn|auto (auto: YaRN only past the trained context)")
      ->capture_default_str();
  cmd->add_option("--rope-scale", o->rope_scale, "context multiplier (0 = ctx-size / trained context)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--rope-freq-base", o->rope_freq_base, "RoPE base frequency (0 = from the model)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--yarn-orig-ctx", o->yarn_orig_ctx, "YaRN original context (0 = trained context)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-memory", o->max_memory, "memory budget (e.g. 2G): context size and --parallel chosen to fit");
  cmd->add_option("--profile", o->profile, "hardware profile: a name from profiles/ or a .toml file (see `scale hw`)");
  cmd->add_flag("--auto", o->auto_profile, "pick the hardware profile for this machine");
  cmd->add_flag("-v,--verbose", o->verbosity, "more detail on stderr (-v also shows llama.cpp's log)");
  cmd->add_flag("-q,--quiet", o->quiet, "only errors on stderr");
}

engine::EngineParams ToEngineParams(const ModelOptions& opts) {
  engine::EngineParams p;
  p.model_path = ResolveModelPath(opts);
  p.gpu_layers = opts.gpu_layers;
  p.threads = opts.threads;
  p.ctx_size = opts.ctx_size;
  p.batch_size = opts.batch_size;
  p.ubatch_size = opts.ubatch_size;
  p.parallel = opts.parallel;
  p.kv_unified = opts.kv_unified;
  p.cache_type = opts.cache_type;
  std::optional<engine::ChatFormat> format = engine::ParseChatFormat(opts.format);
  if (!format) throw Error(kExitUsage, "--format must be one of " + std::string(kFormats) + " (got '" + opts.format + "')");
  p.format = *format;
  for (const std::string& arg : opts.loras) p.loras.push_back(hw::ParseLoraArg(arg));
  p.rope_scaling = ParseRope(opts.rope_scaling);
  p.rope_scale = opts.rope_scale;
  p.rope_freq_base = opts.rope_freq_base;
  p.yarn_orig_ctx = opts.yarn_orig_ctx;
  p.show_llama_logs = opts.verbosity > 0 && !opts.quiet;
  return p;
}

namespace {
void ApplyLogLevel(const ModelOptions& opts) {
  if (opts.quiet) {
    SetLogLevel(LogLevel::kQuiet);
  } else if (opts.verbosity >= 2) {
    SetLogLevel(LogLevel::kDebug);
  } else if (opts.verbosity == 1) {
    SetLogLevel(LogLevel::kVerbose);
  }
}
}  // namespace

std::vector<engine::LoraSpec> AdaptersFor(const ModelOptions& opts, const hw::LoraByLanguage& per_language,
                                          const std::string& language) {
  std::vector<engine::LoraSpec> out;
  for (const std::string& arg : opts.loras) out.push_back(hw::ParseLoraArg(arg));
  for (const auto& spec : hw::LorasFor(per_language, language)) out.push_back(spec);
  return out;
}

namespace {
// The settings a profile or stored tuning may fill in, copied between the flags and hw's view of them
// (both structs name them alike).
template <typename From, typename To>
void CopyEngineKnobs(const From& from, To* to) {
  to->model = from.model;
  to->gpu_layers = from.gpu_layers;
  to->threads = from.threads;
  to->ctx_size = from.ctx_size;
  to->batch_size = from.batch_size;
  to->ubatch_size = from.ubatch_size;
  to->parallel = from.parallel;
  to->cache_type = from.cache_type;
}
}  // namespace

std::unique_ptr<engine::Llm> OpenLlm(const ModelOptions& opts, hw::LoraByLanguage* per_language) {
  ApplyLogLevel(opts);
  // Settings in priority order: flags the user gave, then a profile, then `scale hw --tune`'s
  // stored result for this machine and model, then the defaults.
  hw::ProfileSettings s;
  CopyEngineKnobs(opts, &s);
  s.model = ExplicitModelPath(opts);
  std::set<std::string> given = opts.given;
  if (!s.model.empty()) given.insert("model");
  if (!opts.lora_config.empty()) s.loras = hw::LoadLoraConfig(opts.lora_config);
  if (!opts.profile.empty() || opts.auto_profile) {
    if (!opts.profile.empty() && opts.auto_profile) throw Error(kExitUsage, "give --profile NAME or --auto, not both");
    hw::ApplyProfile(opts.auto_profile ? "auto" : opts.profile, &s, given);
  }
  if (s.model.empty()) s.model = models::DefaultModelOrPull();
  hw::ApplyTuned(&s, given);
  if (!s.applied.empty()) LogVerbose("settings from " + s.applied);

  ModelOptions resolved = opts;
  CopyEngineKnobs(s, &resolved);
  engine::EngineParams params = ToEngineParams(resolved);
  params.loras = AdaptersFor(opts, s.loras, "default");
  if (per_language != nullptr) *per_language = s.loras;
  if (!opts.max_memory.empty()) {
    uint64_t budget = engine::ParseMemorySize(opts.max_memory);
    engine::GgufInfo info = engine::InspectModelFile(params.model_path);
    // --parallel left at 1 means "as many as fit"; an explicit larger value is a wish to honour.
    engine::MemoryPlan plan =
        engine::PlanMemory(info, budget, resolved.ctx_size, resolved.parallel > 1 ? resolved.parallel : 0,
                           resolved.cache_type);
    params.ctx_size = plan.ctx_size;
    params.parallel = plan.parallel;
    LogVerbose("--max-memory " + opts.max_memory + ": " + std::to_string(plan.parallel) + " x " +
               std::to_string(plan.ctx_size) + " tokens (about " + std::to_string(plan.total() >> 20) + " MiB)");
  }
  LogVerbose("loading " + params.model_path);
  auto engine = engine::LlamaEngine::Load(params);
  LogVerbose(std::string("chat format: ") + engine::ChatFormatName(engine->format()) +
             ", context: " + std::to_string(engine->ContextSize()) + " tokens per sequence");
  return engine;
}

namespace {
engine::Llm* volatile g_interrupt_target = nullptr;
volatile sig_atomic_t g_interrupts = 0;
struct sigaction g_previous_sigint;

void OnSigint(int) {
  g_interrupts = g_interrupts + 1;
  if (g_interrupts > 1) _exit(kExitInterrupted);  // the user insists: no more cleanup
  if (engine::Llm* llm = g_interrupt_target) llm->Cancel();
}
}  // namespace

InterruptGuard::InterruptGuard(engine::Llm* llm) {
  g_interrupts = 0;
  g_interrupt_target = llm;
  struct sigaction action {};
  action.sa_handler = OnSigint;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &g_previous_sigint);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &g_previous_sigint, nullptr);
  g_interrupt_target = nullptr;
}

bool InterruptGuard::interrupted() const { return g_interrupts > 0; }

}  // namespace scale::cli
