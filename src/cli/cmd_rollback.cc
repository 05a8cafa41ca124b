// `scale rollback RUN/`: lists a training run's checkpoints (--list) or makes RUN/adapter.gguf a
// copy of one of them (--to-step N, --to-best), logged in RUN/log.jsonl. Deletes nothing: an
// adapter.gguf that is no checkpoint's is first kept as checkpoint-NNNNNN.gguf of its step.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "train/checkpoint.h"
#include "train/run_checkpoints.h"
#include "train/run_log.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"

namespace scale::cli {
namespace {

namespace fs = std::filesystem;

struct RollbackArgs {
  std::string run;
  bool list = false;
  bool to_best = false;
  int to_step = -1;
  bool json = false;
};

nlohmann::json LossOrNull(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

std::string Steps(const std::vector<train::RunCheckpoint>& all) {
  std::string out;
  for (const train::RunCheckpoint& c : all) {
    if (c.step >= 0) out += (out.empty() ? "" : ", ") + std::to_string(c.step);
  }
  return out.empty() ? "none" : out;
}

void List(const RollbackArgs& a, const std::vector<train::RunCheckpoint>& all) {
  if (a.json) {
    nlohmann::json rows = nlohmann::json::array();
    for (const train::RunCheckpoint& c : all) {
      rows.push_back({{"step", c.step >= 0 ? nlohmann::json(c.step) : nlohmann::json(nullptr)}, {"adapter", c.file},
                      {"eval_loss", LossOrNull(c.eval_loss)}, {"current", c.current}});
    }
    std::printf("%s\n", nlohmann::json({{"run", a.run}, {"checkpoints", rows}}).dump(2).c_str());
    return;
  }
  std::printf("%8s  %13s  %s\n", "step", "held-out loss", "adapter");
  for (const train::RunCheckpoint& c : all) {
    const std::string step = c.step >= 0 ? std::to_string(c.step) : "?";
    char loss[32] = "-";
    if (c.eval_loss) std::snprintf(loss, sizeof loss, "%.4f", *c.eval_loss);
    std::printf("%8s  %13s  %s%s\n", step.c_str(), loss, c.file.c_str(), c.current ? "  (current adapter.gguf)" : "");
  }
}

// The checkpoint --to-step / --to-best names (one line and exit 4 when there is none).
const train::RunCheckpoint& Target(const RollbackArgs& a, const std::vector<train::RunCheckpoint>& all) {
  const train::RunCheckpoint* pick = nullptr;
  for (const train::RunCheckpoint& c : all) {
    if (a.to_best) {
      if (c.eval_loss && (!pick || *c.eval_loss < *pick->eval_loss)) pick = &c;
    } else if (c.step == a.to_step && (!pick || pick->only_adapter)) {
      pick = &c;
    }
  }
  if (pick) return *pick;
  if (a.to_best) {
    throw Error(kExitInput, a.run + ": no checkpoint has a held-out loss in log.jsonl (trained with --no-eval, or no "
                                    "evaluation at a checkpoint's step: --eval-every)");
  }
  throw Error(kExitInput, a.run + ": no checkpoint at step " + std::to_string(a.to_step) + " (steps: " + Steps(all) + ")");
}

void Run(const RollbackArgs& a) {
  if (a.run.empty()) throw Error(kExitUsage, "scale rollback needs the run folder: scale rollback RUN/ --list");
  const int modes = (a.list ? 1 : 0) + (a.to_best ? 1 : 0) + (a.to_step >= 0 ? 1 : 0);
  if (modes != 1) throw Error(kExitUsage, "give one of --list, --to-best or --to-step N");
  const fs::path run(a.run);
  const std::vector<train::RunCheckpoint> all = train::ListRunCheckpoints(run);
  if (a.list) return List(a, all);
  const train::RunCheckpoint& to = Target(a, all);
  const std::string what = "step " + std::to_string(to.step) + "'s adapter (" + to.file + ")";
  if (to.current) {
    if (a.json) std::printf("%s\n", nlohmann::json({{"adapter", (run / "adapter.gguf").string()}, {"step", to.step}, {"changed", false}}).dump(2).c_str());
    else std::printf("%s already is %s\n", (run / "adapter.gguf").c_str(), what.c_str());
    return;
  }
  // adapter.gguf may be the only copy of its adapter (a finished run's last step): kept first.
  std::string kept;
  for (const train::RunCheckpoint& c : all) {
    if (!c.only_adapter) continue;
    if (c.step < 0) throw Error(kExitInput, a.run + "/adapter.gguf matches no checkpoint and run.json does not say its step: copy it aside first");
    kept = train::CheckpointAdapterName(c.step);
    std::error_code ec;
    if (fs::exists(fs::symlink_status(run / kept, ec))) {
      throw Error(kExitInput, a.run + "/adapter.gguf matches no checkpoint and " + kept + " exists: copy it aside first");
    }
    WriteFileAtomic(run / kept, ReadFile(run / "adapter.gguf", 16ull << 30));
  }
  WriteFileAtomic(run / "adapter.gguf", ReadFile(run / to.file, 16ull << 30));
  nlohmann::json event = {{"event", "rollback"}, {"to_step", to.step}, {"adapter", to.file},
                          {"eval_loss", LossOrNull(to.eval_loss)}};
  if (!kept.empty()) event["kept"] = kept;
  train::AppendLogLine(run / "log.jsonl", event);
  if (!kept.empty()) LogInfo("kept the previous adapter.gguf as " + kept);
  if (a.json) {
    std::printf("%s\n", nlohmann::json({{"adapter", (run / "adapter.gguf").string()}, {"step", to.step}, {"changed", true},
                                        {"eval_loss", LossOrNull(to.eval_loss)}, {"kept", kept.empty() ? nlohmann::json(nullptr) : nlohmann::json(kept)}})
                                  .dump(2)
                                  .c_str());
  } else {
    std::printf("%s is now %s\n", (run / "adapter.gguf").c_str(), what.c_str());
  }
}

}  // namespace

void AddRollbackCommand(CLI::App& app) {
  auto args = std::make_shared<RollbackArgs>();
  CLI::App* cmd = app.add_subcommand("rollback", "List a training run's checkpoints, or make one of them RUN/adapter.gguf");
  cmd->add_option("run", args->run, "The run folder (scale train -o RUN/)");
  cmd->add_flag("--list", args->list, "List the checkpoints: step, held-out loss, which one adapter.gguf is");
  cmd->add_flag("--to-best", args->to_best, "adapter.gguf becomes the checkpoint with the lowest held-out loss");
  cmd->add_option("--to-step", args->to_step, "adapter.gguf becomes the checkpoint of step N")->check(CLI::NonNegativeNumber);
  cmd->add_flag("--json", args->json, "Print the result as JSON");
  cmd->callback([args] { Run(*args); });
}

}  // namespace scale::cli
