// `scale cache export FILE` / `scale cache import FILE`: carry the summary cache between machines
// (a CI artefact warms the next job). The work is summarize/cache_transfer.h; this is the front end.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "summarize/cache_transfer.h"
#include "util/fs.h"
#include "util/json_text.h"
#include "util/log.h"

namespace scale::cli {
namespace {
namespace fs = std::filesystem;

struct CacheArgs {
  std::string file;
  std::string cache_file;  // --cache, as `scale summarize` takes it
  bool json = false;
};

fs::path CachePath(const CacheArgs& args) {
  return args.cache_file.empty() ? CacheDir() / "summaries.sqlite" : fs::path(args.cache_file);
}

void PrintJson(const nlohmann::ordered_json& j) {
  std::printf("%s\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
}

void RunExport(const CacheArgs& args) {
  const fs::path cache = CachePath(args);
  const size_t entries = summarize::ExportCache(cache, args.file);
  if (args.json) {
    nlohmann::ordered_json j;
    j["cache"] = JsonSafe(cache);
    j["file"] = JsonSafe(args.file);
    j["entries"] = entries;
    PrintJson(j);
  } else {
    LogInfo("exported " + std::to_string(entries) + " cached summaries to " + args.file);
  }
}

void RunImport(const CacheArgs& args) {
  const fs::path cache = CachePath(args);
  const summarize::ImportStats stats = summarize::ImportCache(cache, args.file);
  if (args.json) {
    nlohmann::ordered_json j;
    j["cache"] = JsonSafe(cache);
    j["file"] = JsonSafe(args.file);
    j["added"] = stats.added;
    j["already_present"] = stats.already_present;
    PrintJson(j);
  } else {
    LogInfo("imported " + args.file + ": " + std::to_string(stats.added) + " summaries added, " +
            std::to_string(stats.already_present) + " already present");
  }
}

void AddOptions(CLI::App* cmd, CacheArgs* args, const char* file_help) {
  cmd->add_option("file", args->file, file_help)->required();
  cmd->add_option("--cache", args->cache_file, "summary cache file (default: <cache dir>/summaries.sqlite)");
  cmd->add_flag("--json", args->json, "print the report as JSON on stdout");
}

}  // namespace

void AddCacheCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("cache", "Export or import the summary cache (to share it, e.g. as a CI artefact)");
  cmd->require_subcommand(1);
  auto out = std::make_shared<CacheArgs>();
  auto* exp = cmd->add_subcommand("export", "Write a consistent copy of the summary cache to FILE (atomically)");
  AddOptions(exp, out.get(), "the file to write");
  exp->callback([out] { RunExport(*out); });
  auto in = std::make_shared<CacheArgs>();
  auto* imp = cmd->add_subcommand("import", "Add the entries of an exported cache FILE that this cache lacks");
  AddOptions(imp, in.get(), "an exported summary cache");
  imp->callback([in] { RunImport(*in); });
}

}  // namespace scale::cli
