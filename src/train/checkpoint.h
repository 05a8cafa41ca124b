// A training run's whole state after an optimiser step, RUN/checkpoint-NNNNNN.state: the adapter's
// values, AdamW's moments, the RNG states, the data position and the command's metrics, so that
// `scale train --resume` continues bit for bit. One file, written atomically, self-checking.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "train/row_order.h"
#include "train/trainer.h"

namespace scale::train {

struct Checkpoint {
  TrainerState trainer;       // steps done, AdamW moments, dropout generator
  std::vector<float> params;  // the adapter, Lora::Values order
  RowOrder::State data;       // where the run is in its data
  nlohmann::json run;         // the command's part: settings, metrics so far, log position
};

std::string CheckpointStateName(int step);    // "checkpoint-000012.state"
std::string CheckpointAdapterName(int step);  // "checkpoint-000012.gguf" (the adapter llama.cpp loads)

// Writes it atomically (util/fs WriteFileAtomic): a kill mid-write leaves the previous file whole.
// Layout: "SCLTRN01", u64 LE header length, the JSON header, params/m/v as LE F32, then the
// SHA-256 (hex) of all that. Throws Error(kExitIo).
void WriteCheckpoint(const std::filesystem::path& file, const Checkpoint& c);

// The checkpoint in `file`, or nullopt with *why when it is not one whole: torn, truncated,
// edited, of another format or version. Never throws for a bad file.
std::optional<Checkpoint> ReadCheckpoint(const std::filesystem::path& file, std::string* why);

// The newest checkpoint of `run` that reads whole (files named checkpoint-NNNNNN.state whose
// step matches the name); each newer one that does not is skipped with a warning.
std::optional<Checkpoint> LatestCheckpoint(const std::filesystem::path& run);

// Removes every checkpoint-NNNNNN.state of `run` (a fresh run reusing the folder with --force, so
// that a later --resume can never continue an older run's state).
void RemoveCheckpointStates(const std::filesystem::path& run);

}  // namespace scale::train
