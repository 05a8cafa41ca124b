#include "hw/tune.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>

#include "engine/llama_engine.h"
#include "engine/system_info.h"
#include "hw/hw_info.h"
#include "llama.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"

namespace scale::hw {
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

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

// One trial on its own context: prompt processing in batches of `batch`, then single-token steps.
TuneTrial Measure(llama_model* model, int threads, int batch, const TuneOptions& o) {
  llama_context_params cp = llama_context_default_params();
  cp.n_ctx = static_cast<uint32_t>(o.prompt_tokens + o.gen_tokens + 16);
  cp.n_batch = static_cast<uint32_t>(batch);
  cp.n_ubatch = static_cast<uint32_t>(std::min(batch, 512));
  cp.n_threads = threads;
  cp.n_threads_batch = threads;
  cp.no_perf = true;
  llama_context* ctx = llama_init_from_model(model, cp);
  if (ctx == nullptr) throw Error(kExitModel, "could not create a context for tuning (out of memory?)");

  const llama_vocab* vocab = llama_model_get_vocab(model);
  const int n_vocab = llama_vocab_n_tokens(vocab);
  std::mt19937 rng(1234);  // the token values do not change the speed, only the shapes do
  std::vector<llama_token> tokens(static_cast<size_t>(o.prompt_tokens));
  for (auto& t : tokens) t = static_cast<llama_token>(rng() % static_cast<uint32_t>(n_vocab));

  auto decode = [&](llama_token* data, int n, int pos0) {
    llama_batch b = llama_batch_init(n, 0, 1);
    for (int i = 0; i < n; ++i) {
      b.token[i] = data[i];
      b.pos[i] = pos0 + i;
      b.n_seq_id[i] = 1;
      b.seq_id[i][0] = 0;
      b.logits[i] = i == n - 1;
    }
    b.n_tokens = n;
    int rc = llama_decode(ctx, b);
    llama_batch_free(b);
    if (rc != 0) {
      llama_free(ctx);
      throw Error(kExitModel, "llama_decode failed while tuning (code " + std::to_string(rc) + ")");
    }
  };

  // Warm-up (first-touch of the mmapped weights, thread pool start), then clear.
  decode(tokens.data(), std::min(batch, o.prompt_tokens), 0);
  llama_memory_clear(llama_get_memory(ctx), true);

  TuneTrial trial;
  trial.threads = threads;
  trial.batch_size = batch;
  auto t0 = Clock::now();
  for (int pos = 0; pos < o.prompt_tokens; pos += batch) {
    decode(tokens.data() + pos, std::min(batch, o.prompt_tokens - pos), pos);
  }
  double pp_s = Since(t0);
  t0 = Clock::now();
  for (int i = 0; i < o.gen_tokens; ++i) decode(&tokens[static_cast<size_t>(i % o.prompt_tokens)], 1, o.prompt_tokens + i);
  double tg_s = Since(t0);
  llama_free(ctx);

  trial.pp_tokens_per_s = o.prompt_tokens / std::max(pp_s, 1e-9);
  trial.tg_tokens_per_s = o.gen_tokens / std::max(tg_s, 1e-9);
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

TuneResult Tune(const TuneOptions& options) {
  TuneOptions o = options;
  if (o.threads.empty()) o.threads = DefaultThreads();
  if (o.batch_sizes.empty() || o.prompt_tokens < 1 || o.gen_tokens < 1) {
    throw Error(kExitUsage, "tuning needs at least one batch size and positive token counts");
  }
  engine::EngineParams params;
  params.model_path = o.model_path;
  params.gpu_layers = o.gpu_layers;
  params.ctx_size = 256;  // the engine's own context is not used; trials make their own
  auto engine = engine::LlamaEngine::Load(params);

  TuneResult result;
  result.machine = MachineKey();
  result.model = ModelKey(o.model_path);
  for (int threads : o.threads) {
    for (int batch : o.batch_sizes) {
      TuneTrial t = Measure(engine->model(), threads, batch, o);
      char line[160];
      std::snprintf(line, sizeof line, "threads %2d, batch %4d: %8.1f prompt tok/s, %7.1f gen tok/s", threads, batch,
                    t.pp_tokens_per_s, t.tg_tokens_per_s);
      LogVerbose(line);
      result.trials.push_back(t);
    }
  }
  // Lowest estimated request time wins; ties (equal to the microsecond) go to fewer threads, then
  // smaller batches, which leave more of the machine to everything else.
  const TuneTrial* best = &result.trials.front();
  for (const auto& t : result.trials) {
    if (t.score_s < best->score_s) best = &t;
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

bool ApplyTuned(ProfileSettings* s, const std::set<std::string>& flags_given) {
  if (s->model.empty()) return false;
  std::error_code ec;
  if (!fs::exists(TuneFile(), ec)) return false;
  auto tuned = LookupTune(s->model);
  if (!tuned) return false;
  const ProfileSettings d;
  bool applied = false;
  if (!flags_given.count("threads") && s->threads == d.threads) {
    s->threads = tuned->threads;
    applied = true;
  }
  if (!flags_given.count("batch_size") && s->batch_size == d.batch_size) {
    s->batch_size = tuned->batch_size;
    applied = true;
  }
  if (applied) s->applied += (s->applied.empty() ? "" : "; ") + std::string("tune.json");
  return applied;
}

}  // namespace scale::hw
