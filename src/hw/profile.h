// Hardware profiles: profiles/*.toml, one per hardware tier, each naming a catalogue model and the
// engine settings that fit that tier. `--profile NAME|FILE` applies one, `--auto` picks the best
// one this machine can hold (hw_info.h + the memory arithmetic in models/catalogue.h).
//
// Integration (cli/model_options.cc, OpenLlm): copy the ModelOptions fields into ProfileSettings,
// call ApplyProfile(opts.auto_profile ? "auto" : opts.profile, &s, flags_given) when either is set,
// then ApplyTuned(&s, flags_given) always, and copy the fields back.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hw/hw_info.h"
#include "hw/lora_config.h"
#include "models/catalogue.h"

namespace scale::hw {

struct Profile {
  std::string name;         // file stem, e.g. "cpu-2core-8gb"
  std::string path;         // the .toml it came from
  std::string description;
  // [match]: when --auto may choose it
  std::string device = "cpu";  // cpu | gpu | apple
  int min_cores = 1;
  double min_ram_gb = 0;       // total RAM (GiB)
  double min_vram_gb = 0;      // biggest GPU (GiB); apple: unified memory counts
  // [model]
  std::string model = "qwen2.5-coder-0.5b";  // catalogue id
  // [engine]
  int ctx_size = 4096, gpu_layers = 0, parallel = 1, batch_size = 512, threads = 0;
  int ubatch_size = 0;         // 0 = min(batch_size, 512), as the engine does
  std::string cache_type = "f16";  // KV cache elements: f16 | q8_0 | q4_0
  int EffectiveUbatch() const { return ubatch_size > 0 ? ubatch_size : (batch_size < 512 ? batch_size : 512); }
  LoraByLanguage loras;        // [lora]
};

// The ModelOptions fields a profile (or a tuning result) can set. Keys of `flags_given`, which the
// user set explicitly and which are therefore never overridden: "model", "gpu_layers", "threads",
// "ctx_size", "batch_size", "ubatch_size", "parallel", "cache_type". A field that differs from its default here
// counts as given too, so callers that cannot tell may pass an empty set.
struct ProfileSettings {
  std::string model;        // path; when empty, the profile's catalogue model if cached
  int gpu_layers = 0;
  int threads = 0;
  int ctx_size = 0;
  int batch_size = 512;
  int ubatch_size = 0;      // 0 = min(batch_size, 512)
  int parallel = 1;
  std::string cache_type = "f16";
  LoraByLanguage loras;     // a profile's [lora] table (per-language adapters)
  std::string applied;      // what was applied, for -v logs: "profile cpu-2core-8gb; tune.json"
};

// Where profiles are looked up: $SCALE_PROFILES_DIR, else the source tree's profiles/, else
// <executable>/../share/scale/profiles.
std::filesystem::path ProfilesDir();

// Parses and validates one profile file. Throws Error(kExitUsage) "FILE:LINE: ..." for a syntax
// error, an unknown key, a wrong type, a value out of range, or an unknown catalogue model.
Profile LoadProfile(const std::filesystem::path& file);

// Every profile in ProfilesDir(), sorted by name (a broken file throws, naming it).
std::vector<Profile> LoadProfiles();

// By name (profiles/NAME.toml) or by path to a .toml file. Error(kExitUsage) listing the known
// names when there is none.
Profile FindProfile(const std::string& name_or_path);

// The recommendation for this machine, with its reasons.
struct Recommendation {
  Profile profile;
  const models::CatalogueEntry* model = nullptr;
  models::MemoryEstimate memory;
  uint64_t budget = 0;       // bytes the estimate must fit in (RAM available, or VRAM)
  std::string budget_what;   // "RAM available" / "VRAM on CUDA0"
  std::vector<std::string> skipped;  // "cpu-8core-32gb: needs 8 cores (have 2)", ...
};

// One profile measured against this machine: its model, memory estimate and budget. `why_not` is
// set to the reason it does not fit ([match] or memory), or cleared when it fits.
Recommendation Assess(const HwInfo& hw, const Profile& profile, std::string* why_not);

// Picks the most capable profile whose [match] holds and whose memory estimate fits.
// Throws Error(kExitModel) when none fits (machine below the smallest tier).
Recommendation Recommend(const HwInfo& hw, const std::vector<Profile>& profiles);

// The memory arithmetic as text lines, e.g. "KV cache = 2 x 24 layers x 4096 ctx x ...".
std::vector<std::string> ExplainMemory(const Recommendation& r);
nlohmann::json RecommendationJson(const Recommendation& r);

// Applies a profile ("auto" = Recommend on this machine) to `s`, keeping given fields.
// Throws Error(kExitUsage) for an unknown/broken profile, Error(kExitModel) when s->model is empty
// and neither the profile's model nor the default model is cached (the message names the pull).
void ApplyProfile(const std::string& name_or_auto, ProfileSettings* s, const std::set<std::string>& flags_given = {});

}  // namespace scale::hw
