// `scale hw --tune -m MODEL`: measures a few thread/batch settings on this machine with the model
// itself (short prompt-processing and generation runs through llama.cpp) and remembers the fastest
// in CacheDir()/tune.json, keyed by machine and model. Commands then pick it up (TunedLayer, the
// "tune" source of settings/resolve.h) unless a higher source sets them. Timings are measured, so the choice may differ between runs; the stored
// file is what makes later runs reproducible.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/speed_trial.h"
#include "settings/resolve.h"

namespace scale::hw {

struct TuneOptions {
  std::string model_path;
  std::vector<int> threads;      // empty = {1, physical/2, physical, logical} (distinct, >= 1)
  std::vector<int> batch_sizes = {128, 256, 512};
  int prompt_tokens = 256;       // per prompt-processing run
  int gen_tokens = 32;           // per generation run
  int gpu_layers = 0;
};

struct TuneTrial {
  int threads = 0, batch_size = 0;
  double pp_tokens_per_s = 0, tg_tokens_per_s = 0;
  double score_s = 0;            // estimated seconds for a typical request (see Tune)
};

struct TuneResult {
  std::string machine;           // MachineKey()
  std::string model;             // ModelKey()
  int threads = 0, batch_size = 0;
  double pp_tokens_per_s = 0, tg_tokens_per_s = 0;
  std::vector<TuneTrial> trials;
  nlohmann::json ToJson() const;
};

// "cpu model|physical cores|RAM GiB|accelerators": changes when the hardware does.
std::string MachineKey();
// File name + size: a different quant or model is tuned separately.
std::string ModelKey(const std::string& model_path);

// Runs every threads x batch combination: prompt processing of prompt_tokens tokens in batches of
// batch_size, then gen_tokens single-token decodes. The best minimises the time of a typical comment
// request (prompt_tokens in, 4 * gen_tokens out). Throws Error(kExitModel) if the model won't load.
TuneResult Tune(const TuneOptions& options);

// The same choice over measurements from `probe` (threads, batch size) instead of the model:
// Tune's rule on its own, so tests can script which trial is faster.
using TuneProbe = std::function<engine::DecodeSpeed(int threads, int batch_size)>;
TuneResult Tune(const TuneOptions& options, const TuneProbe& probe);

// tune.json in CacheDir(): { "MACHINE": { "MODEL": {threads, batch_size, ...} } }, written atomically.
void StoreTune(const TuneResult& result);
std::optional<TuneResult> LookupTune(const std::string& model_path);

// The stored result for `model_path` as a settings source: the table's tunable settings (threads,
// batch_size) with origin "tune.json"; empty when none is stored. Cheap when there is no tune.json.
settings::Layer TunedLayer(const std::string& model_path);

}  // namespace scale::hw
