// The model/engine flags every generating command shares, and turning them into a ready engine.
// Engine settings (-m, --threads, --ctx-size, --format, RoPE/YaRN, --parallel ...) are the rows of
// settings/table.cc; OpenLlm resolves them once (settings/resolve.h) and loads the engine.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "engine/llama_engine.h"
#include "engine/llm.h"
#include "hw/profile.h"
#include "settings/backends.h"
#include "settings/lora_config.h"
#include "settings/resolve.h"
#include "settings/toml_layer.h"

namespace scale::cli {

struct ModelOptions {
  settings::Layer flags;      // the table's settings given on the command line (the "flag" source)
  // Per-request and per-command options (not engine settings, so not in the table):
  engine::SamplingParams sampling;
  double time_limit_s = 0;    // --time-limit per request (seconds)
  std::vector<std::string> loras;  // --lora FILE[:SCALE]
  std::string lora_config;    // --lora-config FILE: a TOML [lora] table, adapters per language
  std::string max_memory;     // --max-memory (e.g. 1G): context size and N chosen to fit
  std::string profile;        // --profile NAME (profiles/*.toml)
  bool auto_profile = false;  // --auto
  int verbosity = 0;          // -v (repeatable): llama.cpp's own logs appear at -v
  bool quiet = false;         // -q
  // Remote servers instead of the in-process engine (settings/backends.h, remote/remote_llm.h).
  std::vector<std::string> backends;  // --backend URL[,key=value...] (repeatable)
  std::string routing;                // --routing prefix|spread
  int retries = -1;                   // --retries N (-1: the config's, else 5)

  // Sets a table setting as if given on the command line (an eval config, a bench sweep).
  void Set(const std::string& name, const std::string& text);
  std::string Given(const std::string& name) const;  // the flag's text, "" when not given
  // What the command line asks for without any file: flags > $SCALE_<NAME> > defaults.
  // Throws Error(kExitUsage) for a value the table refuses.
  settings::Resolved Explicit() const;
};

// Every source of the engine settings a run reads, before the model is settled: the flags,
// $SCALE_<NAME>, the current directory's project config (run-level settings come from that one
// config, whatever folders the inputs are in), the profile (--profile/--auto, else the config's
// `profile`) and --lora-config. OpenLlm and `scale config` share it.
struct SettingsSources {
  settings::Layers layers;                         // flag, env, project config and profile filled in
  std::optional<settings::ProjectConfig> project;  // the current directory's config
  std::optional<hw::Profile> profile;
  std::string profile_origin;  // "--profile", "--auto" or the config's "FILE:LINE"
  settings::LoraByLanguage loras;  // --lora-config, then the config's, then the profile's
};
// Throws Error(kExitUsage) for --profile with --auto or a bad file; hw::ChooseProfile's errors.
SettingsSources GatherSettings(const ModelOptions& opts);

// Adds the flags to `cmd`, storing into `opts` (which must outlive parsing): one per table row
// used by `command` (settings::Command bits), plus the request and command options above.
void AddModelOptions(CLI::App* cmd, ModelOptions* opts, unsigned command = settings::kModelCommands);

// The engine parameters the flags and environment ask for (model path resolved: -m, else
// $SCALE_MODEL, else the default model). Throws scale::Error: kExitModel when there is no model,
// kExitUsage for a value the settings table refuses (a bad --format/--rope-scaling).
engine::EngineParams ToEngineParams(const ModelOptions& opts);

// The backends the command should use: --backend flags, else .scale.toml's [[backend]], else the
// profile's (--profile, else the config's `profile`); none when -m is given. Empty: the in-process engine. Throws Error(kExitUsage) for a
// bad flag, or for -m together with --backend.
settings::RemoteConfig ResolveBackends(const ModelOptions& opts);
settings::RemoteConfig ResolveBackends(const ModelOptions& opts, const SettingsSources& sources);

// Applies -v/-q, resolves every setting once (flag > env > .scale.toml > --profile/--auto > tune >
// default; the model falls back to the profile's, then the default model), plans --max-memory and
// loads the model; with backends (ResolveBackends) it connects to them instead (remote/remote_llm.h).
// -v logs each setting's source. Throws scale::Error (kExitModel) with a one-line
// message for every model problem. Per-language adapters (--lora-config, .scale.toml's or a
// profile's [lora]) go to `per_language` when the caller can switch them
// (LlamaEngine::SetActiveLoras); otherwise only their "default" entry is applied.
std::unique_ptr<engine::Llm> OpenLlm(const ModelOptions& opts, settings::LoraByLanguage* per_language = nullptr);

// The adapters to apply for `language`: every --lora plus the per-language entry (or "default").
std::vector<engine::LoraSpec> AdaptersFor(const ModelOptions& opts, const settings::LoraByLanguage& per_language,
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
