#include "bench/bench.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include "annotate/config.h"
#include "annotate/pipeline.h"
#include "bench/process.h"
#include "bench/throughput.h"
#include "languages/language.h"
#include "summarize/prompts.h"
#include "summarize/summarize.h"
#include "summarize/walker.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/progress.h"

namespace scale::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
  return buf;
}

}  // namespace

std::vector<int> ParseParallelList(const std::string& text) {
  std::vector<int> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(pos, comma - pos);
    if (item.empty() || item.find_first_not_of("0123456789") != std::string::npos || item.size() > 4 ||
        std::stoi(item) < 1) {
      throw Error(kExitUsage, "--parallel-list wants positive integers like 1,4,8,16 (got '" + text + "')");
    }
    out.push_back(std::stoi(item));
    pos = comma + 1;
  }
  return out;
}

void MeasurePipelines(engine::Llm& llm, const std::string& dir, int max_tokens, PipelineSpeed* speed) {
  // Comment pipeline over every supported file of the directory, nothing written back.
  std::vector<annotate::SourceFile> files;
  std::vector<languages::Language> langs;
  std::error_code ec;
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) paths.push_back(entry.path());
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) {
    auto language = languages::LanguageForPath(p);
    if (!language || !std::filesystem::is_regular_file(p, ec)) continue;
    files.push_back({p.string(), *language, ReadFile(p, 1 << 20)});
    if (std::find(langs.begin(), langs.end(), *language) == langs.end()) langs.push_back(*language);
  }
  if (files.empty()) {
    speed->note = "no python/c/javascript files in " + dir;
    return;
  }
  annotate::Prompts prompts = annotate::LoadPrompts(annotate::FindConfigDir(""), langs);
  annotate::AnnotateOptions options;
  options.sampling.max_tokens = max_tokens;
  annotate::Annotator annotator(llm, prompts, options);
  Clock::time_point start = Clock::now();
  std::vector<annotate::FileResult> results = annotator.Run(files);
  double seconds = Since(start);
  for (const auto& r : results) {
    speed->commented += r.Count(annotate::RoutineStatus::kCommented) + r.Count(annotate::RoutineStatus::kUpdated);
    speed->routines += r.Count(annotate::RoutineStatus::kCommented) + r.Count(annotate::RoutineStatus::kUpdated) +
                       r.Count(annotate::RoutineStatus::kFailed);
  }
  if (seconds > 0) speed->routines_per_min = speed->routines * 60.0 / seconds;

  try {
    summarize::WalkResult walk = summarize::Walk({dir}, {});
    summarize::Tree tree = summarize::BuildTree(walk, 60);
    summarize::PromptSet set = summarize::LoadPromptSet(summarize::FindPromptDir(""));
    summarize::SummarizeOptions sopts;
    sopts.sampling.max_tokens = max_tokens;
    sopts.progress = false;
    summarize::SummarizeStats stats = summarize::Summarize(llm, set, tree, sopts, nullptr);
    speed->chunks = stats.chunks_decoded;
    speed->chunks_per_min = stats.chunks_per_minute();
  } catch (const Error& e) {
    speed->note = std::string("summarize not measured: ") + e.what();
  }
}

BenchReport RunBench(const BenchOptions& options, const EngineFactory& open) {
  BenchReport report;
  report.options = options;
  if (options.parallel.empty()) throw Error(kExitUsage, "--parallel-list is empty");
  if (options.repeat < 1 || options.npp < 1 || options.ntg < 1) {
    throw Error(kExitUsage, "--repeat, --npp and --ntg must be at least 1");
  }
  const int ctx = options.npp + options.ntg + 64;  // + room for the chat template's markers
  const int pipeline_n = options.pipeline_parallel > 0
                             ? options.pipeline_parallel
                             : *std::max_element(options.parallel.begin(), options.parallel.end());
  Progress bar("bench", options.parallel.size() * static_cast<size_t>(options.repeat) + (options.reference ? 1 : 0),
               options.progress && Progress::DefaultEnabled());
  for (int n : options.parallel) {
    BenchRow row;
    row.parallel = n;
    bool reset = ResetPeakRss();
    Clock::time_point start = Clock::now();
    std::unique_ptr<engine::Llm> llm = open(n, ctx);
    row.load_s = Since(start);
    std::vector<double> pp, tg, ttft;
    for (int r = 0; r < options.repeat; ++r) {
      bar.Start("N=" + std::to_string(n) + " run " + std::to_string(r + 1));
      EngineSample s = MeasureEngine(*llm, n, options.npp, options.ntg, static_cast<uint64_t>(n * 100 + r + 1));
      if (llm->cancelled()) throw Error(kExitInterrupted, "interrupted");
      pp.push_back(s.pp_tps);
      tg.push_back(s.tg_tps);
      ttft.push_back(s.ttft_s);
      row.concurrency = std::max(row.concurrency, s.concurrency);
      row.failed += s.failed;
      bar.Advance("N=" + std::to_string(n), static_cast<uint64_t>(s.generated_tokens));
    }
    row.pp_tps = Median(pp);
    row.tg_tps = Median(tg);
    row.ttft_s = Median(ttft);
    row.peak_rss = reset ? PeakRssBytes() : 0;
    report.rows.push_back(row);
  }
  if (!options.samples.empty()) {
    // The pipelines need a real context (whole routines and files), not the bench's npp + ntg.
    PipelineSpeed speed;
    speed.parallel = pipeline_n;
    bar.Start("pipelines on " + options.samples);
    std::unique_ptr<engine::Llm> llm = open(pipeline_n, 0);
    MeasurePipelines(*llm, options.samples, options.ntg, &speed);
    if (llm->cancelled()) throw Error(kExitInterrupted, "interrupted");
    report.pipeline = speed;
  }
  if (options.reference) {
    BatchedBenchArgs args;
    args.binary = options.batched_bench_binary.empty() ? DefaultBatchedBenchBinary() : options.batched_bench_binary;
    args.model = options.model;
    args.parallel = options.parallel;
    args.npp = options.npp;
    args.ntg = options.ntg;
    args.threads = options.threads;
    args.batch_size = options.batch_size;
    args.gpu_layers = options.gpu_layers;
    std::map<int, std::vector<ReferenceSpeed>> runs;
    bar.Start("llama-batched-bench");
    for (int r = 0; r < options.repeat && report.reference_problem.empty(); ++r) {
      for (const auto& [n, speed] : RunBatchedBench(args, &report.reference_problem)) runs[n].push_back(speed);
    }
    bar.Advance("llama-batched-bench");
    for (BenchRow& row : report.rows) {
      auto it = runs.find(row.parallel);
      if (it == runs.end() || it->second.empty()) continue;
      std::vector<double> pp, tg;
      for (const auto& s : it->second) {
        pp.push_back(s.pp_tps);
        tg.push_back(s.tg_tps);
      }
      row.reference = ReferenceSpeed{row.parallel, Median(pp), Median(tg)};
    }
  }
  bar.Finish();
  report.peak_rss = PeakRssBytes();
  return report;
}

std::string BenchMarkdown(const BenchReport& r) {
  const BenchOptions& o = r.options;
  std::string md = "# scale bench\n\nModel: " + o.model + (o.model_note.empty() ? "" : " (" + o.model_note + ")") +
                   "\nPrompt " + std::to_string(o.npp) + " tokens, answer " + std::to_string(o.ntg) + " tokens per sequence; " +
                   std::to_string(o.threads) + " threads; medians of " + std::to_string(o.repeat) + " runs.\n\n";
  md += "| N | pp t/s | tg t/s | llama.cpp pp t/s | llama.cpp tg t/s | pp ratio | tg ratio | TTFT s | load s | peak RSS MiB | concurrency |\n"
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  bool sequential = false;
  for (const BenchRow& row : r.rows) {
    std::string ref_pp = "-", ref_tg = "-", pp_ratio = "-", tg_ratio = "-";
    if (row.reference) {
      ref_pp = Fixed(row.reference->pp_tps, 1);
      ref_tg = Fixed(row.reference->tg_tps, 1);
      if (row.reference->pp_tps > 0) pp_ratio = Fixed(row.pp_tps / row.reference->pp_tps, 2);
      if (row.reference->tg_tps > 0) tg_ratio = Fixed(row.tg_tps / row.reference->tg_tps, 2);
    }
    if (row.parallel > 1 && row.concurrency <= 1) sequential = true;
    md += "| " + std::to_string(row.parallel) + " | " + Fixed(row.pp_tps, 1) + " | " + Fixed(row.tg_tps, 1) + " | " + ref_pp +
          " | " + ref_tg + " | " + pp_ratio + " | " + tg_ratio + " | " + Fixed(row.ttft_s, 2) + " | " + Fixed(row.load_s, 2) +
          " | " + (row.peak_rss ? Fixed(static_cast<double>(row.peak_rss) / (1 << 20), 0) : std::string("-")) + " | " +
          std::to_string(row.concurrency) + " |\n";
  }
  md += "\npp = prompt processing, tg = generation, both summed over the N sequences; ratio = ours / llama.cpp's "
        "llama-batched-bench (no sampling, random tokens: its best case).\n";
  if (sequential) md += "\nNote: at N > 1 the engine decoded one sequence at a time (concurrency 1): no parallel scheduler.\n";
  for (const BenchRow& row : r.rows) {
    if (row.failed > 0) md += "\nNote: " + std::to_string(row.failed) + " requests at N=" + std::to_string(row.parallel) +
                              " did not finish normally.\n";
  }
  if (!r.reference_problem.empty()) md += "\nllama.cpp reference missing: " + r.reference_problem + "\n";
  if (r.pipeline) {
    const PipelineSpeed& p = *r.pipeline;
    md += "\nPipelines on " + o.samples + " at N=" + std::to_string(p.parallel) + " (answers capped at " +
          std::to_string(o.ntg) + " tokens): comment " + Fixed(p.routines_per_min, 1) + " routines/min (" +
          std::to_string(p.routines) + " routines, " + std::to_string(p.commented) + " got a comment); summarize " + Fixed(p.chunks_per_min, 1) + " chunks/min (" +
          std::to_string(p.chunks) + " chunks).\n";
    if (!p.note.empty()) md += p.note + "\n";
  }
  md += "\nPeak RSS of the whole run: " + Fixed(static_cast<double>(r.peak_rss) / (1 << 20), 0) + " MiB.\n";
  return md;
}

nlohmann::json BenchJson(const BenchReport& r) {
  const BenchOptions& o = r.options;
  nlohmann::json rows = nlohmann::json::array();
  for (const BenchRow& row : r.rows) {
    nlohmann::json j = {{"parallel", row.parallel}, {"pp_tps", row.pp_tps},         {"tg_tps", row.tg_tps},
                        {"ttft_s", row.ttft_s},     {"load_s", row.load_s},         {"peak_rss_bytes", row.peak_rss},
                        {"concurrency", row.concurrency}, {"failed", row.failed}};
    if (row.reference) {
      j["llama_pp_tps"] = row.reference->pp_tps;
      j["llama_tg_tps"] = row.reference->tg_tps;
      j["pp_ratio"] = row.reference->pp_tps > 0 ? row.pp_tps / row.reference->pp_tps : 0.0;
      j["tg_ratio"] = row.reference->tg_tps > 0 ? row.tg_tps / row.reference->tg_tps : 0.0;
    }
    rows.push_back(j);
  }
  nlohmann::json j = {{"model", o.model}, {"model_note", o.model_note}, {"npp", o.npp},       {"ntg", o.ntg},
                      {"repeat", o.repeat}, {"threads", o.threads},     {"rows", rows},       {"peak_rss_bytes", r.peak_rss},
                      {"reference_problem", r.reference_problem}};
  if (r.pipeline) {
    j["pipeline"] = {{"parallel", r.pipeline->parallel},         {"routines", r.pipeline->routines}, {"commented", r.pipeline->commented},
                     {"routines_per_min", r.pipeline->routines_per_min}, {"chunks", r.pipeline->chunks},
                     {"chunks_per_min", r.pipeline->chunks_per_min},     {"note", r.pipeline->note}};
  }
  return j;
}

}  // namespace scale::bench
