#include "bench/bench.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include "bench/process.h"
#include "bench/throughput.h"
#include "util/error.h"
#include "util/format.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/peak_rss.h"
#include "util/progress.h"

namespace scale::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

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

double ReferenceTgAt(const BenchReport& report, int n) {
  std::vector<std::pair<int, double>> known;
  for (const BenchRow& row : report.rows) {
    if (row.reference && row.reference->tg_tps > 0) known.emplace_back(row.parallel, row.reference->tg_tps);
  }
  if (known.empty()) return 0;
  std::sort(known.begin(), known.end());
  if (n <= known.front().first) return known.front().second;
  if (n >= known.back().first) return known.back().second;
  for (size_t i = 1; i < known.size(); ++i) {
    if (n <= known[i].first) {
      const auto& [n0, t0] = known[i - 1];
      const auto& [n1, t1] = known[i];
      return t0 + (t1 - t0) * double(n - n0) / double(n1 - n0);
    }
  }
  return known.back().second;
}

namespace {

// llama-batched-bench on the bench's model and engine settings at N sequences of npp + ntg tokens.
BatchedBenchArgs ReferenceArgs(const BenchOptions& options, int n, int npp, int ntg) {
  BatchedBenchArgs args;
  args.binary = options.batched_bench_binary.empty() ? DefaultBatchedBenchBinary() : options.batched_bench_binary;
  args.model = options.model;
  args.parallel = {n};
  args.npp = npp;
  args.ntg = ntg;
  args.threads = options.threads;
  args.batch_size = options.batch_size;
  args.gpu_layers = options.gpu_layers;
  return args;
}

// One llama-batched-bench run (N=1) at the mean prompt / answer length of the first comment run.
void MeasureFolderReference(const BenchOptions& options, BenchReport* report) {
  for (const PipelineRun& run : report->pipelines) {
    if (run.what != "comment" || run.items == 0) continue;
    BatchedBenchArgs args = ReferenceArgs(options, 1, static_cast<int>(run.prompt_tokens / run.items),
                                          std::max(1, static_cast<int>(run.generated_tokens / run.items)));
    std::string problem;
    auto speeds = RunBatchedBench(args, &problem);
    if (auto it = speeds.find(1); it != speeds.end()) {
      report->folder_reference = it->second;
      report->folder_npp = args.npp;
      report->folder_ntg = args.ntg;
    }
    return;
  }
}

}  // namespace

BenchReport RunBench(const BenchOptions& options, const EngineFactory& open) {
  BenchReport report;
  report.options = options;
  if (options.parallel.empty()) throw Error(kExitUsage, "--parallel-list is empty");
  if (options.repeat < 1 || options.npp < 1 || options.ntg < 1) {
    throw Error(kExitUsage, "--repeat, --npp and --ntg must be at least 1");
  }
  const int ctx = options.npp + options.ntg + 64;  // + room for the chat template's markers
  const size_t runs_per_n = static_cast<size_t>(options.repeat) * (options.reference ? 2 : 1);
  Progress bar("bench", options.parallel.size() * runs_per_n + (options.pipelines.dir.empty() ? 0 : 1),
               options.progress && Progress::DefaultEnabled());
  for (int n : options.parallel) {
    BenchRow row;
    row.parallel = n;
    bool reset = ResetPeakRss();
    Clock::time_point start = Clock::now();
    std::unique_ptr<engine::Llm> llm = open(n, ctx);
    row.load_s = Since(start);
    std::vector<double> pp, tg, ttft, ref_pp, ref_tg, pp_ratio, tg_ratio;
    row.tg_in_steps = true;
    const BatchedBenchArgs reference_args = ReferenceArgs(options, n, options.npp, options.ntg);
    for (int r = 0; r < options.repeat; ++r) {
      bar.Start("N=" + std::to_string(n) + " run " + std::to_string(r + 1));
      EngineSample s = MeasureEngine(*llm, n, options.npp, options.ntg, static_cast<uint64_t>(n * 100 + r + 1));
      if (llm->cancelled()) throw Error(kExitInterrupted, "interrupted");
      pp.push_back(s.pp_tps);
      tg.push_back(s.tg_tps);
      row.tg_in_steps = row.tg_in_steps && s.tg_from_steps;
      ttft.push_back(s.ttft_s);
      row.concurrency = std::max(row.concurrency, s.concurrency);
      row.failed += s.failed;
      bar.Advance("N=" + std::to_string(n), static_cast<uint64_t>(s.generated_tokens));
      if (!options.reference || !report.reference_problem.empty()) continue;
      // llama.cpp right after ours, on the same N: this machine's speed drifts by +-15% over
      // minutes, so each ratio compares two runs made moments apart.
      bar.Start("N=" + std::to_string(n) + " llama-batched-bench " + std::to_string(r + 1));
      auto speeds = RunBatchedBench(reference_args, &report.reference_problem);
      bar.Advance("N=" + std::to_string(n));
      auto it = speeds.find(n);
      if (it == speeds.end()) continue;
      ref_pp.push_back(it->second.pp_tps);
      ref_tg.push_back(it->second.tg_tps);
      if (it->second.pp_tps > 0) pp_ratio.push_back(s.pp_tps / it->second.pp_tps);
      if (it->second.tg_tps > 0) tg_ratio.push_back(s.tg_tps / it->second.tg_tps);
    }
    row.pp_tps = Median(pp);
    row.tg_tps = Median(tg);
    row.ttft_s = Median(ttft);
    row.peak_rss = reset ? PeakRssBytes() : 0;
    if (!ref_pp.empty()) {
      row.reference = ReferenceSpeed{n, Median(ref_pp), Median(ref_tg)};
      row.pp_ratio = Median(pp_ratio);
      row.tg_ratio = Median(tg_ratio);
    }
    report.rows.push_back(row);
  }
  if (!options.pipelines.dir.empty()) {
    // The pipelines need a real context (whole routines and files), not the bench's npp + ntg.
    bar.Start("pipelines on " + options.pipelines.dir);
    report.pipelines = MeasurePipelines(options.pipelines, open);
    std::vector<double> pp;
    for (const BenchRow& row : report.rows) {
      if (row.reference) pp.push_back(row.reference->pp_tps);
    }
    SetIdeal(&report.pipelines, Median(pp), [&](int n) { return ReferenceTgAt(report, n); });
    bar.Advance("pipelines");
    if (options.reference) MeasureFolderReference(options, &report);
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
      ref_pp = FormatFixed(row.reference->pp_tps, 1);
      ref_tg = FormatFixed(row.reference->tg_tps, 1);
      if (row.pp_ratio > 0) pp_ratio = FormatFixed(row.pp_ratio, 2);
      if (row.tg_ratio > 0) tg_ratio = FormatFixed(row.tg_ratio, 2);
    }
    if (row.parallel > 1 && row.concurrency <= 1) sequential = true;
    md += "| " + std::to_string(row.parallel) + " | " + FormatFixed(row.pp_tps, 1) + " | " + FormatFixed(row.tg_tps, 1) + " | " + ref_pp +
          " | " + ref_tg + " | " + pp_ratio + " | " + tg_ratio + " | " + FormatFixed(row.ttft_s, 2) + " | " + FormatFixed(row.load_s, 2) +
          " | " + (row.peak_rss ? FormatFixed(static_cast<double>(row.peak_rss) / (1 << 20), 0) : std::string("-")) + " | " +
          std::to_string(row.concurrency) + " |\n";
  }
  md += "\npp = prompt processing, tg = generation, both summed over the N sequences; ratio = ours / llama.cpp's "
        "llama-batched-bench (no sampling, random tokens: its best case), run right after ours at the same N; the "
        "ratio is the median of those paired ratios.\n";
  bool all_steps = std::all_of(r.rows.begin(), r.rows.end(), [](const BenchRow& row) { return row.tg_in_steps; });
  md += all_steps ? "Our tg is timed over the steps in which all N sequences generated (batch assembly, llama_decode and "
                    "sampling), as llama-batched-bench times its generation phase.\n"
                  : "Our tg is the full run's time minus its prompt time at the measured pp speed (noisy: it carries "
                    "the prompt run's variation).\n";
  if (sequential) md += "\nNote: at N > 1 the engine decoded one sequence at a time (concurrency 1): no parallel scheduler.\n";
  for (const BenchRow& row : r.rows) {
    if (row.failed > 0) md += "\nNote: " + std::to_string(row.failed) + " requests at N=" + std::to_string(row.parallel) +
                              " did not finish normally.\n";
  }
  if (!r.reference_problem.empty()) md += "\nllama.cpp reference missing: " + r.reference_problem + "\n";
  md += PipelinesMarkdown(r.pipelines, o.pipelines);
  if (r.folder_reference) {
    const ReferenceSpeed& f = *r.folder_reference;
    md += "\nllama-batched-bench at this folder's mean lengths (prompt " + std::to_string(r.folder_npp) + ", answer " +
          std::to_string(r.folder_ntg) + " tokens, N=1): " + FormatFixed(f.pp_tps, 1) + " prompt t/s, " + FormatFixed(f.tg_tps, 1) +
          " generated t/s.";
    for (const PipelineRun& run : r.pipelines) {
      if (run.what != "comment" || run.parallel != 1 || f.pp_tps <= 0 || f.tg_tps <= 0) continue;
      double ideal = double(run.prefill_tokens) / f.pp_tps + double(run.generated_tokens) / f.tg_tps;
      md += " At those rates the N=1 run's ideal is " + FormatFixed(run.items * 60.0 / ideal, 1) + " routines/min; it did " +
            FormatFixed(run.per_min(), 1) + " (" + FormatFixed(ideal / run.seconds, 2) + " of it).";
    }
    md += "\n";
  }
  md += "\nPeak RSS of the whole run: " + FormatFixed(static_cast<double>(r.peak_rss) / (1 << 20), 0) + " MiB.\n";
  return md;
}

nlohmann::json BenchJson(const BenchReport& r) {
  const BenchOptions& o = r.options;
  nlohmann::json rows = nlohmann::json::array();
  for (const BenchRow& row : r.rows) {
    nlohmann::json j = {{"parallel", row.parallel}, {"pp_tps", row.pp_tps},         {"tg_tps", row.tg_tps},
                        {"ttft_s", row.ttft_s},     {"load_s", row.load_s},         {"peak_rss_bytes", row.peak_rss},
                        {"concurrency", row.concurrency}, {"failed", row.failed},
                        {"tg_method", row.tg_in_steps ? "steps" : "subtraction"}};
    if (row.reference) {
      j["llama_pp_tps"] = row.reference->pp_tps;
      j["llama_tg_tps"] = row.reference->tg_tps;
      j["pp_ratio"] = row.pp_ratio;
      j["tg_ratio"] = row.tg_ratio;
    }
    rows.push_back(j);
  }
  nlohmann::json j = {{"model", o.model}, {"model_note", o.model_note}, {"npp", o.npp},       {"ntg", o.ntg},
                      {"repeat", o.repeat}, {"threads", o.threads},     {"rows", rows},       {"peak_rss_bytes", r.peak_rss},
                      {"reference_problem", r.reference_problem}};
  j["pipelines"] = PipelinesJson(r.pipelines);
  if (r.folder_reference) {
    j["folder_reference"] = {{"npp", r.folder_npp}, {"ntg", r.folder_ntg}, {"llama_pp_tps", r.folder_reference->pp_tps},
                             {"llama_tg_tps", r.folder_reference->tg_tps}};
  }
  return j;
}

}  // namespace scale::bench
