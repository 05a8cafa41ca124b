#include "cli/model_options.h"

#include <csignal>
#include <filesystem>

#include <unistd.h>

#include "engine/chat_format.h"
#include "engine/gguf_check.h"
#include "engine/llama_engine.h"
#include "engine/scheduler.h"
#include "hw/profile.h"
#include "hw/tune.h"
#include "models/catalogue.h"
#include "models/other_stores.h"
#include "remote/remote_llm.h"
#include "settings/toml_layer.h"
#include "util/error.h"
#include "util/log.h"
#include "util/size.h"

namespace scale::cli {
namespace {

using settings::Source;

settings::Layer& LayerOf(settings::Layers& layers, Source s) { return layers[static_cast<size_t>(s)]; }

void ApplyLogLevel(const ModelOptions& opts) {
  if (opts.quiet) {
    SetLogLevel(LogLevel::kQuiet);
  } else if (opts.verbosity >= 2) {
    SetLogLevel(LogLevel::kDebug);
  } else if (opts.verbosity == 1) {
    SetLogLevel(LogLevel::kVerbose);
  }
}

// What --help shows for the value: INT, FLOAT, TEXT or an enum's spellings ("f16|q8_0|q4_0").
std::string TypeName(const settings::Setting& s) {
  switch (settings::TypeOf(s)) {
    case settings::Type::kInt: return "INT";
    case settings::Type::kNumber: return "FLOAT";
    case settings::Type::kChoice: break;
    default: return "TEXT";
  }
  std::string choices;
  for (const std::string& c : settings::Choices(s)) choices += (choices.empty() ? "" : "|") + c;
  return choices;
}

std::string Help(const settings::Setting& s) { return std::string(s.help) + " [$" + settings::EnvName(s) + "]"; }

// What the resolved settings leave to the engine call: adapters, llama.cpp's log at -v.
engine::EngineParams Finish(const ModelOptions& opts, engine::EngineParams p,
                            const settings::LoraByLanguage& per_language) {
  p.loras = AdaptersFor(opts, per_language, "default");
  p.show_llama_logs = opts.verbosity > 0 && !opts.quiet;
  return p;
}

}  // namespace

void ModelOptions::Set(const std::string& name, const std::string& text) {
  const settings::Setting* s = settings::Find(name);
  flags[name] = {text, s != nullptr ? settings::LongFlag(*s) : name};
}

std::string ModelOptions::Given(const std::string& name) const {
  auto it = flags.find(name);
  return it == flags.end() ? "" : it->second.text;
}

settings::Resolved ModelOptions::Explicit() const {
  settings::Layers layers;
  LayerOf(layers, Source::kEnv) = settings::EnvLayer();
  LayerOf(layers, Source::kFlag) = flags;
  return settings::Resolve(layers);
}

void AddModelOptions(CLI::App* cmd, ModelOptions* o, unsigned command) {
  const engine::EngineParams defaults;
  for (const settings::Setting& s : settings::Table()) {
    if ((s.commands & command) == 0) continue;
    const std::string name = s.name, origin = settings::LongFlag(s);
    if (settings::TypeOf(s) == settings::Type::kBool) {
      cmd->add_flag_callback(s.flag, [o, name, origin] { o->flags[name] = {"true", origin}; }, Help(s));
      continue;
    }
    auto* opt = cmd->add_option_function<std::string>(
        s.flag, [o, name, origin](const std::string& v) { o->flags[name] = {v, origin}; }, Help(s));
    opt->type_name(TypeName(s));
    if (std::string d = settings::Show(s, defaults); !d.empty()) opt->default_str(d);
  }
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
  cmd->add_option("--max-memory", o->max_memory, "memory budget (e.g. 2G): context size and --parallel chosen to fit");
  cmd->add_option("--profile", o->profile, "hardware profile: a name from profiles/ or a .toml file (see `scale hw`)");
  cmd->add_flag("--auto", o->auto_profile, "pick the hardware profile for this machine");
  cmd->add_option("--backend", o->backends,
                  "OpenAI-compatible server URL[,weight=W,max_concurrent=N,model=M,api_key_env=VAR,time_limit=S,api=chat|completion] "
                  "instead of the in-process engine (repeatable; see docs/backends.md)")
      ->expected(1)->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--routing", o->routing, "with --backend: prefix (a file's requests to one server) or spread");
  cmd->add_option("--retries", o->retries, "with --backend: attempts after the first, per request")->check(CLI::Range(0, 100));
  cmd->add_flag("-v,--verbose", o->verbosity, "more detail on stderr (-v also shows llama.cpp's log)");
  cmd->add_flag("-q,--quiet", o->quiet, "only errors on stderr");
}

engine::EngineParams ToEngineParams(const ModelOptions& opts) {
  engine::EngineParams p = opts.Explicit().params;
  p.model_path = models::ResolveModelArgument(p.model_path);  // another tool's model by name
  if (p.model_path.empty()) p.model_path = models::DefaultModelOrPull();
  return Finish(opts, p, {});
}

std::vector<engine::LoraSpec> AdaptersFor(const ModelOptions& opts, const settings::LoraByLanguage& per_language,
                                          const std::string& language) {
  std::vector<engine::LoraSpec> out;
  for (const std::string& arg : opts.loras) out.push_back(settings::ParseLoraArg(arg));
  for (const auto& spec : settings::LorasFor(per_language, language)) out.push_back(spec);
  return out;
}

SettingsSources GatherSettings(const ModelOptions& opts) {
  if (!opts.profile.empty() && opts.auto_profile) throw Error(kExitUsage, "give --profile NAME or --auto, not both");
  SettingsSources s;
  LayerOf(s.layers, Source::kFlag) = opts.flags;
  LayerOf(s.layers, Source::kEnv) = settings::EnvLayer();
  // Adapters per language: --lora-config, then .scale.toml, then the profile (first entry wins).
  if (!opts.lora_config.empty()) s.loras = settings::LoadLoraConfig(opts.lora_config);
  std::error_code ec;
  s.project = settings::FindProjectConfig(std::filesystem::current_path(ec));
  if (s.project) {
    LayerOf(s.layers, Source::kProjectConfig) = s.project->engine;
    s.loras.insert(s.project->loras.begin(), s.project->loras.end());
  }
  // The flags name the profile, else the project config does (as every flag beats its file).
  std::string name = opts.auto_profile ? "auto" : opts.profile;
  s.profile_origin = opts.auto_profile ? "--auto" : "--profile";
  if (name.empty() && s.project && !s.project->profile.empty()) {
    name = s.project->profile;
    s.profile_origin = s.project->profile_where;
  }
  if (!name.empty()) {
    s.profile = hw::ChooseProfile(name);
    LayerOf(s.layers, Source::kProfile) = hw::ProfileLayer(*s.profile);
    s.loras.insert(s.profile->loras.begin(), s.profile->loras.end());
  } else {
    s.profile_origin.clear();
  }
  return s;
}

settings::RemoteConfig ResolveBackends(const ModelOptions& opts) { return ResolveBackends(opts, GatherSettings(opts)); }

settings::RemoteConfig ResolveBackends(const ModelOptions& opts, const SettingsSources& sources) {
  settings::RemoteConfig out;
  const bool model_flag = !opts.Given("model").empty();
  if (!opts.backends.empty() && model_flag) {
    throw Error(kExitUsage, "-m and --backend both name the model to use; give one of them");
  }
  // -m on the command line beats backends from a file, as every flag beats its file.
  if (model_flag) return out;
  // The first source that names backends gives them; routing and retries alike.
  if (sources.profile) out = sources.profile->remote;
  if (sources.project) {
    const settings::RemoteConfig& p = sources.project->remote;
    if (!p.backends.empty()) out.backends = p.backends;
    if (p.routing_given) out.routing = p.routing;
    if (p.retries_given) out.retries = p.retries;
  }
  if (!opts.backends.empty()) {
    out.backends.clear();
    for (const std::string& b : opts.backends) out.backends.push_back(settings::ParseBackendFlag(b));
  }
  if (!opts.routing.empty()) out.routing = settings::ParseRouting(opts.routing, "--routing");
  if (opts.retries >= 0) out.retries = opts.retries;
  return out;
}

std::unique_ptr<engine::Llm> OpenLlm(const ModelOptions& opts, settings::LoraByLanguage* per_language) {
  ApplyLogLevel(opts);
  SettingsSources sources = GatherSettings(opts);
  settings::RemoteConfig remote = ResolveBackends(opts, sources);
  if (!remote.backends.empty()) {
    // The servers load the model: engine settings and adapters are theirs to set.
    if (!opts.loras.empty() || !opts.lora_config.empty()) {
      throw Error(kExitUsage, "--lora and --lora-config apply to the in-process engine, not to --backend servers");
    }
    for (const settings::Backend& b : remote.backends) LogVerbose("backend " + b.url + " (from " + b.where + ")");
    return remote::RemoteLlm::Open(remote);
  }
  // Every source of settings, then one resolution (settings/resolve.h has the order).
  settings::Layers& layers = sources.layers;
  settings::LoraByLanguage& loras = sources.loras;
  if (sources.project) LogVerbose("project config " + sources.project->path);
  const std::optional<hw::Profile>& profile = sources.profile;
  if (profile) LogVerbose("profile " + profile->name + " (from " + sources.profile_origin + ")");
  // The model decides which tuning result applies, so it is settled first.
  // A name like ollama:NAME:TAG or ORG/NAME from another tool's store becomes its file (models/other_stores.h).
  std::string model = models::ResolveModelArgument(settings::Resolve(layers).params.model_path);
  if (model.empty() && profile) {
    model = hw::ProfileModelPath(*profile);
    LayerOf(layers, Source::kProfile)["model"] = {model, "profile " + profile->name + " [model]"};
  } else if (model.empty()) {
    model = models::DefaultModelOrPull();
    LayerOf(layers, Source::kDefault)["model"] = {model, "the default model"};
  }
  LayerOf(layers, Source::kTune) = hw::TunedLayer(model);
  const settings::Resolved resolved = settings::Resolve(layers);

  std::string applied = profile ? "profile " + profile->name : "";
  if (resolved.From(Source::kTune)) applied += (applied.empty() ? "" : "; ") + std::string("tune.json");
  if (profile) {
    const engine::EngineParams& r = resolved.params;
    LogVerbose("applied profile " + profile->name + ": ctx " + std::to_string(r.ctx_size) + ", parallel " + std::to_string(r.parallel) +
               ", batch " + std::to_string(r.batch_size) + ", threads " + std::to_string(r.threads));
  }
  if (!applied.empty()) LogVerbose("settings from " + applied);
  for (const std::string& line : resolved.Describe()) LogVerbose("setting " + line);

  engine::EngineParams params = Finish(opts, resolved.params, loras);
  params.model_path = model;
  if (per_language != nullptr) *per_language = loras;
  if (!opts.max_memory.empty()) {
    uint64_t budget = ParseByteSize(opts.max_memory, "--max-memory");
    engine::GgufInfo info = engine::InspectModelFile(params.model_path);
    // --parallel left at 1 means "as many as fit"; an explicit larger value is a wish to honour.
    engine::MemoryPlan plan = engine::PlanMemory(info, budget, params.ctx_size, params.parallel > 1 ? params.parallel : 0,
                                                 params.cache_type, 512, params.EffectiveUbatch());
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
