// `scale train`: a LoRA adapter for a base GGUF from (prompt, answer) JSON lines, trained on the
// CPU with ggml (src/train/). Writes RUN/adapter.gguf (and checkpoints), RUN/log.jsonl, RUN/run.json.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/model_options.h"
#include "engine/llama_engine.h"
#include "models/other_stores.h"
#include "train/base_model.h"
#include "train/dataset.h"
#include "train/lora.h"
#include "train/memory.h"
#include "train/options.h"
#include "train/trainer.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/peak_rss.h"
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
  double holdout = 0.1;
  bool force = false;
  bool json = false;
  bool quiet = false;
  bool no_eval = false;  // benchmarks: time training alone
  int verbosity = 0;
  train::TrainOptions options;
};

void Validate(const TrainArgs& a) {
  const auto& o = a.options;
  if (a.model.empty()) throw Error(kExitUsage, "scale train needs a base model: -m BASE.gguf");
  if (a.data.empty()) throw Error(kExitUsage, "scale train needs training data: --data DATA.jsonl (docs/training.md)");
  if (a.out.empty()) throw Error(kExitUsage, "scale train needs an output folder: -o RUN/");
  if (!(o.lr > 0) || o.lr > 1) throw Error(kExitUsage, "--lr must be in (0, 1]");
  if (o.weight_decay < 0 || o.weight_decay > 1) throw Error(kExitUsage, "--weight-decay must be in [0, 1]");
  if (o.clip < 0) throw Error(kExitUsage, "--clip must be 0 (off) or positive");
  if (o.steps < 0 || (o.steps == 0 && !(o.epochs > 0))) throw Error(kExitUsage, "give --steps N or --epochs E above 0");
  if (o.batch < 1 || o.batch > 4096) throw Error(kExitUsage, "--batch must be 1..4096");
  if (o.ctx < 8) throw Error(kExitUsage, "--ctx must be at least 8 tokens");
  if (o.eval_every < 0 || o.checkpoint_every < 0) throw Error(kExitUsage, "--eval-every/--checkpoint-every must be 0 or positive");
  if (a.holdout < 0 || a.holdout >= 1) throw Error(kExitUsage, "--holdout must be in [0, 1)");
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

train::Tokenizer TokenizerOf(engine::LlamaEngine& engine) {
  train::Tokenizer t;
  t.tokenize = [&engine](std::string_view text, bool add_special, bool parse_special) {
    std::vector<int32_t> out;
    for (llama_token tok : engine.Tokenize(text, add_special, parse_special)) out.push_back(tok);
    return out;
  };
  t.format = [&engine](const std::vector<engine::Message>& m) { return engine.FormatPrompt(m); };
  t.end_of_turn = engine.EndOfTurnToken();
  return t;
}

// Each epoch visits every training row once, in an order drawn from the seed (Fisher-Yates over
// mt19937_64: std::shuffle's result differs between standard libraries).
class RowOrder {
 public:
  RowOrder(size_t n, uint64_t seed) : rng_(seed), order_(n) { Reshuffle(); }
  size_t Next() {
    if (at_ == order_.size()) Reshuffle();
    return order_[at_++];
  }

 private:
  void Reshuffle() {
    for (size_t i = 0; i < order_.size(); ++i) order_[i] = i;
    for (size_t i = order_.size(); i > 1; --i) std::swap(order_[i - 1], order_[rng_() % i]);
    at_ = 0;
  }
  std::mt19937_64 rng_;
  std::vector<size_t> order_;
  size_t at_ = 0;
};

std::string CheckpointName(int step) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "checkpoint-%06d.gguf", step);
  return buf;
}

void AppendLine(const fs::path& file, const nlohmann::json& j) {
  // The log is ours (RUN/ was checked) and append-only. O_NOFOLLOW: a link planted at its name
  // after the run removed the old log is refused, never written through.
  const int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) throw Error(kExitIo, "cannot write " + file.string() + ": " + std::strerror(errno));
  const std::string line = j.dump() + "\n";
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const bool ok = done == line.size();
  if (::close(fd) != 0 || !ok) throw Error(kExitIo, "cannot write " + file.string() + " (disk full?)");
}

void Run(TrainArgs& a) {
  if (a.quiet) SetLogLevel(LogLevel::kQuiet);
  if (a.verbosity > 0) SetLogLevel(LogLevel::kVerbose);
  Validate(a);
  a.options.lora.modules = train::ParseModules(a.modules);
  if (!a.max_memory.empty()) a.options.max_memory = ParseByteSize(a.max_memory, "--max-memory");
  const std::string model_path = models::ResolveModelArgument(a.model);
  if (!fs::is_regular_file(model_path)) throw Error(kExitModel, "model not found: " + a.model);

  const train::ModelShape shape = train::ReadModelShape(model_path);
  const train::MemoryEstimate mem = train::EstimateMemory(shape, a.options);
  if (a.options.max_memory > 0 && mem.total > a.options.max_memory) {
    throw Error(kExitUsage, "training needs about " + FormatBytes(mem.total) + ", above --max-memory " +
                                FormatBytes(a.options.max_memory) + " (lower --ctx or --rank; `scale hw` explains)");
  }
  for (const std::string& line : train::ExplainMemory(mem, shape, a.options)) LogVerbose(line);
  PrepareRunDir(a);

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
  const train::Dataset data = train::LoadDataset(a.data, TokenizerOf(*engine), dopt);
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
  std::error_code ec;
  fs::remove(log, ec);
  const std::string base_name = fs::path(model_path).filename().string();

  auto evaluate = [&](int step) {
    if (a.no_eval) return std::nan("");
    const double loss = trainer.EvalLoss(data.eval.empty() ? data.train : data.eval);
    AppendLine(log, {{"step", step}, {"eval_loss", loss}});
    LogInfo("step " + std::to_string(step) + "/" + std::to_string(total) + "  held-out loss " + std::to_string(loss));
    return loss;
  };
  const double base_loss = evaluate(0);
  double last_eval = base_loss;
  RowOrder order(data.train.size(), a.options.lora.seed);
  InterruptGuard guard(nullptr);
  int64_t tokens = 0;
  const auto start = std::chrono::steady_clock::now();
  int step = 0;
  for (; step < total && !guard.interrupted(); ++step) {
    std::vector<const train::Row*> rows;
    for (int i = 0; i < a.options.batch; ++i) rows.push_back(&data.train[order.Next()]);
    const double lr = train::LearningRate(a.options.lr, step, total, warmup);
    const train::StepResult r = trainer.Step(rows, lr);
    tokens += r.tokens;
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    AppendLine(log, {{"step", step + 1}, {"loss", r.loss}, {"lr", lr}, {"grad_norm", r.grad_norm},
                     {"tokens", tokens}, {"seconds", secs}});
    LogInfo("step " + std::to_string(step + 1) + "/" + std::to_string(total) + "  loss " + std::to_string(r.loss) +
            "  lr " + std::to_string(lr) + "  " + std::to_string(static_cast<int>(tokens / std::max(secs, 1e-9))) +
            " tok/s");
    if (a.options.eval_every > 0 && (step + 1) % a.options.eval_every == 0 && step + 1 < total) last_eval = evaluate(step + 1);
    if (a.options.checkpoint_every > 0 && (step + 1) % a.options.checkpoint_every == 0 && step + 1 < total) {
      lora->Write((run / CheckpointName(step + 1)).string(), base_name);
    }
  }
  const bool interrupted = guard.interrupted();
  if (!interrupted || step > 0) last_eval = evaluate(step);
  const fs::path adapter = run / "adapter.gguf";
  lora->Write(adapter.string(), base_name);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  nlohmann::json result = {
      {"adapter", adapter.string()}, {"base_model", model_path}, {"steps", step}, {"planned_steps", total},
      {"interrupted", interrupted}, {"base_eval_loss", base_loss}, {"eval_loss", last_eval},
      {"train_rows", data.train.size()}, {"eval_rows", data.eval.size()}, {"tokens", tokens},
      {"tokens_per_second", tokens / std::max(secs, 1e-9)}, {"seconds", secs}, {"peak_rss_bytes", PeakRssBytes()},
      {"estimated_bytes", mem.total}, {"lora", {{"rank", a.options.lora.rank}, {"alpha", a.options.lora.alpha},
                                               {"modules", a.modules}, {"dropout", a.options.lora.dropout},
                                               {"seed", a.options.lora.seed}, {"parameters", lora->parameter_count()}}}};
  WriteFileAtomic(run / "run.json", result.dump(2) + "\n");
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
  cmd->add_option("--checkpoint-every", o.checkpoint_every, "Write RUN/checkpoint-STEP.gguf every K steps")->capture_default_str();
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
  cmd->callback([args] { Run(*args); });
}

}  // namespace scale::cli
