// `scale summarize PATH...`: a code map of a repository. Walks the files (.gitignore aware),
// summarises each chunk in --lines lines, rolls chunk summaries up into file, folder and repo
// summaries (one job graph, so --parallel slots stay busy), caches every answer in SQLite, and
// writes Markdown (-o DIR: SUMMARY.md per folder, or --single FILE; default: stdout) and --jsonl.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/model_options.h"
#include "engine/scheduler.h"
#include "summarize/cache.h"
#include "summarize/output.h"
#include "summarize/prompts.h"
#include "summarize/summarize.h"
#include "summarize/walker.h"
#include "util/error.h"
#include "util/format.h"
#include "util/fs.h"
#include "util/json_text.h"
#include "util/log.h"

namespace scale::cli {
namespace {

namespace fs = std::filesystem;

struct SummarizeArgs {
  ModelOptions model;
  std::vector<std::string> paths;
  int chunk_lines = 300;
  int lines = 2;
  std::vector<std::string> include, exclude;
  std::string out_dir, single, jsonl, cache_file, config;
  bool json = false;
  bool no_cache = false;
  bool max_tokens_given = false;
};

void Run(const SummarizeArgs& args) {
  if (!args.out_dir.empty() && !args.single.empty()) throw Error(kExitUsage, "use either -o DIR or --single FILE, not both");
  summarize::WalkOptions walk_options;
  walk_options.include = args.include;
  walk_options.exclude = args.exclude;
  std::vector<fs::path> paths(args.paths.begin(), args.paths.end());
  summarize::WalkResult walk = summarize::Walk(paths, walk_options);
  if (walk.files.empty()) throw Error(kExitInput, "nothing to summarize: no source files found under the given paths");
  for (const auto& s : walk.skipped) LogVerbose("skipped " + s.rel + " (" + s.reason + ")");
  summarize::PromptSet prompts = summarize::LoadPromptSet(summarize::FindPromptDir(args.config));

  summarize::SummarizeOptions options;
  options.lines = args.lines;
  options.sampling = args.model.sampling;
  // A summary of N lines needs ~25 tokens a line; a small budget also stops rambling models early.
  if (!args.max_tokens_given) options.sampling.max_tokens = 40 * args.lines + 24;
  options.time_limit_s = args.model.time_limit_s;

  std::unique_ptr<summarize::SummaryCache> cache;
  if (!args.no_cache) {
    cache = std::make_unique<summarize::SummaryCache>(args.cache_file.empty() ? CacheDir() / "summaries.sqlite"
                                                                              : fs::path(args.cache_file));
  } else {
    engine::SchedulerOptions sched = engine::DefaultSchedulerOptions();
    sched.disk_prefix_cache = false;
    engine::SetDefaultSchedulerOptions(sched);
  }

  summarize::Tree tree = summarize::BuildTree(walk, args.chunk_lines);
  std::unique_ptr<engine::Llm> llm = OpenLlm(args.model);
  summarize::SummarizeStats stats;
  bool interrupted = false;
  {
    InterruptGuard guard(llm.get());
    stats = summarize::Summarize(*llm, prompts, tree, options, cache.get());
    interrupted = guard.interrupted();
  }

  const std::string model_name = fs::path(ToEngineParams(args.model).model_path).filename().string();
  if (!args.out_dir.empty()) summarize::WriteMarkdownTree(tree, args.out_dir);
  if (!args.single.empty()) WriteFileAtomic(args.single, summarize::MarkdownDocument(tree));
  if (!args.jsonl.empty()) WriteFileAtomic(args.jsonl, summarize::JsonLines(tree, model_name));

  const double hit_rate = stats.summaries ? 100.0 * stats.cache_hits / stats.summaries : 100.0;
  if (args.json) {
    nlohmann::ordered_json j;
    j["root"] = JsonSafe(walk.root);  // a path is any bytes; JSON wants UTF-8
    j["files"] = stats.files;
    j["skipped_files"] = walk.skipped.size();
    j["chunks"] = stats.chunks;
    j["folders"] = stats.folders;
    j["summaries"] = stats.summaries;
    j["cache_hits"] = stats.cache_hits;
    j["failed"] = stats.failed;
    j["chunks_decoded"] = stats.chunks_decoded;
    j["prompt_tokens"] = stats.prompt_tokens;
    j["cached_prompt_tokens"] = stats.cached_prompt_tokens;
    j["completion_tokens"] = stats.completion_tokens;
    j["seconds"] = stats.seconds;
    j["chunks_per_minute"] = stats.chunks_per_minute();
    j["tokens_per_second"] = stats.tokens_per_second();
    j["repo_summary"] = JsonSafe(tree.nodes[tree.root].summary);  // model text is not always UTF-8
    std::printf("%s\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    if (args.out_dir.empty() && args.single.empty()) std::fputs(summarize::MarkdownDocument(tree).c_str(), stdout);
    LogInfo("summarized " + std::to_string(stats.files) + " files (" + std::to_string(stats.chunks) + " chunks, " +
            std::to_string(walk.skipped.size()) + " skipped) in " + FormatFixed(stats.seconds, 1) + " s: " +
            std::to_string(stats.cache_hits) + "/" + std::to_string(stats.summaries) + " summaries from cache (" +
            FormatFixed(hit_rate, 0) + "%), " + std::to_string(stats.prompt_tokens) + " prompt + " +
            std::to_string(stats.completion_tokens) + " generated tokens, " + FormatFixed(stats.chunks_per_minute(), 1) +
            " chunks/min, " + FormatFixed(stats.tokens_per_second(), 1) + " tokens/s" +
            (stats.failed ? ", " + std::to_string(stats.failed) + " failed" : ""));
  }
  if (interrupted) {
    SetExitStatus(kExitInterrupted);
  } else if (stats.failed > 0) {
    SetExitStatus(kExitWorkFailed);
  }
}

}  // namespace

void AddSummarizeCommand(CLI::App& app) {
  auto args = std::make_shared<SummarizeArgs>();
  auto* cmd = app.add_subcommand("summarize", "summarize a repository: chunk, file, folder and repo summaries");
  cmd->add_option("paths", args->paths, "directories or files to summarize")->required();
  cmd->add_option("--chunk-lines", args->chunk_lines, "lines per chunk at most")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--lines", args->lines, "lines per summary")->check(CLI::Range(1, 20))->capture_default_str();
  cmd->add_option("--include", args->include, "only files matching GLOB (repeatable)");
  cmd->add_option("--exclude", args->exclude, "skip files/folders matching GLOB (repeatable)");
  cmd->add_option("-o,--output", args->out_dir, "write SUMMARY.md into every folder of DIR");
  cmd->add_option("--single", args->single, "write one Markdown file");
  cmd->add_option("--jsonl", args->jsonl, "write one JSON object per chunk/file/folder/repo to FILE");
  cmd->add_option("--cache", args->cache_file, "summary cache file (default: <cache dir>/summaries.sqlite)");
  cmd->add_option("--config", args->config, "directory with summarize_*.txt prompts (default: scale-cfg)");
  cmd->add_flag("--json", args->json, "print the report as JSON on stdout");
  cmd->add_flag("--no-cache", args->no_cache, "neither read nor write cached summaries or KV prefixes");
  AddModelOptions(cmd, &args->model);
  cmd->callback([args, cmd] {
    args->max_tokens_given = cmd->count("--max-tokens") > 0;
    Run(*args);
  });
}

}  // namespace scale::cli
