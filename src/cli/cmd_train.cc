// `scale train`: a LoRA adapter for a base GGUF from (prompt, answer) JSON lines, trained on the
// CPU with ggml (src/train/). Writes RUN/adapter.gguf, checkpoints, RUN/log.jsonl, RUN/run.json;
// `--resume RUN/` continues a stopped run from its newest whole checkpoint, bit for bit; the
// safety breaker (train/breaker.h, train/safety.h) warns, rolls back or halts a run going wrong.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/model_options.h"
#include "engine/llama_engine.h"
#include "engine/system_info.h"
#include "models/other_stores.h"
#include "train/base_model.h"
#include "train/breaker.h"
#include "train/checkpoint.h"
#include "train/dataset.h"
#include "train/engine_tokenizer.h"
#include "train/lora.h"
#include "train/memory.h"
#include "train/options.h"
#include "train/row_order.h"
#include "train/run_log.h"
#include "train/safety.h"
#include "train/trainer.h"
#include "util/error.h"
#include "util/fault.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/peak_rss.h"
#include "util/sha256.h"
#include "util/size.h"

namespace scale::cli {
namespace {

namespace fs = std::filesystem;

struct TrainArgs {
  std::string model;
  std::string data;
  std::string out;
  std::string modules = "q,k,v,o";
  std::string max_memory;
  std::string resume;  // RUN/ to continue
  double holdout = 0.1;
  bool force = false;
  bool json = false;
  bool quiet = false;
  bool no_eval = false;  // benchmarks: time training alone
  int verbosity = 0;
  train::TrainOptions options;
  std::vector<std::string> breaker;  // --breaker values, applied in order to the defaults
  train::SafetyOptions safety;       // its factors and limits (the actions come from `breaker`)
};

// The breaker's settings: the defaults, each --breaker value in turn, the factors, and
// --max-memory as the memory rule's budget.
train::SafetyOptions SafetyOf(const TrainArgs& a) {
  train::SafetyOptions s = a.safety;
  s.breaker.actions = train::BreakerOptions{}.actions;
  for (const std::string& v : a.breaker) train::ApplyBreakerFlag(v, &s.breaker);
  s.breaker.memory_budget = a.options.max_memory;
  return s;
}

void Validate(const TrainArgs& a) {
  const auto& o = a.options;
  if (a.model.empty()) throw Error(kExitUsage, "scale train needs a base model: -m BASE.gguf");
  if (a.data.empty()) throw Error(kExitUsage, "scale train needs training data: --data DATA.jsonl (docs/training.md)");
  if (a.out.empty()) throw Error(kExitUsage, "scale train needs an output folder: -o RUN/ (or --resume RUN/)");
  if (!(o.lr > 0) || o.lr > 1) throw Error(kExitUsage, "--lr must be in (0, 1]");
  if (o.weight_decay < 0 || o.weight_decay > 1) throw Error(kExitUsage, "--weight-decay must be in [0, 1]");
  if (o.clip < 0) throw Error(kExitUsage, "--clip must be 0 (off) or positive");
  if (o.steps < 0 || (o.steps == 0 && !(o.epochs > 0))) throw Error(kExitUsage, "give --steps N or --epochs E above 0");
  if (o.batch < 1 || o.batch > 4096) throw Error(kExitUsage, "--batch must be 1..4096");
  if (o.ctx < 8) throw Error(kExitUsage, "--ctx must be at least 8 tokens");
  if (o.eval_every < 0 || o.checkpoint_every < 0) throw Error(kExitUsage, "--eval-every/--checkpoint-every must be 0 or positive");
  if (a.holdout < 0 || a.holdout >= 1) throw Error(kExitUsage, "--holdout must be in [0, 1)");
  const train::SafetyOptions& s = a.safety;
  if (!(s.breaker.spike_factor > 1) || !(s.breaker.grad_factor > 1)) throw Error(kExitUsage, "--spike-factor/--grad-factor must be above 1");
  if (s.breaker.eval_patience < 1) throw Error(kExitUsage, "--eval-patience must be at least 1");
  if (s.max_rollbacks < 0) throw Error(kExitUsage, "--max-rollbacks must be 0 or more");
  if (!(s.rollback_lr_factor > 0) || s.rollback_lr_factor > 1) throw Error(kExitUsage, "--rollback-lr-factor must be in (0, 1]");
  SafetyOf(a);  // a bad --breaker value: one line, exit 2
}

// RUN/ is ours to fill: an existing non-empty folder is someone's earlier run (or not a run at
// all), so it is only reused with --force, and then only our own file names are replaced.
void PrepareRunDir(const TrainArgs& a) {
  std::error_code ec;
  if (fs::exists(a.out, ec) && !fs::is_directory(a.out, ec)) throw Error(kExitUsage, a.out + " exists and is not a folder");
  if (fs::is_directory(a.out, ec) && !fs::is_empty(a.out, ec) && !a.force) {
    throw Error(kExitUsage, a.out + " is not empty (an earlier run?); pass --force to replace its adapter and logs");
  }
  fs::create_directories(a.out, ec);
  if (ec) throw Error(kExitIo, "cannot create " + a.out + ": " + ec.message());
}

std::string CanonicalModules(const std::string& list) {
  std::string out;
  for (train::Module m : train::ParseModules(list)) out += std::string(out.empty() ? "" : ",") + train::ModuleFlagName(m);
  return out;
}

// Every setting that changes what a run computes, as the run records it: a resumed run takes them
// from its checkpoint and refuses a flag that says otherwise. Threads are not here (the one flag a
// resume may change); nor are -q/-v/--json/--max-memory, which change no number.
nlohmann::json Settings(const TrainArgs& a) {
  const auto& o = a.options;
  return {{"model", a.model}, {"data", a.data}, {"modules", CanonicalModules(a.modules)},
          {"rank", o.lora.rank}, {"alpha", o.lora.alpha}, {"dropout", o.lora.dropout}, {"seed", o.lora.seed},
          {"lr", o.lr}, {"weight_decay", o.weight_decay}, {"clip", o.clip}, {"steps", o.steps},
          {"epochs", o.epochs}, {"batch", o.batch}, {"ctx", o.ctx}, {"warmup", o.warmup},
          {"eval_every", o.eval_every}, {"checkpoint_every", o.checkpoint_every}, {"holdout", a.holdout},
          {"keep_quantized", !o.dequantize}, {"no_eval", a.no_eval},
          {"breaker", train::BreakerActionsString(SafetyOf(a).breaker)}, {"spike_factor", a.safety.breaker.spike_factor},
          {"grad_factor", a.safety.breaker.grad_factor}, {"eval_patience", a.safety.breaker.eval_patience},
          {"max_rollbacks", a.safety.max_rollbacks}, {"rollback_lr_factor", a.safety.rollback_lr_factor}};
}

void ApplySettings(const nlohmann::json& s, TrainArgs* a) {
  auto& o = a->options;
  a->model = s.at("model").get<std::string>();
  a->data = s.at("data").get<std::string>();
  a->modules = s.at("modules").get<std::string>();
  o.lora.rank = s.at("rank").get<int>();
  o.lora.alpha = s.at("alpha").get<float>();
  o.lora.dropout = s.at("dropout").get<float>();
  o.lora.seed = s.at("seed").get<uint64_t>();
  o.lr = s.at("lr").get<double>();
  o.weight_decay = s.at("weight_decay").get<double>();
  o.clip = s.at("clip").get<double>();
  o.steps = s.at("steps").get<int>();
  o.epochs = s.at("epochs").get<double>();
  o.batch = s.at("batch").get<int>();
  o.ctx = s.at("ctx").get<int>();
  o.warmup = s.at("warmup").get<int>();
  o.eval_every = s.at("eval_every").get<int>();
  o.checkpoint_every = s.at("checkpoint_every").get<int>();
  a->holdout = s.at("holdout").get<double>();
  o.dequantize = !s.at("keep_quantized").get<bool>();
  a->no_eval = s.at("no_eval").get<bool>();
  // A run from before the breaker has none of these: it continues with the defaults.
  const train::SafetyOptions d;
  a->breaker = {s.value("breaker", train::BreakerActionsString(d.breaker))};
  a->safety.breaker.spike_factor = s.value("spike_factor", d.breaker.spike_factor);
  a->safety.breaker.grad_factor = s.value("grad_factor", d.breaker.grad_factor);
  a->safety.breaker.eval_patience = s.value("eval_patience", d.breaker.eval_patience);
  a->safety.max_rollbacks = s.value("max_rollbacks", d.max_rollbacks);
  a->safety.rollback_lr_factor = s.value("rollback_lr_factor", d.rollback_lr_factor);
}

// The flag of each recorded setting (Settings' keys).
constexpr std::pair<const char*, const char*> kSettingFlags[] = {
    {"--model", "model"}, {"--data", "data"}, {"--modules", "modules"}, {"--rank", "rank"},
    {"--alpha", "alpha"}, {"--dropout", "dropout"}, {"--seed", "seed"}, {"--lr", "lr"},
    {"--weight-decay", "weight_decay"}, {"--clip", "clip"}, {"--steps", "steps"}, {"--epochs", "epochs"},
    {"--batch", "batch"}, {"--ctx", "ctx"}, {"--warmup", "warmup"}, {"--eval-every", "eval_every"},
    {"--checkpoint-every", "checkpoint_every"}, {"--holdout", "holdout"}, {"--keep-quantized", "keep_quantized"},
    {"--no-eval", "no_eval"}, {"--breaker", "breaker"}, {"--spike-factor", "spike_factor"},
    {"--grad-factor", "grad_factor"}, {"--eval-patience", "eval_patience"}, {"--max-rollbacks", "max_rollbacks"},
    {"--rollback-lr-factor", "rollback_lr_factor"}};

std::string Absolute(const std::string& path) {
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(fs::absolute(path), ec);
  return ec ? fs::absolute(path).string() : p.string();
}

// A fresh run's settings with the model resolved and the data named absolutely (what it records).
void Resolve(TrainArgs* a) {
  Validate(*a);
  a->modules = CanonicalModules(a->modules);
  a->model = models::ResolveModelArgument(a->model);
  if (!fs::is_regular_file(a->model)) throw Error(kExitModel, "model not found: " + a->model);
  a->model = Absolute(a->model);
  a->data = Absolute(a->data);
}

// --resume: the run's recorded settings replace the flags; a flag given with another value is
// refused (one line), since the continued run would no longer be the one that was started.
void TakeRecordedSettings(const nlohmann::json& recorded, const CLI::App& cmd, TrainArgs* a) {
  if (cmd.get_option("--out")->count() > 0) throw Error(kExitUsage, "--resume RUN/ names the run folder; leave out -o");
  if (a->force) throw Error(kExitUsage, "--force does not go with --resume (a resumed run keeps its folder)");
  TrainArgs given = *a;
  if (cmd.get_option("--model")->count() > 0) {
    given.model = Absolute(models::ResolveModelArgument(given.model));
  }
  if (cmd.get_option("--data")->count() > 0) given.data = Absolute(given.data);
  const nlohmann::json mine = Settings(given);
  for (const auto& [flag, key] : kSettingFlags) {
    if (cmd.get_option(flag)->count() == 0 || !recorded.contains(key) || mine.at(key) == recorded.at(key)) continue;
    // Moved data is fine when its bytes are the run's (checked against the recorded hash later).
    if (std::string(key) == "data") continue;
    throw Error(kExitUsage, std::string(flag) + " " + mine.at(key).dump() + " differs from the run's " +
                                recorded.at(key).dump() + ": a resumed run keeps its settings (start a new run to change them)");
  }
  try {
    ApplySettings(recorded, a);
  } catch (const nlohmann::json::exception&) {
    throw Error(kExitInput, "the checkpoint's settings are not what this scale writes");
  }
  if (cmd.get_option("--data")->count() > 0) a->data = given.data;
}

double NumberOr(const nlohmann::json& j, const char* key, double fallback) {
  return j.contains(key) && j.at(key).is_number() ? j.at(key).get<double>() : fallback;
}

uint64_t SizeOr0(const fs::path& p) {
  std::error_code ec;
  const uint64_t n = fs::file_size(p, ec);
  return ec ? 0 : n;
}

// The log as it was at the checkpoint: lines of steps after it (a killed run's) are cut, so the
// continued log holds every step once.
void RewindLog(const fs::path& log, uint64_t bytes, int step) {
  std::error_code ec;
  if (bytes == 0 && !fs::exists(fs::symlink_status(log, ec))) return;
  const std::string text = ReadFile(log);
  if (text.size() < bytes) {
    throw Error(kExitInput, log.string() + " is shorter than at step " + std::to_string(step) + ": not this run's log");
  }
  if (text.size() > bytes) WriteFileAtomic(log, std::string_view(text).substr(0, bytes));
}

void Run(TrainArgs& a, const CLI::App& cmd) {
  if (a.quiet) SetLogLevel(LogLevel::kQuiet);
  if (a.verbosity > 0) SetLogLevel(LogLevel::kVerbose);
  std::optional<train::Checkpoint> ckpt;
  if (!a.resume.empty()) {
    std::error_code ec;
    if (!fs::is_directory(a.resume, ec)) throw Error(kExitInput, "--resume " + a.resume + ": not a run folder");
    ckpt = train::LatestCheckpoint(a.resume);
    if (!ckpt) {
      throw Error(kExitInput, "--resume " + a.resume + ": no checkpoint to resume from (scale train writes one every "
                              "--checkpoint-every steps, on Ctrl-C and at the end)");
    }
    if (ckpt->run.value("finished", false)) {
      throw Error(kExitUsage, a.resume + " already finished its " + std::to_string(ckpt->trainer.steps) +
                                  " steps: nothing to resume");
    }
    TakeRecordedSettings(ckpt->run.value("settings", nlohmann::json::object()), cmd, &a);
    a.out = a.resume;
  }
  Resolve(&a);
  a.options.lora.modules = train::ParseModules(a.modules);
  if (!a.max_memory.empty()) a.options.max_memory = ParseByteSize(a.max_memory, "--max-memory");
  const std::string& model_path = a.model;
  const std::string data_sha256 = Sha256File(a.data);
  const uint64_t model_bytes = SizeOr0(model_path);
  const int threads = a.options.threads > 0 ? a.options.threads : engine::PhysicalCores();
  if (ckpt) {
    if (ckpt->run.value("data_sha256", "") != data_sha256) {
      throw Error(kExitInput, a.data + " is not the data this run started with (its SHA-256 differs)");
    }
    if (ckpt->run.value("model_bytes", uint64_t{0}) != model_bytes) {
      throw Error(kExitModel, model_path + " is not the model this run started with (its size differs)");
    }
    const int was = ckpt->run.value("threads", 0);
    if (was != threads) {
      LogWarning("resuming with " + std::to_string(threads) + " threads, the run started with " + std::to_string(was) +
                 ": the result matches an uninterrupted run only to within float rounding (docs/training.md)");
    }
  }

  const train::ModelShape shape = train::ReadModelShape(model_path);
  const train::MemoryEstimate mem = train::EstimateMemory(shape, a.options);
  if (a.options.max_memory > 0 && mem.total > a.options.max_memory) {
    throw Error(kExitUsage, "training needs about " + FormatBytes(mem.total) + ", above --max-memory " +
                                FormatBytes(a.options.max_memory) + " (lower --ctx or --rank; `scale hw` explains)");
  }
  for (const std::string& line : train::ExplainMemory(mem, shape, a.options)) LogVerbose(line);
  if (!ckpt) PrepareRunDir(a);

  // The tokenizer and chat template exactly as `scale comment` applies them.
  engine::EngineParams ep;
  ep.model_path = model_path;
  ep.ctx_size = 64;
  ep.threads = 1;
  auto engine = engine::LlamaEngine::Load(ep);
  train::DatasetOptions dopt;
  dopt.max_tokens = a.options.ctx;
  dopt.holdout = a.holdout;
  dopt.seed = a.options.lora.seed;
  const train::Dataset data = train::LoadDataset(a.data, train::TokenizerOf(*engine), dopt);
  engine.reset();
  LogInfo("data: " + std::to_string(data.train.size()) + " training rows, " + std::to_string(data.eval.size()) +
          " held out, " + std::to_string(data.duplicates) + " duplicates dropped, " + std::to_string(data.skipped_too_long) + " skipped (longer than --ctx " +
          std::to_string(a.options.ctx) + ")");
  if (data.eval.empty()) LogWarning("no held-out rows: the loss is reported on the training rows only");

  auto base = train::BaseModel::Load(model_path);
  auto lora = train::Lora::Create(*base, a.options.lora);
  train::Trainer trainer(*base, *lora, a.options);
  const int total = a.options.steps > 0
                        ? a.options.steps
                        : std::max(1, static_cast<int>(std::ceil(a.options.epochs * static_cast<double>(data.train.size()) /
                                                                  a.options.batch)));
  const int warmup = a.options.warmup >= 0 ? a.options.warmup : total / 20;
  const fs::path run(a.out);
  const fs::path log = run / "log.jsonl";
  const std::string base_name = fs::path(model_path).filename().string();
  train::RowOrder order(data.train.size(), a.options.lora.seed);
  train::Safety safety(SafetyOf(a));

  auto evaluate = [&](int step) {
    if (a.no_eval) return std::nan("");
    const double loss = trainer.EvalLoss(data.eval.empty() ? data.train : data.eval);
    train::AppendLogLine(log, {{"step", step}, {"eval_loss", loss}});
    LogInfo("step " + std::to_string(step) + "/" + std::to_string(total) + "  held-out loss " + std::to_string(loss));
    return loss;
  };
  double base_loss = 0, last_eval = 0, seconds_before = 0;
  int64_t tokens = 0;
  int step = 0;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return seconds_before + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  // The whole state after the steps done, as a checkpoint holds it.
  auto state = [&](bool finished) {
    train::Checkpoint c;
    c.trainer = trainer.State();
    c.params = lora->Values();
    c.data = order.state();
    c.run = {{"settings", Settings(a)}, {"data_sha256", data_sha256}, {"model_bytes", model_bytes},
             {"threads", threads}, {"planned_steps", total}, {"finished", finished}, {"log_bytes", SizeOr0(log)},
             {"metrics", {{"base_eval_loss", base_loss}, {"eval_loss", last_eval}, {"tokens", tokens},
                          {"seconds", elapsed()}}},
             {"breaker", safety.ToJson()}};
    return c;
  };
  // Back to a saved state (a resume, a rollback, a halt); the tokens and seconds keep counting.
  auto restore = [&](const train::Checkpoint& c) {
    lora->SetValues(c.params);
    trainer.Restore(c.trainer);
    order.Restore(c.data);
    last_eval = NumberOr(c.run.value("metrics", nlohmann::json::object()), "eval_loss", std::nan(""));
    step = c.trainer.steps;
  };
  if (ckpt) {
    restore(*ckpt);
    const nlohmann::json& m = ckpt->run.value("metrics", nlohmann::json::object());
    base_loss = NumberOr(m, "base_eval_loss", std::nan(""));
    seconds_before = NumberOr(m, "seconds", 0);
    tokens = m.value("tokens", int64_t{0});
    safety.FromJson(ckpt->run.value("breaker", nlohmann::json::object()));
    safety.breaker().ResetThroughput();  // this process's speed is its own
    RewindLog(log, ckpt->run.value("log_bytes", uint64_t{0}), step);
    LogInfo("resuming " + run.string() + " at step " + std::to_string(step) + "/" + std::to_string(total));
  } else {
    train::RemoveCheckpointStates(run);  // an earlier run's (--force): never resumed into this one
    std::error_code ec;
    fs::remove(log, ec);
    base_loss = evaluate(0);
    last_eval = base_loss;
    if (!a.no_eval) safety.breaker().OnEval(0, base_loss);  // the best so far; the base is what it is
  }
  int saved_at = ckpt ? step : -1;
  // The adapter file of a periodic checkpoint is written first, so a state that reads whole always has it.
  auto save = [&](int at, bool finished) {
    const train::Checkpoint c = state(finished);
    train::WriteCheckpoint(run / train::CheckpointStateName(at), c);
    saved_at = at;
    return c;
  };
  // Every state ever written has finite values (periodic ones are checked, the last is replaced).
  safety.Remember(ckpt ? *ckpt : state(false));
  std::string halted;  // why the breaker stopped the run
  // Logs and acts on a step's or an evaluation's trips; true when the state went back to the last
  // good one (a rollback, or a halt that stops there).
  auto act = [&](const std::vector<train::Trip>& trips) {
    if (trips.empty()) return false;
    const train::SafetyVerdict v = safety.Judge(trips);
    for (const nlohmann::json& e : v.events) train::AppendLogLine(log, e);
    for (const std::string& w : v.warnings) LogWarning(w);
    if (v.decision == train::SafetyDecision::kContinue) return false;
    restore(safety.good());
    safety.RestoreBreakerOfGood();
    if (v.decision == train::SafetyDecision::kHalt) {
      halted = v.halt_reason;
    } else {
      save(step, /*finished=*/false);  // a kill from here on resumes with the lowered rate too
    }
    return true;
  };
  InterruptGuard guard(nullptr);
  while (step < total && !guard.interrupted() && halted.empty()) {
    std::vector<const train::Row*> rows;
    for (int i = 0; i < a.options.batch; ++i) rows.push_back(&data.train[order.Next()]);
    const double lr = train::LearningRate(a.options.lr, step, total, warmup) * safety.lr_scale();
    const double step_start = elapsed();
    train::StepResult r = trainer.Step(rows, lr);
    ++step;
    if (FaultNanAtTrainStep(step)) {  // the breaker's tests: a diverged step, values and all
      r.loss = r.grad_norm = std::nan("");
      lora->SetValues(std::vector<float>(lora->parameter_count(), std::nanf("")));
    }
    tokens += r.tokens;
    const double secs = elapsed();
    train::AppendLogLine(log, {{"step", step}, {"loss", r.loss}, {"lr", lr}, {"grad_norm", r.grad_norm},
                               {"tokens", tokens}, {"seconds", secs}});
    LogInfo("step " + std::to_string(step) + "/" + std::to_string(total) + "  loss " + std::to_string(r.loss) +
            "  lr " + std::to_string(lr) + "  " + std::to_string(static_cast<int>(tokens / std::max(secs, 1e-9))) +
            " tok/s");
    const double tps = secs > step_start ? static_cast<double>(r.tokens) / (secs - step_start) : 0;
    if (act(safety.breaker().OnStep({step, r.loss, r.grad_norm, tps, CurrentRssBytes()}))) continue;
    if (a.options.eval_every > 0 && step % a.options.eval_every == 0 && step < total) {
      last_eval = evaluate(step);
      if (!a.no_eval && act(safety.breaker().OnEval(step, last_eval))) continue;
    }
    if (a.options.checkpoint_every > 0 && step % a.options.checkpoint_every == 0 && step < total) {
      if (!train::AllFinite(lora->Values())) {
        LogWarning("step " + std::to_string(step) + ": the adapter holds NaN or infinite values; no checkpoint written");
        continue;
      }
      lora->Write((run / train::CheckpointAdapterName(step)).string(), base_name);
      safety.Remember(save(step, /*finished=*/false));
    }
  }
  const bool finished = step == total;
  const bool interrupted = guard.interrupted() && !finished && halted.empty();
  if (!train::AllFinite(lora->Values())) {
    // Only with the nan rule off or warning: what is written is the last good state's adapter.
    LogWarning("the adapter holds NaN or infinite values; writing step " + std::to_string(safety.good().trainer.steps) +
               "'s instead (the last finite state)");
    lora->SetValues(safety.good().params);
  }
  // Stopped early: the state is saved before the closing evaluation, whose log line a resume cuts.
  // A halt saves again: its log and rollback count moved on since that step's checkpoint.
  if (!finished && (saved_at != step || !halted.empty())) save(step, /*finished=*/false);
  if (finished || step > 0) last_eval = evaluate(step);
  const fs::path adapter = run / "adapter.gguf";
  lora->Write(adapter.string(), base_name);
  const double secs = elapsed();
  nlohmann::json result = {
      {"adapter", adapter.string()}, {"base_model", model_path}, {"steps", step}, {"planned_steps", total},
      {"interrupted", interrupted}, {"base_eval_loss", base_loss}, {"eval_loss", last_eval},
      {"train_rows", data.train.size()}, {"eval_rows", data.eval.size()}, {"tokens", tokens},
      {"tokens_per_second", tokens / std::max(secs, 1e-9)}, {"seconds", secs}, {"peak_rss_bytes", PeakRssBytes()},
      {"estimated_bytes", mem.total}, {"lora", {{"rank", a.options.lora.rank}, {"alpha", a.options.lora.alpha},
                                               {"modules", a.modules}, {"dropout", a.options.lora.dropout},
                                               {"seed", a.options.lora.seed}, {"parameters", lora->parameter_count()}}},
      {"resumed_from", ckpt ? nlohmann::json(ckpt->trainer.steps) : nlohmann::json(nullptr)},
      {"halted", halted.empty() ? nlohmann::json(nullptr) : nlohmann::json(halted)},
      {"breaker", {{"rollbacks", safety.rollbacks()}, {"lr_scale", safety.lr_scale()}}},
      {"settings", Settings(a)}};
  WriteFileAtomic(run / "run.json", result.dump(2) + "\n");
  // Last: a run killed before this point has no finished state and resumes from its newest checkpoint.
  if (finished) save(step, /*finished=*/true);
  if (a.json) {
    std::printf("%s\n", result.dump(2).c_str());
  } else {
    if (a.no_eval) {
      std::printf("adapter: %s\n%d steps (%lld tokens, %.0f tok/s)\n", adapter.c_str(), step,
                  static_cast<long long>(tokens), tokens / std::max(secs, 1e-9));
    } else {
      std::printf("adapter: %s\nheld-out loss: %.4f -> %.4f over %d steps (%lld tokens, %.0f tok/s, peak %s)\n",
                  adapter.c_str(), base_loss, last_eval, step, static_cast<long long>(tokens),
                  tokens / std::max(secs, 1e-9), FormatBytes(PeakRssBytes()).c_str());
    }
    std::printf("use it: scale comment FILE -m %s --lora %s\n", model_path.c_str(), adapter.c_str());
  }
  if (!halted.empty()) {
    std::fflush(stdout);
    throw Error(kExitWorkFailed, "the safety breaker halted training: " + halted + "; " + adapter.string() +
                                     " is step " + std::to_string(step) + "'s (the last good state)");
  }
  if (interrupted) SetExitStatus(kExitInterrupted);
}

}  // namespace

void AddTrainCommand(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  CLI::App* cmd = app.add_subcommand("train", "Train a LoRA adapter for a base model on (prompt, answer) JSON lines");
  auto& o = args->options;
  cmd->add_option("-m,--model", args->model, "Base model (GGUF path or another tool's model name)");
  cmd->add_option("--data", args->data, "Training data, JSON lines (docs/training.md)");
  cmd->add_option("-o,--out", args->out, "Run folder: adapter.gguf, checkpoints, log.jsonl, run.json");
  cmd->add_option("--modules", args->modules, "Adapted weights: q,k,v,o,gate,up,down or all")->capture_default_str();
  cmd->add_option("--rank", o.lora.rank, "LoRA rank")->capture_default_str();
  cmd->add_option("--alpha", o.lora.alpha, "LoRA alpha (scale = alpha / rank)")->capture_default_str();
  cmd->add_option("--dropout", o.lora.dropout, "Dropout on the adapters' inputs")->capture_default_str();
  cmd->add_option("--seed", o.lora.seed, "Seed: initial A, dropout, data order, held-out split")->capture_default_str();
  cmd->add_option("--lr", o.lr, "Peak learning rate (AdamW)")->capture_default_str();
  cmd->add_option("--weight-decay", o.weight_decay, "AdamW weight decay")->capture_default_str();
  cmd->add_option("--clip", o.clip, "Clip the gradient's global norm (0 = off)")->capture_default_str();
  cmd->add_option("--steps", o.steps, "Optimiser steps (0 = from --epochs)")->capture_default_str();
  cmd->add_option("--epochs", o.epochs, "Passes over the training rows when --steps is 0")->capture_default_str();
  cmd->add_option("--batch", o.batch, "Rows per optimiser step (gradient accumulation)")->capture_default_str();
  cmd->add_option("--ctx", o.ctx, "Tokens per row at most (longer rows are skipped)")->capture_default_str();
  cmd->add_option("--warmup", o.warmup, "Warm-up steps before the cosine decay (-1 = 5% of steps)")->capture_default_str();
  cmd->add_option("--eval-every", o.eval_every, "Held-out loss every K steps (0 = start and end)")->capture_default_str();
  cmd->add_option("--checkpoint-every", o.checkpoint_every, "Write RUN/checkpoint-STEP.gguf and .state (for --resume) every K steps")->capture_default_str();
  cmd->add_option("--holdout", args->holdout, "Fraction of rows held out when rows carry no split")->capture_default_str();
  cmd->add_option("-t,--threads", o.threads, "CPU threads (0 = physical cores)")->capture_default_str();
  cmd->add_option("--max-memory", args->max_memory, "Refuse to start when the estimate is above this (e.g. 4G)");
  cmd->add_flag("--force", args->force, "Reuse a non-empty run folder");
  cmd->add_flag("--json", args->json, "Print the result as JSON");
  cmd->add_flag("!--keep-quantized", o.dequantize,
                "Backward through the stored (quantised) weights: less memory, slower (docs/training.md)");
  cmd->add_flag("--no-eval", args->no_eval, "Skip the held-out loss (benchmarks)");
  cmd->add_flag("-q,--quiet", args->quiet, "Only the result and errors");
  cmd->add_flag("-v,--verbose", args->verbosity, "Also the memory arithmetic");
  cmd->add_option("--breaker", args->breaker,
                  "Safety breaker: RULE=ACTION (rules nan, spike, grad, eval, memory, throughput; actions warn, halt, "
                  "rollback, off), repeatable; off = every rule off (docs/training.md)");
  auto& sb = args->safety;
  cmd->add_option("--spike-factor", sb.breaker.spike_factor, "Breaker: a step loss above this x its running average is a spike")->capture_default_str();
  cmd->add_option("--grad-factor", sb.breaker.grad_factor, "Breaker: a gradient norm above this x its running average trips 'grad'")->capture_default_str();
  cmd->add_option("--eval-patience", sb.breaker.eval_patience, "Breaker: held-out evaluations in a row >5% above the best before 'eval' trips")->capture_default_str();
  cmd->add_option("--max-rollbacks", sb.max_rollbacks, "Breaker: rollbacks before a rollback becomes a halt")->capture_default_str();
  cmd->add_option("--rollback-lr-factor", sb.rollback_lr_factor, "Breaker: the learning rate is multiplied by this at each rollback")->capture_default_str();
  cmd->add_option("--resume", args->resume,
                  "Continue the stopped run in this folder from its newest checkpoint, with its settings");
  cmd->callback([args, cmd] { Run(*args, *cmd); });
}

}  // namespace scale::cli
