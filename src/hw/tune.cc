#include "hw/tune.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <tuple>

#include "engine/llama_engine.h"
#include "hw/hw_info.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"

namespace scale::hw {
namespace fs = std::filesystem;

namespace {

std::vector<int> DefaultThreads() {
  HwInfo hw = DetectHardware();
  int physical = std::max(1, hw.cpu.physical_cores);
  int logical = std::max(physical, hw.cpu.logical_cores);
  std::vector<int> out = {1, std::max(1, physical / 2), physical, logical};
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

fs::path TuneFile() { return CacheDir() / "tune.json"; }

nlohmann::json ReadTuneFile() {
  std::error_code ec;
  if (!fs::exists(TuneFile(), ec)) return nlohmann::json::object();
  try {
    auto j = nlohmann::json::parse(ReadFile(TuneFile(), 16 << 20));
    if (j.is_object()) return j;
  } catch (const std::exception&) {
  }
  // A damaged file only loses tuning results: say so and start over rather than fail the command.
  LogWarning(TuneFile().string() + " is not valid JSON; ignoring it (run `scale hw --tune` again)");
  return nlohmann::json::object();
}

// A typical comment request reads prompt_tokens and writes about 4 * gen_tokens.
TuneTrial Score(int threads, int batch, const engine::DecodeSpeed& speed, const TuneOptions& o) {
  TuneTrial trial;
  trial.threads = threads;
  trial.batch_size = batch;
  trial.pp_tokens_per_s = o.prompt_tokens / std::max(speed.prompt_seconds, 1e-9);
  trial.tg_tokens_per_s = o.gen_tokens / std::max(speed.gen_seconds, 1e-9);
  trial.score_s = o.prompt_tokens / trial.pp_tokens_per_s + 4.0 * o.gen_tokens / trial.tg_tokens_per_s;
  return trial;
}

nlohmann::json TrialJson(const TuneTrial& t) {
  return {{"threads", t.threads}, {"batch_size", t.batch_size}, {"pp_tokens_per_s", t.pp_tokens_per_s},
          {"tg_tokens_per_s", t.tg_tokens_per_s}, {"score_s", t.score_s}};
}

}  // namespace

nlohmann::json TuneResult::ToJson() const {
  nlohmann::json trials_json = nlohmann::json::array();
  for (const auto& t : trials) trials_json.push_back(TrialJson(t));
  return {{"machine", machine},       {"model", model},
          {"threads", threads},       {"batch_size", batch_size},
          {"pp_tokens_per_s", pp_tokens_per_s}, {"tg_tokens_per_s", tg_tokens_per_s},
          {"trials", trials_json}};
}

std::string MachineKey() {
  HwInfo hw = DetectHardware();
  std::string key = hw.cpu.model + "|" + std::to_string(hw.cpu.physical_cores) + "|" +
                    std::to_string((hw.ram_total + (1ull << 29)) >> 30) + "|";
  for (const auto& a : hw.accelerators) key += a.description + ";";
  return key;
}

std::string ModelKey(const std::string& model_path) {
  std::error_code ec;
  auto size = fs::file_size(model_path, ec);
  return fs::path(model_path).filename().string() + ":" + std::to_string(ec ? 0 : size);
}

namespace {

void CheckTuneOptions(const TuneOptions& o) {
  if (o.batch_sizes.empty() || o.prompt_tokens < 1 || o.gen_tokens < 1) {
    throw Error(kExitUsage, "tuning needs at least one batch size and positive token counts");
  }
}

}  // namespace

TuneResult Tune(const TuneOptions& options) {
  CheckTuneOptions(options);
  engine::EngineParams params;
  params.model_path = options.model_path;
  params.gpu_layers = options.gpu_layers;
  params.ctx_size = 256;  // the engine's own context is not used; trials make their own
  auto engine = engine::LlamaEngine::Load(params);
  return Tune(options, [&](int threads, int batch) {
    return engine::MeasureDecodeSpeed(*engine, {threads, batch, options.prompt_tokens, options.gen_tokens});
  });
}

TuneResult Tune(const TuneOptions& options, const TuneProbe& probe) {
  TuneOptions o = options;
  if (o.threads.empty()) o.threads = DefaultThreads();
  CheckTuneOptions(o);
  TuneResult result;
  result.machine = MachineKey();
  result.model = ModelKey(o.model_path);
  for (int threads : o.threads) {
    for (int batch : o.batch_sizes) {
      TuneTrial t = Score(threads, batch, probe(threads, batch), o);
      char line[160];
      std::snprintf(line, sizeof line, "threads %2d, batch %4d: %8.1f prompt tok/s, %7.1f gen tok/s", threads, batch,
                    t.pp_tokens_per_s, t.tg_tokens_per_s);
      LogVerbose(line);
      result.trials.push_back(t);
    }
  }
  // Lowest estimated request time wins; ties go to fewer threads, then smaller batches, which
  // leave more of the machine to everything else.
  auto key = [](const TuneTrial& t) { return std::make_tuple(t.score_s, t.threads, t.batch_size); };
  const TuneTrial* best = &result.trials.front();
  for (const auto& t : result.trials) {
    if (key(t) < key(*best)) best = &t;
  }
  result.threads = best->threads;
  result.batch_size = best->batch_size;
  result.pp_tokens_per_s = best->pp_tokens_per_s;
  result.tg_tokens_per_s = best->tg_tokens_per_s;
  return result;
}

void StoreTune(const TuneResult& result) {
  nlohmann::json all = ReadTuneFile();
  all[result.machine][result.model] = result.ToJson();
  fs::create_directories(TuneFile().parent_path());
  WriteFileAtomic(TuneFile(), all.dump(2) + "\n");
}

std::optional<TuneResult> LookupTune(const std::string& model_path) {
  nlohmann::json all = ReadTuneFile();
  std::string machine = MachineKey(), model = ModelKey(model_path);
  if (!all.contains(machine) || !all[machine].is_object() || !all[machine].contains(model)) return std::nullopt;
  const auto& j = all[machine][model];
  try {
    TuneResult r;
    r.machine = machine;
    r.model = model;
    r.threads = j.at("threads").get<int>();
    r.batch_size = j.at("batch_size").get<int>();
    r.pp_tokens_per_s = j.value("pp_tokens_per_s", 0.0);
    r.tg_tokens_per_s = j.value("tg_tokens_per_s", 0.0);
    if (r.threads < 1 || r.batch_size < 1) return std::nullopt;
    return r;
  } catch (const std::exception&) {
    LogWarning(TuneFile().string() + ": the entry for " + model + " is damaged; ignoring it");
    return std::nullopt;
  }
}

settings::Layer TunedLayer(const std::string& model_path) {
  settings::Layer out;
  std::error_code ec;
  if (model_path.empty() || !fs::exists(TuneFile(), ec)) return out;
  auto tuned = LookupTune(model_path);
  if (!tuned) return out;
  // The stored JSON names its values like the settings table does.
  const nlohmann::json j = tuned->ToJson();
  for (const settings::Setting& s : settings::Table()) {
    if (s.tunable && j.contains(s.name)) out[s.name] = {j[s.name].dump(), "tune.json"};
  }
  return out;
}

}  // namespace scale::hw
