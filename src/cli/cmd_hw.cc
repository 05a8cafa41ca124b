// `scale hw`: what this machine has (CPU, SIMD, RAM, accelerators from ggml's device registry), the
// hardware profile recommended for it with the memory arithmetic behind the choice, and
// `--tune -m MODEL`, which measures thread/batch settings and stores the fastest for later runs.
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "hw/hw_info.h"
#include "hw/profile.h"
#include "hw/tune.h"
#include "models/download_progress.h"
#include "models/cache.h"
#include "util/error.h"
#include "util/log.h"

namespace scale::cli {
namespace {
using models::DownloadProgress;
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

void Print(const std::string& s) { std::fputs((s + "\n").c_str(), stdout); }

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

void PrintHardware(const hw::HwInfo& info) {
  Print("CPU        " + info.cpu.model + " (" + std::to_string(info.cpu.physical_cores) + " physical cores, " +
        std::to_string(info.cpu.logical_cores) + " logical)");
  Print("SIMD       " + (info.cpu.simd.empty() ? std::string("none detected") : Join(info.cpu.simd, " ")));
  Print("ggml uses  " + (info.cpu.ggml_uses.empty() ? std::string("(no feature list)") : Join(info.cpu.ggml_uses, " ")));
  Print("RAM        " + DownloadProgress::FormatBytes(info.ram_total) + " total, " +
        DownloadProgress::FormatBytes(info.ram_available) + " available");
  if (info.accelerators.empty()) {
    Print("GPU        none (ggml sees only the CPU backend)");
  }
  for (const auto& a : info.accelerators) {
    Print("GPU        " + a.name + ": " + a.description + " (" + a.type + ", " + DownloadProgress::FormatBytes(a.memory_free) +
          " free of " + DownloadProgress::FormatBytes(a.memory_total) + ")");
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

void PrintRecommendation(const hw::Recommendation& r, bool named) {
  const auto& p = r.profile;
  Print("");
  Print(std::string(named ? "Profile    " : "Recommended profile: ") + p.name + "  (" + p.path + ")");
  if (!p.description.empty()) Print("  " + p.description);
  Print("  model      " + r.model->title + " " + r.model->quant + "  (" + r.model->repo + ")" +
        (models::CachedPath(*r.model, models::ModelsDir()) ? "  [cached]" : "  [not cached: scale models pull " + r.model->id + "]"));
  char line[200];
  std::snprintf(line, sizeof line, "  settings   --ctx-size %d --parallel %d --batch-size %d --gpu-layers %d --threads %d%s",
                p.ctx_size, p.parallel, p.batch_size, p.gpu_layers, p.threads, p.threads == 0 ? " (0 = physical cores)" : "");
  Print(line);
  Print("  memory:");
  for (const auto& l : hw::ExplainMemory(r)) Print("    " + l);
  for (const auto& s : r.skipped) Print((named ? "  " : "  not chosen: ") + s);
  Print(named ? "Use it:     scale comment --profile " + p.name + " FILE"
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
    Print(r.ToJson().dump(2));
    return;
  }
  Print("threads  batch  prompt tok/s  gen tok/s  est. request s");
  for (const auto& t : r.trials) {
    char line[160];
    std::snprintf(line, sizeof line, "%7d  %5d  %12.1f  %9.1f  %14.2f%s", t.threads, t.batch_size, t.pp_tokens_per_s,
                  t.tg_tokens_per_s, t.score_s, t.threads == r.threads && t.batch_size == r.batch_size ? "  <- best" : "");
    Print(line);
  }
  Print("stored: --threads " + std::to_string(r.threads) + " --batch-size " + std::to_string(r.batch_size) + " for " +
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
        std::string why = why_not.empty() ? "fits (" + DownloadProgress::FormatBytes(r.memory.total()) + ")" : why_not;
        out.push_back({{"name", p.name}, {"description", p.description}, {"fits", why_not.empty()}, {"why", why},
                       {"memory_total", r.memory.total()}});
        if (!args->json) Print(p.name + "  " + p.description + "\n    " + why);
      }
      if (args->json) Print(out.dump(2));
      return;
    }
    hw::Recommendation r = Explain(info, args->profile);
    auto tuned = args->model.empty() ? std::nullopt : hw::LookupTune(args->model);
    if (args->json) {
      json j = {{"hardware", info.ToJson()}, {"recommendation", hw::RecommendationJson(r)},
                {"memory_explained", hw::ExplainMemory(r)}};
      if (tuned) j["tuned"] = tuned->ToJson();
      Print(j.dump(2));
      return;
    }
    PrintHardware(info);
    PrintRecommendation(r, !args->profile.empty());
    if (tuned) {
      Print("Tuned      --threads " + std::to_string(tuned->threads) + " --batch-size " + std::to_string(tuned->batch_size) +
            " for " + tuned->model);
    }
  });
}

}  // namespace scale::cli
