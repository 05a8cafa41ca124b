// Hardware profiles: profiles/*.toml, one per hardware tier, each naming a catalogue model and the
// engine settings that fit that tier. `--profile NAME|FILE` applies one, `--auto` picks the best
// one this machine can hold (hw_info.h + the memory arithmetic in models/catalogue.h).
//
// A profile's [engine] table holds settings of the one settings table (settings/table.h), read by
// settings/toml_layer.h; ProfileLayer hands them to settings::Resolve as the "profile" source.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/llama_engine.h"
#include "hw/hw_info.h"
#include "models/catalogue.h"
#include "settings/backends.h"
#include "settings/lora_config.h"
#include "settings/resolve.h"
#include "train/options.h"

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
  // [engine]: the settings as written ("FILE:LINE" origins), and the engine they give this tier
  // (table defaults, but 4096 context tokens, overlaid by [engine]) for the memory arithmetic.
  settings::Layer settings;
  engine::EngineParams engine;
  int EffectiveUbatch() const {
    return engine.EffectiveUbatch();
  }
  settings::LoraByLanguage loras;  // [lora]
  settings::RemoteConfig remote;   // [[backend]] and [remote] (settings/backends.h)
  // [train]: the LoRA training settings `scale train --profile` starts from and `scale hw` advises
  // (rank, alpha, batch, ctx, modules, threads, lr; the rest keep TrainOptions' defaults).
  train::TrainOptions train;
};

// Where profiles are looked up: $SCALE_PROFILES_DIR, else the first existing DataDirCandidates
// ("profiles") folder (util/paths.h), else <executable>/../share/scale/profiles.
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

// FindProfile, or for "auto" the Recommend-ation for this machine.
Profile ChooseProfile(const std::string& name_or_auto);

// The profile as a settings source: its engine settings except those equal to the table's default,
// which leave room for `scale hw --tune`'s result (the shipped profiles spell out threads = 0).
settings::Layer ProfileLayer(const Profile& profile);

// The profile's catalogue model if cached, else the default model (with a warning). Throws
// Error(kExitModel) naming the `scale models pull` to run when neither is cached.
std::string ProfileModelPath(const Profile& profile);

}  // namespace scale::hw
