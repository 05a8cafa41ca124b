// `scale summarize PATH...`: a code map of a repository. Walks the files (.gitignore aware),
// summarises each chunk in --lines lines, rolls chunk summaries up into file, folder and repo
// summaries (one job graph, so --parallel slots stay busy), caches every answer in SQLite, and
// writes Markdown (-o DIR: SUMMARY.md per folder, or --single FILE; default: stdout) and --jsonl.
// --shard I/N summarises one part's chunks and files into a shard file (-o FILE); --merge reads
// all N shard files and makes the folder and repo levels: the code map an unsharded run writes.
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/model_options.h"
#include "engine/scheduler.h"
#include "summarize/cache.h"
#include "summarize/merge.h"
#include "summarize/output.h"
#include "summarize/prompts.h"
#include "summarize/shard_file.h"
#include "summarize/summarize.h"
#include "summarize/walker.h"
#include "util/error.h"
#include "util/format.h"
#include "util/fs.h"
#include "util/json_text.h"
#include "util/log.h"
#include "walk/shard.h"

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
  std::string shard;               // --shard I/N
  std::vector<std::string> merge;  // --merge SHARD_FILE...
  bool json = false;
  bool no_cache = false;
  bool max_tokens_given = false;
};

// What the command line asks for, checked before any work starts.
void CheckModes(const SummarizeArgs& args, const std::optional<walk::Shard>& shard) {
  if (!args.out_dir.empty() && !args.single.empty()) throw Error(kExitUsage, "use either -o DIR or --single FILE, not both");
  if (!args.merge.empty()) {
    if (!args.paths.empty()) throw Error(kExitUsage, "--merge takes shard files, not paths to walk");
    if (shard) throw Error(kExitUsage, "use either --shard or --merge, not both");
    return;
  }
  if (args.paths.empty()) throw Error(kExitUsage, "summarize needs PATH... (or --merge SHARD_FILE...)");
  if (!shard) return;
  if (args.out_dir.empty()) throw Error(kExitUsage, "--shard writes a shard file for --merge: give -o FILE");
  if (!args.single.empty()) throw Error(kExitUsage, "--shard has no folder or repo summaries: merge the shards, then --single");
  std::error_code ec;
  if (fs::is_directory(args.out_dir, ec)) throw Error(kExitUsage, "with --shard, -o names the shard file; " + args.out_dir + " is a folder");
}

summarize::SummarizeOptions SummaryOptions(const SummarizeArgs& args) {
  summarize::SummarizeOptions options;
  options.lines = args.lines;
  options.sampling = args.model.sampling;
  // A summary of N lines needs ~25 tokens a line; a small budget also stops rambling models early.
  if (!args.max_tokens_given) options.sampling.max_tokens = 40 * args.lines + 24;
  options.time_limit_s = args.model.time_limit_s;
  return options;
}

void Run(const SummarizeArgs& args) {
  std::optional<walk::Shard> shard;
  if (!args.shard.empty()) shard = walk::ParseShard(args.shard);
  CheckModes(args, shard);
  summarize::PromptSet prompts = summarize::LoadPromptSet(summarize::FindPromptDir(args.config));
  summarize::SummarizeOptions options = SummaryOptions(args);
  options.files_only = shard.has_value();

  summarize::Tree tree;
  std::string root_text;                  // for the report
  size_t skipped_files = 0, other_shards = 0;
  std::string tree_id;
  std::map<std::string, std::string> sha_of;  // a shard's files: path -> content SHA-256
  std::vector<summarize::ShardFile> shard_files;
  if (!args.merge.empty()) {
    for (const std::string& f : args.merge) shard_files.push_back(summarize::ReadShardFile(f));
    tree = summarize::MergeShards(shard_files);  // refused before the model is loaded
    root_text = JsonSafe(tree.root_name);
  } else {
    summarize::WalkOptions walk_options;
    walk_options.include = args.include;
    walk_options.exclude = args.exclude;
    std::vector<fs::path> paths(args.paths.begin(), args.paths.end());
    summarize::WalkResult walk = summarize::Walk(paths, walk_options);
    if (walk.files.empty()) throw Error(kExitInput, "nothing to summarize: no source files found under the given paths");
    for (const auto& s : walk.skipped) LogVerbose("skipped " + s.rel + " (" + s.reason + ")");
    root_text = JsonSafe(walk.root);  // a path is any bytes; JSON wants UTF-8
    skipped_files = walk.skipped.size();
    std::string root_name = walk.root.filename().string();
    if (root_name.empty()) root_name = walk.root.string();
    std::vector<summarize::FileNodes> files = summarize::CutFiles(walk, args.chunk_lines);
    if (shard) {
      // Every shard walks (and hashes) the whole tree, so the merge can prove the parts are one repo.
      tree_id = summarize::TreeId(files);
      const size_t total = files.size();
      std::erase_if(files, [&](const summarize::FileNodes& f) { return !walk::InShard(f.file.path, *shard); });
      other_shards = total - files.size();
      for (const summarize::FileNodes& f : files) sha_of[f.file.path] = f.sha256;
      shard_files.resize(1);
      shard_files[0].files_total = total;
    }
    tree = summarize::BuildTreeFromFiles(root_name, std::move(files));
  }

  std::unique_ptr<summarize::SummaryCache> cache;
  if (!args.no_cache) {
    cache = std::make_unique<summarize::SummaryCache>(args.cache_file.empty() ? CacheDir() / "summaries.sqlite"
                                                                              : fs::path(args.cache_file));
  } else {
    engine::SchedulerOptions sched = engine::DefaultSchedulerOptions();
    sched.disk_prefix_cache = false;
    engine::SetDefaultSchedulerOptions(sched);
  }

  std::unique_ptr<engine::Llm> llm = OpenLlm(args.model);
  const summarize::RunSettings settings = summarize::MakeRunSettings(llm->Fingerprint(), prompts, options);
  if (!args.merge.empty()) summarize::CheckMergeSettings(shard_files, settings);
  summarize::SummarizeStats stats;
  bool interrupted = false;
  {
    InterruptGuard guard(llm.get());
    stats = summarize::Summarize(*llm, prompts, tree, options, cache.get());
    interrupted = guard.interrupted();
  }

  const std::string model_name = llm->ModelName();
  if (shard && !interrupted) {
    summarize::ShardFile& out = shard_files[0];
    out.index = shard->index;
    out.count = shard->count;
    out.root_name = tree.root_name;
    out.tree_id = tree_id;
    out.chunk_lines = args.chunk_lines;
    out.settings = settings;
    for (const summarize::Node& node : tree.nodes) {
      if (node.kind != summarize::NodeKind::kFile) continue;
      summarize::FileNodes f;
      f.file = node;
      for (size_t c : node.children) f.chunks.push_back(tree.nodes[c]);
      out.files.push_back(std::move(f));
    }
    for (summarize::FileNodes& f : out.files) f.sha256 = sha_of[f.file.path];
    WriteFileAtomic(args.out_dir, summarize::ShardFileText(out));
  } else if (!args.out_dir.empty()) {
    summarize::WriteMarkdownTree(tree, args.out_dir);
  }
  if (!args.single.empty()) WriteFileAtomic(args.single, summarize::MarkdownDocument(tree));
  if (!args.jsonl.empty()) WriteFileAtomic(args.jsonl, summarize::JsonLines(tree, model_name));

  const double hit_rate = stats.summaries ? 100.0 * stats.cache_hits / stats.summaries : 100.0;
  if (args.json) {
    nlohmann::ordered_json j;
    j["root"] = root_text;
    if (shard) {
      j["shard"] = shard->Text();
      j["other_shards_files"] = other_shards;  // walked, left to the other shards
    }
    if (!args.merge.empty()) j["merged_shards"] = shard_files.size();
    j["files"] = stats.files;
    j["skipped_files"] = skipped_files;
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
    j["repo_summary"] = shard ? "" : JsonSafe(tree.nodes[tree.root].summary);  // model text is not always UTF-8
    std::printf("%s\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    if (args.out_dir.empty() && args.single.empty()) std::fputs(summarize::MarkdownDocument(tree).c_str(), stdout);
    LogInfo("summarized " + std::to_string(stats.files) + " files (" + std::to_string(stats.chunks) + " chunks, " +
            std::to_string(skipped_files) + " skipped" +
            (shard ? ", " + std::to_string(other_shards) + " left to other shards" : std::string()) + ") in " +
            FormatFixed(stats.seconds, 1) + " s: " +
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
  cmd->add_option("paths", args->paths, "directories or files to summarize");
  cmd->add_option("--chunk-lines", args->chunk_lines, "lines per chunk at most")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--lines", args->lines, "lines per summary")->check(CLI::Range(1, 20))->capture_default_str();
  cmd->add_option("--include", args->include, "only files matching GLOB (repeatable)");
  cmd->add_option("--exclude", args->exclude, "skip files/folders matching GLOB (repeatable)");
  cmd->add_option("-o,--output", args->out_dir, "write SUMMARY.md into every folder of DIR (with --shard: the shard FILE)");
  cmd->add_option("--shard", args->shard, "summarise only shard I of N (I/N, 1-based; files split by a hash of their path)");
  cmd->add_option("--merge", args->merge, "build the code map from the shard files of all N --shard runs")->expected(1, -1);
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
