// `scale hw`'s training advice: a profile's [train] settings for its catalogue model, with the
// training memory arithmetic (train/memory.h) measured against this machine's RAM.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hw/hw_info.h"
#include "hw/profile.h"
#include "train/memory.h"
#include "train/options.h"

namespace scale::hw {

struct TrainAdvice {
  bool available = false;    // false: no shape to compute with; `why_not` says why
  std::string why_not;
  std::string shape_from;    // "model file PATH" or "catalogue entry ID"
  train::ModelShape shape;
  train::TrainOptions options;  // the profile's [train]
  train::MemoryEstimate memory;
  uint64_t budget = 0;       // RAM available: the trainer keeps everything on the CPU
  bool fits = false;
};

// The model's shape from its cached GGUF when present, else from the catalogue entry's numbers.
// Never throws for a model it cannot read: the advice is then unavailable, with the reason.
TrainAdvice AdviseTraining(const Profile& profile, const HwInfo& hw);

// Human lines: the advised settings, the arithmetic (train::ExplainMemory), and whether it fits.
std::vector<std::string> ExplainTraining(const TrainAdvice& advice);
nlohmann::json TrainAdviceJson(const TrainAdvice& advice);

}  // namespace scale::hw
