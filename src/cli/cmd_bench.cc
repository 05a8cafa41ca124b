// `scale bench`: throughput of our engine at several parallel sequence counts next to llama.cpp's
// llama-batched-bench on the same model, plus load time, time to first token, peak RSS and the
// comment/summarize pipelines' rates. The work lives in src/bench; docs/eval.md explains the table.
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>

#include "bench/bench.h"
#include "bench/peer.h"
#include "bench/train_bench.h"
#include "cli/commands.h"
#include "cli/model_options.h"
#include "cli/print.h"
#include "engine/system_info.h"
#include "testmodel/gguf_writer.h"
#include "testmodel/model_spec.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"

namespace scale::cli {
namespace {

namespace fs = std::filesystem;

struct BenchArgs {
  ModelOptions model;
  bool json = false;
  std::string markdown;
  int repeat = 3;
  std::string parallel_list = "1,4,8,16";
  int npp = 256;
  int ntg = 64;
  std::string corpus;            // folder for the comment / summarize rates (default samples/)
  std::string summarize_corpus;  // folder for the summarize rate (default: corpus)
  std::string pipeline_list;     // N values for the comment rate ("" = the largest --parallel-list N, "0" = none)
  int prefill_parallel = 4;
  int summarize_parallel = 10;
  int summarize_ctx = 4096;
  bool no_reference = false;
  bool no_pipelines = false;
  // --peer: the in-process engine vs llama-server on the identical request stream (bench/peer.h).
  bool peer = false;
  std::string peer_list = "1,4,8";
  int peer_summarize = 10;
  int peer_no_sharing = 4;
  int peer_fleet = 4;
  // --train: LoRA training vs llama-finetune (bench/train_bench.h).
  bool train = false;
  std::string train_types = "q4_0,q8_0,f16";
  std::string train_ranks = "8,16";
  int train_ctx = 512;
  int train_windows = 4;
  int train_batch = 4;
  int train_layers = 0;
};

// Without -m: a random-weight model with Qwen2.5-0.5B's exact shape, Q4_0, generated once into the
// cache. Its text is noise but its speed is that of the real model.
std::string DefaultBenchModel() {
  fs::path path = CacheDir() / "bench" / "qwen2.5-0.5b-shape-q4_0-random.gguf";
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    LogInfo("no -m given: generating a random-weight Qwen2.5-0.5B-shape Q4_0 model into " + path.string());
    fs::create_directories(path.parent_path(), ec);
    testmodel::WriteRandomModel(testmodel::PresetSpec("qwen2.5-0.5b", testmodel::WeightType::kQ4_0), path.string());
  }
  return path.string();
}

// `scale bench --peer`: prints its own report; a request stream that differed between the two
// sides voids the comparison and fails the command.
void RunPeer(const BenchArgs& args, const bench::BenchOptions& options, const bench::EngineFactory& open,
             std::unique_ptr<InterruptGuard>& guard) {
  bench::PeerOptions p;
  // One guard at a time (they are not nestable): the old one goes before the new one is made.
  p.watch = [&guard](engine::Llm* llm) {
    guard.reset();
    if (llm) guard = std::make_unique<InterruptGuard>(llm);
  };
  p.model = options.model;
  p.model_note = options.model_note;
  p.dir = options.pipelines.dir;
  if (p.dir.empty()) throw Error(kExitUsage, "bench --peer needs --corpus (samples/ is missing)");
  p.summarize_dir = args.summarize_corpus;
  p.comment_parallel = args.peer_list == "0" ? std::vector<int>{} : bench::ParseParallelList(args.peer_list);
  p.summarize_parallel = args.peer_summarize;
  p.no_sharing_parallel = args.peer_no_sharing;
  p.fleet_parallel = args.peer_fleet;
  p.max_tokens = args.ntg;
  p.summarize_ctx = args.summarize_ctx;
  p.threads = options.threads;
  p.batch_size = options.batch_size;
  p.gpu_layers = options.gpu_layers;
  bench::PeerReport report = bench::RunPeerBench(p, open);
  std::string md = bench::PeerMarkdown(report);
  if (!args.markdown.empty()) WriteFileAtomic(args.markdown, md);
  if (args.json) {
    PrintJson(bench::PeerJson(report));
  } else {
    std::fputs(md.c_str(), stdout);
  }
  if (!report.all_identical()) {
    throw Error(kExitWorkFailed, "bench --peer: the two sides were sent different requests; the comparison is void");
  }
}

std::vector<std::string> SplitList(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// `scale bench --train`: prints its own table (docs/training.md explains the columns).
void RunTrain(const BenchArgs& args, const bench::BenchOptions& options) {
  bench::TrainBenchOptions t;
  t.types = SplitList(args.train_types);
  for (const std::string& type : t.types) testmodel::ParseWeightType(type);  // usage error if unknown
  t.ranks.clear();
  for (const std::string& r : SplitList(args.train_ranks)) {
    const int rank = std::atoi(r.c_str());
    if (rank < 1 || std::to_string(rank) != r) throw Error(kExitUsage, "--train-ranks: '" + r + "' is not a rank");
    t.ranks.push_back(rank);
  }
  t.ctx = args.train_ctx;
  t.windows = args.train_windows;
  t.batch = args.train_batch;
  t.layers = args.train_layers;
  t.threads = options.threads;
  t.reference = options.reference;
  t.work_dir = (CacheDir() / "bench" / "train").string();
  t.scale_binary = fs::read_symlink("/proc/self/exe").string();
  const bench::TrainBenchReport report = bench::RunTrainBench(t);
  const std::string md = bench::TrainBenchMarkdown(report);
  if (!args.markdown.empty()) WriteFileAtomic(args.markdown, md);
  if (args.json) {
    PrintJson(bench::TrainBenchJson(report));
  } else {
    std::printf("%s", md.c_str());
  }
}

void Run(BenchArgs args) {
  bench::BenchOptions options;
  options.parallel = bench::ParseParallelList(args.parallel_list);
  options.npp = args.npp;
  options.ntg = args.ntg;
  options.repeat = args.repeat;
  const engine::EngineParams given = args.model.Explicit().params;  // flags and $SCALE_<NAME>
  if (args.train) {  // its own models (bench/train_bench.h), so no default model is written
    options.threads = given.threads > 0 ? given.threads : engine::PhysicalCores();
    options.reference = !args.no_reference;
    RunTrain(args, options);
    return;
  }
  if (given.model_path.empty()) {
    args.model.Set("model", DefaultBenchModel());
    options.model_note = "random weights, Qwen2.5-0.5B shape, Q4_0, generated by scale: speed only";
  }
  options.model = args.model.Explicit().params.model_path;
  options.threads = given.threads > 0 ? given.threads : engine::PhysicalCores();
  options.batch_size = given.batch_size;
  options.gpu_layers = given.gpu_layers;
  options.reference = !args.no_reference;
  options.progress = !args.model.quiet;
  if (!args.no_pipelines) {
    bench::PipelineOptions& p = options.pipelines;
    p.dir = args.corpus.empty() ? (fs::path(SCALE_SOURCE_DIR) / "samples").string() : args.corpus;
    std::error_code ec;
    if (!fs::is_directory(p.dir, ec)) {
      if (!args.corpus.empty()) throw Error(kExitUsage, args.corpus + ": --corpus is not a directory");
      p.dir.clear();
    }
    if (args.pipeline_list.empty()) {
      p.comment_parallel = {*std::max_element(options.parallel.begin(), options.parallel.end())};
    } else if (args.pipeline_list != "0") {
      p.comment_parallel = bench::ParseParallelList(args.pipeline_list);
    }
    p.summarize_dir = args.summarize_corpus;
    if (!p.summarize_dir.empty() && !fs::is_directory(p.summarize_dir, ec)) {
      throw Error(kExitUsage, p.summarize_dir + ": --summarize-corpus is not a directory");
    }
    p.prefill_parallel = args.prefill_parallel;
    p.summarize_parallel = args.summarize_parallel;
    p.summarize_ctx = args.summarize_ctx;
    p.max_tokens = args.ntg;
  }
  std::unique_ptr<InterruptGuard> guard;
  bench::EngineFactory open = [&](int parallel, int ctx) {
    guard.reset();
    ModelOptions o = args.model;
    o.Set("model", options.model);
    o.Set("parallel", std::to_string(parallel));
    o.Set("ctx_size", std::to_string(std::max(o.Explicit().params.ctx_size, ctx)));
    std::unique_ptr<engine::Llm> llm = OpenLlm(o);
    guard = std::make_unique<InterruptGuard>(llm.get());
    return llm;
  };
  if (args.peer) {
    RunPeer(args, options, open, guard);
    return;
  }
  bench::BenchReport report = bench::RunBench(options, open);
  guard.reset();
  std::string md = bench::BenchMarkdown(report);
  if (!args.markdown.empty()) WriteFileAtomic(args.markdown, md);
  if (args.json) {
    PrintJson(bench::BenchJson(report));
  } else {
    std::fputs(md.c_str(), stdout);
  }
}

}  // namespace

void AddBenchCommand(CLI::App& app) {
  auto args = std::make_shared<BenchArgs>();
  auto* cmd = app.add_subcommand("bench", "measure throughput: our engine vs llama-batched-bench, TTFT, RSS, pipelines");
  cmd->footer(
      "Without -m a random-weight Qwen2.5-0.5B-shape Q4_0 model is generated once into the cache (speed only).\n"
      "Example: scale bench -m model.gguf --parallel-list 1,4 --npp 128 --ntg 32 --repeat 1 --markdown bench.md");
  AddModelOptions(cmd, &args->model);
  cmd->add_flag("--json", args->json, "print the results as JSON on stdout");
  cmd->add_option("--markdown", args->markdown, "also write the Markdown table to FILE");
  cmd->add_option("--repeat", args->repeat, "runs per measurement (medians are reported)")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--parallel-list", args->parallel_list, "sequence counts N to measure")->capture_default_str();
  cmd->add_option("--npp", args->npp, "prompt tokens per sequence")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--ntg", args->ntg, "generated tokens per sequence")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--corpus,--samples", args->corpus, "folder for the comment/summarize rates (default: samples/)");
  cmd->add_option("--pipeline-list", args->pipeline_list, "N values for the comment rate (default: the largest N; 0 = skip)");
  cmd->add_option("--summarize-corpus", args->summarize_corpus, "folder for the summarize rate (default: --corpus)");
  cmd->add_option("--prefill-parallel", args->prefill_parallel, "N for the prefix-sharing study (0 = skip)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--summarize-parallel", args->summarize_parallel, "N for the summarize rate (0 = skip)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--summarize-ctx", args->summarize_ctx, "tokens per sequence for the summarize rate")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_flag("--no-reference", args->no_reference, "skip llama-batched-bench");
  cmd->add_flag("--no-pipelines", args->no_pipelines, "skip the comment/summarize rates");
  cmd->add_flag("--peer", args->peer,
                "instead: the engine vs llama-server (-np N --cont-batching) on the identical comment/summarize requests");
  cmd->add_flag("--train", args->train, "LoRA training (scale train) vs llama-finetune: tokens/s and peak memory");
  cmd->add_option("--train-types", args->train_types, "with --train: base weight types")->capture_default_str();
  cmd->add_option("--train-ranks", args->train_ranks, "with --train: LoRA ranks")->capture_default_str();
  cmd->add_option("--train-ctx", args->train_ctx, "with --train: tokens per window")->capture_default_str();
  cmd->add_option("--train-windows", args->train_windows, "with --train: windows (optimiser steps) per run")
      ->capture_default_str();
  cmd->add_option("--train-layers", args->train_layers, "with --train: layers of the shape (0 = all)")
      ->capture_default_str();
  cmd->add_option("--train-batch", args->train_batch, "with --train: scale train's rows per optimiser step")
      ->capture_default_str();
  cmd->add_option("--peer-list", args->peer_list, "with --peer: N values for comment (0 = none)")->capture_default_str();
  cmd->add_option("--peer-summarize", args->peer_summarize, "with --peer: N for summarize (0 = skip)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--peer-no-sharing", args->peer_no_sharing, "with --peer: N for the engine without prefix sharing (0 = skip)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--peer-fleet", args->peer_fleet, "with --peer: slots in all for one vs two servers (0 = skip)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->callback([args] { Run(*args); });
}

}  // namespace scale::cli
