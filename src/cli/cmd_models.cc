// `scale models`: fetch GGUF models from the Hub into the cache, and list, inspect and delete them.
// The work is in src/models/; this file parses flags and prints (tables for people, --json for
// scripts). stdout carries only results; progress and notes go to stderr.
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/print.h"
#include "models/cache.h"
#include "models/catalogue.h"
#include "engine/gguf_header.h"
#include "models/hub.h"
#include "models/other_stores.h"
#include "util/error.h"
#include "util/log.h"
#include "util/size.h"

namespace scale::cli {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

struct ModelsArgs {
  // pull
  std::string what;
  std::vector<std::string> include;
  std::string revision = "main";
  bool use_default = false;
  // list / info / catalogue / path
  bool json = false;
  bool quiet = false;
  int verbose = 0;
};

void ApplyVerbosity(const ModelsArgs& a) {
  if (a.quiet) SetLogLevel(LogLevel::kQuiet);
  if (a.verbose > 0) SetLogLevel(LogLevel::kVerbose);
}

void AddCommon(CLI::App* cmd, ModelsArgs* a, bool with_json) {
  if (with_json) cmd->add_flag("--json", a->json, "Machine-readable output on stdout");
  cmd->add_flag("-q,--quiet", a->quiet, "No progress or notes on stderr");
  cmd->add_flag("-v,--verbose", a->verbose, "More detail on stderr");
}

std::string Pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

// Resolves "FILE", a cached model's name, another tool's model (models/other_stores.h) or a
// catalogue id to a GGUF path.
fs::path ResolveModelArg(const std::string& what) {
  std::error_code ec;
  if (fs::exists(what, ec)) return what;
  for (const auto& m : models::ListCachedModels(models::ModelsDir())) {
    if (m.name == what || m.path.filename().string() == what) return m.path;
  }
  if (auto p = models::FindOtherModel(models::ListOtherModels(models::StoreRootsFromEnv()), what)) return *p;
  if (const auto* e = models::FindCatalogueEntry(what)) {
    if (auto p = models::CachedPath(*e, models::ModelsDir())) return *p;
    throw Error(kExitModel, e->title + " is not downloaded: run `scale models pull " + e->id + "`");
  }
  throw Error(kExitModel, "model file not found: " + what);
}

void RunPull(ModelsArgs& a) {
  ApplyVerbosity(a);
  models::HubOptions options = models::HubOptionsFromEnv();
  options.revision = a.revision;
  std::string repo = a.what;
  std::vector<std::string> include = a.include;
  if (a.use_default && !repo.empty()) throw Error(kExitUsage, "give a model or --default, not both");
  if (a.use_default) repo = models::DefaultCatalogueEntry().id;
  if (repo.empty()) throw Error(kExitUsage, "what to pull? OWNER/REPO, a catalogue id (scale models catalogue) or --default");
  // A catalogue id (or a catalogue repo without --include) pulls the recommended file only.
  if (const auto* e = models::FindCatalogueEntry(repo)) {
    if (include.empty()) include.push_back(e->include);
    repo = e->repo;
  }
  models::PullResult r = models::Pull(options, repo, include, models::ModelsDir());
  if (a.json) {
    json files = json::array();
    for (const auto& f : r.files) {
      files.push_back({{"path", f.path.string()}, {"bytes", f.bytes}, {"already_present", f.already_present}, {"resumes", f.resumes}});
    }
    PrintJson(json{{"repo", repo}, {"model", r.first.string()}, {"files", files}});
  } else {
    PrintLine(r.first.string());  // the path to pass to -m, so scripts can capture it
  }
}

void RunList(ModelsArgs& a) {
  ApplyVerbosity(a);
  const fs::path dir = models::ModelsDir();
  auto cached = models::ListCachedModels(dir);
  json out = json::array();
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"NAME", "SIZE", "QUANT", "ARCH", "CONTEXT", "CHAT", "PATH"});
  for (const auto& m : cached) {
    json j = {{"name", m.name}, {"repo", m.repo}, {"path", m.path.string()}, {"bytes", m.bytes}, {"complete", m.complete}};
    std::vector<std::string> row = {m.name, FormatBytes(m.bytes), "?", "?", "?", "?", m.path.string()};
    try {
      if (!m.complete) throw Error(kExitModel, "shards missing");
      engine::GgufHeader info = engine::ReadGgufHeader(m.path);
      j["quant"] = info.quant;
      j["architecture"] = info.architecture;
      j["context_length"] = info.context_length;
      j["chat_template"] = !info.chat_template.empty();
      row[2] = info.quant;
      row[3] = info.architecture;
      row[4] = std::to_string(info.context_length);
      row[5] = info.chat_template.empty() ? "no" : "yes";
    } catch (const Error& e) {
      j["error"] = e.what();
      row[2] = m.complete ? "unreadable" : "incomplete";
    }
    out.push_back(j);
    rows.push_back(row);
  }
  auto partials = models::ListPartialDownloads(dir);
  // Models other tools downloaded (read in place, never copied): their own section and array.
  auto others = models::ListOtherModels(models::StoreRootsFromEnv());
  if (a.json) {
    json p = json::array();
    for (const auto& f : partials) p.push_back(f.string());
    json o = json::array();
    for (const auto& m : others) o.push_back({{"source", m.source}, {"name", m.name}, {"path", m.path.string()}, {"bytes", m.bytes}});
    PrintJson(json{{"models_dir", dir.string()}, {"models", out}, {"partial_downloads", p}, {"other_models", o}});
    return;
  }
  if (cached.empty()) {
    LogInfo("no models in " + dir.string() + " (try `scale models pull --default`)");
  } else {
    std::vector<size_t> width(rows[0].size(), 0);
    for (const auto& r : rows) {
      for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
    }
    for (const auto& r : rows) {
      std::string line;
      for (size_t i = 0; i < r.size(); ++i) line += i + 1 < r.size() ? Pad(r[i], width[i] + 2) : r[i];
      PrintLine(line);
    }
  }
  for (const auto& f : partials) LogInfo("unfinished download: " + f.string() + " (the same `scale models pull` resumes it)");
  if (others.empty()) return;
  std::vector<std::vector<std::string>> other_rows = {{"SOURCE", "NAME (for -m)", "SIZE", "PATH"}};
  for (const auto& m : others) other_rows.push_back({m.source, m.name, FormatBytes(m.bytes), m.path.string()});
  std::vector<size_t> w(other_rows[0].size(), 0);
  for (const auto& r : other_rows) {
    for (size_t i = 0; i < r.size(); ++i) w[i] = std::max(w[i], r[i].size());
  }
  if (!cached.empty()) PrintLine("");
  PrintLine("Models from other tools (used in place, read-only):");
  for (const auto& r : other_rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) line += i + 1 < r.size() ? Pad(r[i], w[i] + 2) : r[i];
    PrintLine(line);
  }
}

void RunRm(ModelsArgs& a) {
  ApplyVerbosity(a);
  for (const auto& f : models::RemoveCachedModel(models::ModelsDir(), a.what)) LogInfo("deleted " + f.string());
}

void RunInfo(ModelsArgs& a) {
  ApplyVerbosity(a);
  engine::GgufHeader info = engine::ReadGgufHeader(ResolveModelArg(a.what));
  if (a.json) {
    PrintJson(info.ToJson());
    return;
  }
  std::string types;
  for (const auto& [t, n] : info.tensor_types) types += (types.empty() ? "" : ", ") + t + " x" + std::to_string(n);
  auto kv = [](const std::string& k, const std::string& v) { PrintLine(Pad(k + ":", 16) + v); };
  kv("file", info.path.string() + (info.shards.size() > 1 ? " (+" + std::to_string(info.shards.size() - 1) + " shards)" : ""));
  kv("name", info.name);
  if (info.type == "adapter") kv("type", "LoRA adapter");
  kv("architecture", info.architecture);
  kv("size", FormatBytes(info.file_bytes));
  kv("parameters", engine::FormatParams(info.n_params) + " (" + std::to_string(info.n_params) + ")");
  kv("quantisation", info.quant + " (tensors: " + types + ")");
  kv("context", std::to_string(info.context_length) + " tokens (trained)");
  kv("layers", std::to_string(info.n_layer) + ", embedding " + std::to_string(info.n_embd) + ", heads " +
                   std::to_string(info.n_head) + " (KV " + std::to_string(info.n_head_kv) + ", dim " + std::to_string(info.head_dim) + ")");
  char rope[160];
  std::snprintf(rope, sizeof rope, "base %s, scaling %s%s",
                info.rope_freq_base > 0 ? std::to_string(info.rope_freq_base).c_str() : "model default (10000)",
                info.rope_scaling.empty() ? "none" : info.rope_scaling.c_str(),
                info.rope_scaling_factor > 0 ? (" x" + std::to_string(info.rope_scaling_factor)).c_str() : "");
  kv("rope", rope);
  kv("kv cache", FormatBytes(info.KvBytesPerToken()) + " per token (F16), " +
                     FormatBytes(info.KvBytesPerToken() * 4096) + " for 4096 tokens");
  kv("tokenizer", info.tokenizer + (info.tokenizer_pre.empty() ? "" : " (" + info.tokenizer_pre + ")") + ", " +
                      std::to_string(info.vocab_size) + " tokens");
  kv("chat template", info.chat_template.empty() ? "none (use --format)" : "yes (" + std::to_string(info.chat_template.size()) + " chars)");
}

void RunPath(ModelsArgs& a) {
  ApplyVerbosity(a);
  if (a.what.empty() || a.use_default) {
    auto p = models::DefaultModelPath();
    if (!p) throw Error(kExitModel, models::MissingDefaultModelMessage());
    PrintLine(*p);
    return;
  }
  PrintLine(ResolveModelArg(a.what).string());
}

void RunCatalogue(ModelsArgs& a) {
  ApplyVerbosity(a);
  const fs::path dir = models::ModelsDir();
  if (a.json) {
    json out = json::array();
    for (const auto& e : models::Catalogue()) {
      auto cached = models::CachedPath(e, dir);
      models::MemoryEstimate m = models::EstimateMemory(e, 4096, 1, 512);
      out.push_back({{"id", e.id}, {"title", e.title}, {"repo", e.repo}, {"include", e.include}, {"quant", e.quant},
                     {"file_bytes", e.file_bytes}, {"params_b", e.params_b}, {"context_length", e.context_length},
                     {"ram_bytes_ctx4096", m.total()}, {"default", &e == &models::DefaultCatalogueEntry()},
                     {"cached", cached ? json(cached->string()) : json(nullptr)}, {"note", e.note}});
    }
    PrintJson(out);
    return;
  }
  PrintLine(Pad("ID", 22) + Pad("QUANT", 8) + Pad("SIZE", 10) + Pad("RAM@4k", 10) + Pad("CONTEXT", 9) + Pad("CACHED", 8) + "REPO");
  for (const auto& e : models::Catalogue()) {
    models::MemoryEstimate m = models::EstimateMemory(e, 4096, 1, 512);
    std::string id = e.id + (&e == &models::DefaultCatalogueEntry() ? " *" : "");
    PrintLine(Pad(id, 22) + Pad(e.quant, 8) + Pad(FormatBytes(e.file_bytes), 10) +
              Pad(FormatBytes(m.total()), 10) + Pad(std::to_string(e.context_length), 9) +
              Pad(models::CachedPath(e, dir) ? "yes" : "no", 8) + e.repo);
  }
  PrintLine("* default model: used when no -m or $SCALE_MODEL is given (downloaded on first use).  `scale models pull ID` downloads one.");
}

}  // namespace

void AddModelsCommand(CLI::App& app) {
  static ModelsArgs a;
  auto* cmd = app.add_subcommand("models", "Download GGUF models from the Hugging Face Hub; list, inspect, delete them");
  cmd->require_subcommand(1);

  auto* pull = cmd->add_subcommand("pull", "Download a model's .gguf file(s) into the cache (resumable, checksummed)");
  pull->add_option("model", a.what, "OWNER/REPO on the Hub, or a catalogue id (see `scale models catalogue`)");
  pull->add_option("--include", a.include, "Glob of files to take (repeatable), e.g. '*Q4_K_M*.gguf'; default: all .gguf");
  pull->add_option("--revision", a.revision, "Branch, tag or commit (default main)");
  pull->add_flag("--default", a.use_default, "Pull the default model (" + models::DefaultCatalogueEntry().title + ")");
  AddCommon(pull, &a, true);
  pull->footer("Environment: HF_TOKEN (private/gated repos), HF_ENDPOINT (mirror; default https://huggingface.co),\n"
               "SCALE_HOME (cache root). Prints the path to pass to -m.");
  pull->callback([] { RunPull(a); });

  auto* list = cmd->add_subcommand("list", "Models in the cache: name, size, quantisation, architecture, context, chat template; "
                                           "then GGUF models other tools downloaded (Hugging Face cache, Ollama, LM Studio)");
  AddCommon(list, &a, true);
  list->callback([] { RunList(a); });

  auto* rm = cmd->add_subcommand("rm", "Delete a cached model (all its shards)");
  rm->add_option("model", a.what, "Name, file name, OWNER/REPO, catalogue id, or path inside the cache")->required();
  AddCommon(rm, &a, false);
  rm->callback([] { RunRm(a); });

  auto* info = cmd->add_subcommand("info", "What a GGUF file says about itself (reads the header only)");
  info->add_option("model", a.what, "GGUF path, cached model name, or catalogue id")->required();
  AddCommon(info, &a, true);
  info->callback([] { RunInfo(a); });

  auto* path = cmd->add_subcommand("path", "Print a cached model's path (default: the default model); exit 3 if not cached");
  path->add_option("model", a.what, "Cached model name or catalogue id");
  path->add_flag("--default", a.use_default, "The default model");
  AddCommon(path, &a, false);
  path->callback([] { RunPath(a); });

  auto* cat = cmd->add_subcommand("catalogue", "Recommended models for code work, with sizes and memory needs");
  cat->alias("catalog");
  AddCommon(cat, &a, true);
  cat->callback([] { RunCatalogue(a); });
}

}  // namespace scale::cli
