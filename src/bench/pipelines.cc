#include "bench/pipelines.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include <unistd.h>

#include "annotate/config.h"
#include "annotate/pipeline.h"
#include "bench/process.h"
#include "engine/scheduler.h"
#include "languages/language.h"
#include "summarize/prompts.h"
#include "summarize/summarize.h"
#include "summarize/walker.h"
#include "util/error.h"
#include "util/format.h"
#include "util/fs.h"
#include "util/peak_rss.h"
#include "util/log.h"

namespace scale::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

const std::string& SummarizeDir(const PipelineOptions& o) { return o.summarize_dir.empty() ? o.dir : o.summarize_dir; }

PipelineRun RunComment(engine::Llm& llm, const annotate::Prompts& prompts, const std::vector<annotate::SourceFile>& files,
                       int parallel, int max_tokens) {
  annotate::AnnotateOptions options;
  options.existing = annotate::ExistingMode::kUpdate;  // the rate counts every routine, documented or not
  options.sampling.max_tokens = max_tokens;
  annotate::Annotator annotator(llm, prompts, options);
  PipelineRun run;
  run.what = "comment";
  run.parallel = parallel;
  Clock::time_point start = Clock::now();
  std::vector<annotate::FileResult> results = annotator.Run(files);
  run.seconds = Since(start);
  if (llm.cancelled()) throw Error(kExitInterrupted, "interrupted");
  for (const auto& r : results) {
    int accepted = r.Count(annotate::RoutineStatus::kCommented) + r.Count(annotate::RoutineStatus::kUpdated);
    run.accepted += accepted;
    run.items += accepted + r.Count(annotate::RoutineStatus::kFailed);
    run.prompt_tokens += r.prompt_tokens;
    run.prefill_tokens += r.prompt_tokens - r.cached_prompt_tokens;
    run.generated_tokens += r.completion_tokens;
  }
  return run;
}

}  // namespace

std::vector<PipelineRun> MeasurePipelines(const PipelineOptions& o, const EngineFactory& open) {
  std::vector<annotate::SourceFile> files = SourceFiles(o.dir);
  const bool comments = !o.comment_parallel.empty() || o.prefill_parallel > 0;
  if (files.empty() && comments) throw Error(kExitUsage, o.dir + ": no .py, .c, .h or .js files to comment");
  std::vector<languages::Language> langs;
  for (const auto& f : files) {
    if (std::find(langs.begin(), langs.end(), f.language) == langs.end()) langs.push_back(f.language);
  }
  annotate::Prompts prompts = annotate::LoadPrompts(annotate::FindConfigDir(""), langs);
  std::vector<PipelineRun> runs;

  // Rates at each N, with prefix sharing (the normal mode) but no disk cache, so that no run is
  // warmed by the one before it.
  for (int n : o.comment_parallel) {
    SharingMode mode(true, {});
    ResetPeakRss();
    std::unique_ptr<engine::Llm> llm = open(n, 0);
    LogInfo("bench: comment over " + o.dir + " at N=" + std::to_string(n));
    runs.push_back(RunComment(*llm, prompts, files, n, o.max_tokens));
    runs.back().peak_rss = PeakRssBytes();
  }

  // What prefix sharing saves: the same requests with sharing off, on, and from the disk cache
  // (first run writes it, second reads it). Short answers: only the prompt side is studied.
  if (o.prefill_parallel > 0) {
    fs::path disk = CacheDir() / "bench" / ("prefix-" + std::to_string(getpid()));
    std::error_code ec;
    fs::remove_all(disk, ec);
    const std::pair<const char*, bool> modes[] = {{"off", false}, {"on", true}, {"disk-cold", true}, {"disk-warm", true}};
    for (const auto& [name, share] : modes) {
      bool use_disk = std::string(name).rfind("disk", 0) == 0;
      SharingMode mode(share, use_disk ? disk : fs::path());
      std::unique_ptr<engine::Llm> llm = open(o.prefill_parallel, 0);
      LogInfo(std::string("bench: prefill study, sharing ") + name);
      PipelineRun run = RunComment(*llm, prompts, files, o.prefill_parallel, 8);
      llm.reset();  // the disk cache is written when the engine's run ends; be sure it is closed
      run.what = "prefill";
      run.sharing = name;
      runs.push_back(run);
    }
    fs::remove_all(disk, ec);
  }

  if (o.summarize_parallel > 0) {
    SharingMode mode(true, {});
    ResetPeakRss();
    std::unique_ptr<engine::Llm> llm = open(o.summarize_parallel, o.summarize_ctx);
    LogInfo("bench: summarize " + SummarizeDir(o) + " at N=" + std::to_string(o.summarize_parallel));
    summarize::WalkResult walk = summarize::Walk({SummarizeDir(o)}, {});
    summarize::Tree tree = summarize::BuildTree(walk, o.chunk_lines);
    summarize::PromptSet set = summarize::LoadPromptSet(summarize::FindPromptDir(""));
    summarize::SummarizeOptions sopts;
    sopts.sampling.max_tokens = o.max_tokens;
    sopts.progress = false;
    summarize::SummarizeStats stats = summarize::Summarize(*llm, set, tree, sopts, nullptr);
    if (llm->cancelled()) throw Error(kExitInterrupted, "interrupted");
    PipelineRun run;
    run.what = "summarize";
    run.parallel = o.summarize_parallel;
    run.items = static_cast<int>(stats.chunks_decoded);
    run.prompt_tokens = stats.prompt_tokens;
    run.prefill_tokens = stats.prompt_tokens - stats.cached_prompt_tokens;
    run.generated_tokens = stats.completion_tokens;
    run.seconds = stats.seconds;
    run.peak_rss = PeakRssBytes();
    runs.push_back(run);
  }
  return runs;
}

void SetIdeal(std::vector<PipelineRun>* runs, double pp, const std::function<double(int)>& tg_at) {
  for (PipelineRun& r : *runs) {
    double tg = tg_at(r.parallel);
    r.ideal_seconds = pp > 0 && tg > 0 ? double(r.prefill_tokens) / pp + double(r.generated_tokens) / tg : 0;
  }
}

std::string PipelinesMarkdown(const std::vector<PipelineRun>& runs, const PipelineOptions& o) {
  std::string md;
  auto ideal_cells = [](const PipelineRun& r) {
    return r.ideal_seconds > 0 ? FormatFixed(r.ideal_per_min(), 1) + " | " + FormatFixed(r.ideal_seconds / r.seconds, 2)
                               : std::string("- | -");
  };
  auto rss = [](const PipelineRun& r) {
    return r.peak_rss ? FormatFixed(static_cast<double>(r.peak_rss) / (1 << 20), 0) : std::string("-");
  };
  bool header = false;
  for (const auto& r : runs) {
    if (r.what != "comment") continue;
    if (!header) {
      md += "\n## scale comment over " + o.dir + " (answers capped at " + std::to_string(o.max_tokens) + " tokens)\n\n"
            "| N | routines | routines/min | ideal/min | of ideal | prompt tok | prefill tok | generated tok | s | peak RSS MiB |\n"
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
      header = true;
    }
    md += "| " + std::to_string(r.parallel) + " | " + std::to_string(r.items) + " | " + FormatFixed(r.per_min(), 1) + " | " +
          ideal_cells(r) + " | " + std::to_string(r.prompt_tokens) + " | " + std::to_string(r.prefill_tokens) + " | " +
          std::to_string(r.generated_tokens) + " | " + FormatFixed(r.seconds, 1) + " | " + rss(r) + " |\n";
  }
  header = false;
  for (const auto& r : runs) {
    if (r.what != "prefill") continue;
    if (!header) {
      md += "\n## Prefill per routine (same requests, N=" + std::to_string(r.parallel) + ")\n\n"
            "| prefix sharing | prompt tok/routine | decoded tok/routine | saved |\n| --- | ---: | ---: | ---: |\n";
      header = true;
    }
    double prompt = r.items ? double(r.prompt_tokens) / r.items : 0;
    md += "| " + r.sharing + " | " + FormatFixed(prompt, 0) + " | " + FormatFixed(r.prefill_per_item(), 0) + " | " +
          (prompt > 0 ? FormatFixed(100.0 * (1.0 - r.prefill_per_item() / prompt), 0) + "%" : std::string("-")) + " |\n";
  }
  for (const auto& r : runs) {
    if (r.what != "summarize") continue;
    md += "\n## scale summarize over " + SummarizeDir(o) + " at N=" + std::to_string(r.parallel) + " (" +
          std::to_string(o.chunk_lines) + "-line chunks, " + std::to_string(o.summarize_ctx) + " tokens per sequence)\n\n"
          "| chunks | chunks/min | ideal/min | of ideal | prefill tok | generated tok | s | peak RSS MiB |\n"
          "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
          "| " + std::to_string(r.items) + " | " + FormatFixed(r.per_min(), 1) + " | " + ideal_cells(r) + " | " +
          std::to_string(r.prefill_tokens) + " | " + std::to_string(r.generated_tokens) + " | " + FormatFixed(r.seconds, 1) +
          " | " + rss(r) + " |\n";
  }
  if (!md.empty()) {
    md += "\nideal = the rate if every decoded prompt token ran at llama.cpp's prompt speed and every generated token at "
          "its generation speed for that N (llama-batched-bench, this run).\n";
  }
  return md;
}

nlohmann::json PipelinesJson(const std::vector<PipelineRun>& runs) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : runs) {
    out.push_back({{"what", r.what}, {"parallel", r.parallel}, {"sharing", r.sharing}, {"items", r.items},
                   {"accepted", r.accepted}, {"prompt_tokens", r.prompt_tokens}, {"prefill_tokens", r.prefill_tokens},
                   {"generated_tokens", r.generated_tokens}, {"seconds", r.seconds}, {"per_min", r.per_min()},
                   {"ideal_per_min", r.ideal_per_min()}, {"peak_rss_bytes", r.peak_rss}});
  }
  return out;
}

std::vector<annotate::SourceFile> SourceFiles(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<annotate::SourceFile> files;
  std::error_code ec;
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(dir, ec)) paths.push_back(entry.path());
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) {
    auto language = languages::LanguageForPath(p);
    if (!language || !fs::is_regular_file(p, ec)) continue;
    files.push_back({p.string(), *language, ReadFile(p, 1 << 20)});
  }
  return files;
}

SharingMode::SharingMode(bool share, const std::filesystem::path& disk_dir) : saved_(engine::DefaultSchedulerOptions()) {
  engine::SchedulerOptions o = saved_;
  if (!share) o.min_shared_prefix = 0;
  o.disk_prefix_cache = !disk_dir.empty();
  o.prefix_cache_dir = disk_dir;
  engine::SetDefaultSchedulerOptions(o);
}

SharingMode::~SharingMode() { engine::SetDefaultSchedulerOptions(saved_); }

}  // namespace scale::bench
