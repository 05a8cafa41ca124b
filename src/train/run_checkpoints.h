// The adapters a training run folder holds, for `scale rollback`: each checkpoint-NNNNNN.gguf with
// its held-out loss from log.jsonl, and which one RUN/adapter.gguf currently is (by its bytes).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace scale::train {

struct RunCheckpoint {
  int step = -1;                     // -1: adapter.gguf of unknown step (no run.json)
  std::string file;                  // name inside the run folder
  std::optional<double> eval_loss;   // the last evaluation logged at this step, if any
  bool current = false;              // RUN/adapter.gguf has this file's bytes
  bool only_adapter = false;         // adapter.gguf itself: matches no checkpoint file
};

// Every checkpoint adapter of `run` by step, then adapter.gguf itself when its bytes are none of
// theirs (its step from run.json). Throws Error(kExitInput) when `run` is not a folder with a
// log.jsonl (not a scale train run).
std::vector<RunCheckpoint> ListRunCheckpoints(const std::filesystem::path& run);

}  // namespace scale::train
