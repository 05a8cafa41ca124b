// `scale hw`: what this machine has (CPU, SIMD, RAM, accelerators from ggml's device registry), the
// hardware profile recommended for it with the memory arithmetic behind the choice and behind its
// LoRA training settings, and `--tune -m MODEL`, which measures thread/batch settings and stores
// the fastest for later runs.
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/print.h"
#include "hw/hw_info.h"
#include "hw/profile.h"
#include "hw/train_advice.h"
#include "hw/tune.h"
#include "models/cache.h"
#include "util/error.h"
#include "util/log.h"
#include "util/size.h"
#include "util/text.h"

namespace scale::cli {
namespace {
using nlohmann::json;

struct HwArgs {
  bool json = false;
  bool tune = false;
  bool list_profiles = false;
  std::string profile;  // explain this profile instead of the recommended one
  std::string model;
  std::vector<int> threads;
  std::vector<int> batch_sizes = {128, 256, 512};
  int prompt_tokens = 256;
  int gen_tokens = 32;
  int gpu_layers = 0;
  int verbose = 0;
  bool quiet = false;
};


void PrintHardware(const hw::HwInfo& info) {
  PrintLine("CPU        " + info.cpu.model + " (" + std::to_string(info.cpu.physical_cores) + " physical cores, " +
        std::to_string(info.cpu.logical_cores) + " logical)");
  PrintLine("SIMD       " + (info.cpu.simd.empty() ? std::string("none detected") : Join(info.cpu.simd, " ")));
  PrintLine("ggml uses  " + (info.cpu.ggml_uses.empty() ? std::string("(no feature list)") : Join(info.cpu.ggml_uses, " ")));
  PrintLine("RAM        " + FormatBytes(info.ram_total) + " total, " +
        FormatBytes(info.ram_available) + " available");
  if (info.accelerators.empty()) {
    PrintLine("GPU        none (ggml sees only the CPU backend)");
  }
  for (const auto& a : info.accelerators) {
    PrintLine("GPU        " + a.name + ": " + a.description + " (" + a.type + ", " + FormatBytes(a.memory_free) +
          " free of " + FormatBytes(a.memory_total) + ")");
  }
}

hw::Recommendation Explain(const hw::HwInfo& info, const std::string& profile_name) {
  if (profile_name.empty()) return hw::Recommend(info, hw::LoadProfiles());
  // A named profile is explained against this machine even when --auto would not pick it.
  std::string why_not;
  hw::Recommendation r = hw::Assess(info, hw::FindProfile(profile_name), &why_not);
  if (!why_not.empty()) r.skipped.push_back("does not fit this machine: " + why_not);
  return r;
}

void PrintRecommendation(const hw::Recommendation& r, const hw::TrainAdvice& train, bool named) {
  const auto& p = r.profile;
  PrintLine("");
  PrintLine(std::string(named ? "Profile    " : "Recommended profile: ") + p.name + "  (" + p.path + ")");
  if (!p.description.empty()) PrintLine("  " + p.description);
  PrintLine("  model      " + r.model->title + " " + r.model->quant + "  (" + r.model->repo + ")" +
        (models::CachedPath(*r.model, models::ModelsDir()) ? "  [cached]" : "  [not cached: scale models pull " + r.model->id + "]"));
  char line[200];
  std::snprintf(line, sizeof line, "  settings   --ctx-size %d --parallel %d --batch-size %d --gpu-layers %d --threads %d%s",
                p.engine.ctx_size, p.engine.parallel, p.engine.batch_size, p.engine.gpu_layers, p.engine.threads,
                p.engine.threads == 0 ? " (0 = physical cores)" : "");
  PrintLine(line);
  PrintLine("  memory:");
  for (const auto& l : hw::ExplainMemory(r)) PrintLine("    " + l);
  for (const auto& s : r.skipped) PrintLine((named ? "  " : "  not chosen: ") + s);
  // What `scale train` would use on this tier, and what that costs here.
  PrintLine("  training (LoRA, the profile's [train]):");
  for (const auto& l : hw::ExplainTraining(train)) PrintLine("    " + l);
  PrintLine(named ? "Use it:     scale comment --profile " + p.name + " FILE"
              : "Use it:     scale comment --auto FILE   (or --profile " + p.name + ")");
}

void RunTune(const HwArgs& a) {
  if (a.model.empty()) throw Error(kExitUsage, "--tune needs a model: scale hw --tune -m MODEL.gguf");
  hw::TuneOptions o;
  o.model_path = a.model;
  o.threads = a.threads;
  o.batch_sizes = a.batch_sizes;
  o.prompt_tokens = a.prompt_tokens;
  o.gen_tokens = a.gen_tokens;
  o.gpu_layers = a.gpu_layers;
  LogInfo("tuning " + a.model + ": every threads x batch pair, " + std::to_string(o.prompt_tokens) + " prompt + " +
          std::to_string(o.gen_tokens) + " generated tokens each");
  hw::TuneResult r = hw::Tune(o);
  hw::StoreTune(r);
  if (a.json) {
    PrintJson(r.ToJson());
    return;
  }
  PrintLine("threads  batch  prompt tok/s  gen tok/s  est. request s");
  for (const auto& t : r.trials) {
    char line[160];
    std::snprintf(line, sizeof line, "%7d  %5d  %12.1f  %9.1f  %14.2f%s", t.threads, t.batch_size, t.pp_tokens_per_s,
                  t.tg_tokens_per_s, t.score_s, t.threads == r.threads && t.batch_size == r.batch_size ? "  <- best" : "");
    PrintLine(line);
  }
  PrintLine("stored: --threads " + std::to_string(r.threads) + " --batch-size " + std::to_string(r.batch_size) + " for " +
        r.model + " on this machine (used when those flags are not given)");
}

}  // namespace

void AddHwCommand(CLI::App& app) {
  auto args = std::make_shared<HwArgs>();
  auto* cmd = app.add_subcommand("hw", "show this machine's hardware and the profile it should use; --tune measures settings");
  cmd->add_flag("--json", args->json, "print the report as JSON on stdout");
  cmd->add_option("--profile", args->profile, "explain this profile (name or .toml) instead of the recommended one");
  cmd->add_flag("--list-profiles", args->list_profiles, "list the profiles and whether each fits this machine");
  cmd->add_flag("--tune", args->tune, "measure thread/batch settings with -m MODEL and store the fastest");
  cmd->add_option("-m,--model", args->model, "GGUF model for --tune");
  cmd->add_option("--tune-threads", args->threads, "thread counts to try, e.g. 1,2,4 (default: 1, half, all physical, all logical)")
      ->delimiter(',');
  cmd->add_option("--tune-batch", args->batch_sizes, "batch sizes to try, e.g. 128,512")->delimiter(',')->capture_default_str();
  cmd->add_option("--tune-prompt", args->prompt_tokens, "prompt tokens per trial")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--tune-gen", args->gen_tokens, "generated tokens per trial")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--gpu-layers", args->gpu_layers, "layers to offload while tuning")->capture_default_str();
  cmd->add_flag("-v,--verbose", args->verbose, "more detail on stderr");
  cmd->add_flag("-q,--quiet", args->quiet, "only errors on stderr");
  cmd->callback([args] {
    if (args->quiet) SetLogLevel(LogLevel::kQuiet);
    if (args->verbose > 0) SetLogLevel(LogLevel::kVerbose);
    if (args->tune) return RunTune(*args);
    hw::HwInfo info = hw::DetectHardware();
    if (args->list_profiles) {
      std::vector<hw::Profile> profiles = hw::LoadProfiles();
      json out = json::array();
      for (const auto& p : profiles) {
        std::string why_not;
        hw::Recommendation r = hw::Assess(info, p, &why_not);
        std::string why = why_not.empty() ? "fits (" + FormatBytes(r.memory.total()) + ")" : why_not;
        out.push_back({{"name", p.name}, {"description", p.description}, {"fits", why_not.empty()}, {"why", why},
                       {"memory_total", r.memory.total()}});
        if (!args->json) PrintLine(p.name + "  " + p.description + "\n    " + why);
      }
      if (args->json) PrintJson(out);
      return;
    }
    hw::Recommendation r = Explain(info, args->profile);
    auto tuned = args->model.empty() ? std::nullopt : hw::LookupTune(args->model);
    hw::TrainAdvice train = hw::AdviseTraining(r.profile, info);
    if (args->json) {
      json j = {{"hardware", info.ToJson()}, {"recommendation", hw::RecommendationJson(r)},
                {"memory_explained", hw::ExplainMemory(r)}, {"train", hw::TrainAdviceJson(train)}};
      if (tuned) j["tuned"] = tuned->ToJson();
      PrintJson(j);
      return;
    }
    PrintHardware(info);
    PrintRecommendation(r, train, !args->profile.empty());
    if (tuned) {
      PrintLine("Tuned      --threads " + std::to_string(tuned->threads) + " --batch-size " + std::to_string(tuned->batch_size) +
            " for " + tuned->model);
    }
  });
}

}  // namespace scale::cli
