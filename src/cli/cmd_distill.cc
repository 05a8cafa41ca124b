// `scale distill`: where training data comes from. --harvest turns routines that already have doc
// comments into `scale train --data` rows (src/distill/harvest.h); --stats describes a JSONL file
// (src/distill/stats.h). Schema, filters and split: docs/training.md "Harvesting data".
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "annotate/config.h"
#include "cli/commands.h"
#include "cli/model_options.h"
#include "distill/harvest.h"
#include "distill/stats.h"
#include "distill/teacher.h"
#include "engine/llama_engine.h"
#include "models/other_stores.h"
#include "train/engine_tokenizer.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/progress.h"
#include "util/text.h"

namespace scale::cli {
namespace {

namespace fs = std::filesystem;

struct DistillArgs {
  std::vector<std::string> harvest;
  std::string stats;
  std::string out;
  std::string config;
  std::string model;
  std::string teacher;            // --teacher MODEL
  std::vector<std::string> dirs;  // its folders
  int parallel = 0, ctx_size = 0, max_tokens = 256;
  bool force = false;
  bool json = false;
  bool quiet = false;
  int verbosity = 0;
  distill::HarvestOptions options;
};

// The checks both writing modes make before any work, and the harvest options they share.
void PrepareOutput(DistillArgs& a, const char* mode) {
  if (a.out.empty()) throw Error(kExitUsage, std::string("scale distill ") + mode + " needs an output file: -o DATA.jsonl");
  if (a.options.holdout < 0 || a.options.holdout >= 1) throw Error(kExitUsage, "--holdout must be in [0, 1)");
  if (a.options.min_chars > a.options.max_chars) throw Error(kExitUsage, "--min-chars is above --max-chars");
  // Refused before any work: an existing file (or a link) at -o is only replaced with --force, and
  // then the name itself is replaced (WriteFileAtomic renames over it, never writing through a link).
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(a.out, ec);
  if (!ec && fs::exists(st)) {
    if (fs::is_directory(st)) throw Error(kExitUsage, a.out + " is a directory");
    if (!a.force) throw Error(kExitUsage, a.out + " exists; pass --force to replace it");
  }
  const fs::path parent = fs::path(a.out).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec)) {
    throw Error(kExitIo, "cannot write " + a.out + ": no folder " + parent.string());
  }
  if (a.options.threads < 0) throw Error(kExitUsage, "--threads must be 0 (every core) or more");
  if (a.options.threads == 0) a.options.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  a.options.config_dir = annotate::FindConfigDir(a.config);
}

void RunHarvest(DistillArgs& a) {
  PrepareOutput(a, "--harvest");
  std::vector<fs::path> roots(a.harvest.begin(), a.harvest.end());
  Progress bar("harvest", 0);
  const distill::Harvest h = distill::HarvestRoots(roots, a.options, &bar);
  bar.Finish();
  WriteFileAtomic(a.out, distill::RowsJsonl(h.rows));
  if (a.json) {
    nlohmann::json j = distill::ReportJson(h.report);
    j["output"] = a.out;
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("%s: %s", a.out.c_str(), distill::ReportText(h.report).c_str());
  }
  if (h.rows.empty()) LogWarning("no rows harvested: no routine with a usable doc comment was found");
}

// The journal of a --teacher run beside its output: what a stopped run had answered.
fs::path JournalOf(const std::string& out) { return fs::path(out + ".teacher-journal"); }

void RunTeacher(DistillArgs& a) {
  PrepareOutput(a, "--teacher");
  if (a.dirs.empty()) throw Error(kExitUsage, "scale distill --teacher MODEL needs the folders to document: DIR...");
  ModelOptions mo;
  mo.Set("model", a.teacher);
  if (a.parallel > 0) mo.Set("parallel", std::to_string(a.parallel));
  if (a.ctx_size > 0) mo.Set("ctx_size", std::to_string(a.ctx_size));
  mo.sampling.max_tokens = a.max_tokens;
  mo.quiet = a.quiet;
  mo.verbosity = a.verbosity;
  std::unique_ptr<engine::Llm> llm = OpenLlm(mo);
  distill::TeacherOptions to;
  to.sampling = mo.sampling;
  to.journal = JournalOf(a.out);
  std::error_code ec;
  if (fs::exists(to.journal, ec)) LogInfo("resuming from " + to.journal.string());
  std::vector<fs::path> roots(a.dirs.begin(), a.dirs.end());
  distill::Teaching t;
  {
    InterruptGuard guard(llm.get());
    Progress bar("teacher", 0);
    t = distill::TeachRoots(*llm, roots, a.options, to, &bar);
    bar.Finish();
  }
  const distill::TeacherReport& r = t.teacher;
  if (r.interrupted) {
    LogWarning("interrupted: " + std::to_string(r.asked + r.reused) + " answers are kept in " + to.journal.string() +
               "; the same command continues from there");
    SetExitStatus(kExitInterrupted);
    return;
  }
  WriteFileAtomic(a.out, distill::RowsJsonl(t.harvest.rows));
  fs::remove(to.journal, ec);
  nlohmann::json j = distill::ReportJson(t.harvest.report);
  j["output"] = a.out;
  j["teacher"] = {{"model", llm->ModelName()}, {"asked", r.asked}, {"reused", r.reused}, {"kept", r.kept},
                  {"rejected", r.rejected}};
  if (a.json) {
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::vector<std::string> why;
    for (const auto& [k, n] : r.rejected) why.push_back(k + " " + std::to_string(n));
    std::printf("%s: %s", a.out.c_str(), distill::ReportText(t.harvest.report).c_str());
    std::printf("teacher %s: %d asked, %d from the journal, %d kept; rejected: %s\n", llm->ModelName().c_str(),
                r.asked, r.reused, r.kept, why.empty() ? "none" : Join(why, ", ").c_str());
  }
  if (t.harvest.rows.empty()) LogWarning("no rows: the teacher wrote no usable comment");
}

void RunStats(const DistillArgs& a) {
  std::unique_ptr<engine::LlamaEngine> engine;
  std::optional<train::Tokenizer> tokenizer;
  if (!a.model.empty()) {
    const std::string model_path = models::ResolveModelArgument(a.model);
    if (!fs::is_regular_file(model_path)) throw Error(kExitModel, "model not found: " + a.model);
    engine::EngineParams ep;
    ep.model_path = model_path;
    ep.ctx_size = 64;
    ep.threads = 1;
    engine = engine::LlamaEngine::Load(ep);
    tokenizer = train::TokenizerOf(*engine);
  }
  const distill::DataStats s = distill::ComputeStats(a.stats, tokenizer ? &*tokenizer : nullptr);
  if (a.json) {
    std::printf("%s\n", distill::StatsJson(s).dump(2).c_str());
  } else {
    std::printf("%s", distill::StatsText(s).c_str());
  }
}

void Run(DistillArgs& a) {
  if (a.quiet) SetLogLevel(LogLevel::kQuiet);
  if (a.verbosity > 0) SetLogLevel(LogLevel::kVerbose);
  const int modes = !a.harvest.empty() + !a.stats.empty() + !a.teacher.empty();
  if (modes != 1) {
    throw Error(kExitUsage, "scale distill needs one of --harvest DIR... -o DATA.jsonl, --teacher MODEL DIR... -o "
                            "DATA.jsonl or --stats DATA.jsonl");
  }
  if (!a.dirs.empty() && a.teacher.empty()) {
    throw Error(kExitUsage, "unexpected " + a.dirs.front() + ": folders follow --harvest, or --teacher MODEL");
  }
  if (!a.teacher.empty()) {
    if (!a.model.empty()) throw Error(kExitUsage, "-m is for --stats; the teacher is --teacher MODEL");
    RunTeacher(a);
  } else if (!a.harvest.empty()) {
    if (!a.model.empty()) throw Error(kExitUsage, "-m is for --stats (token counts); --harvest runs no model");
    RunHarvest(a);
  } else {
    RunStats(a);
  }
}

}  // namespace

void AddDistillCommand(CLI::App& app) {
  auto args = std::make_shared<DistillArgs>();
  auto& o = args->options;
  o.threads = 0;
  CLI::App* cmd = app.add_subcommand("distill", "Training data for `scale train`: harvest documented code, describe a dataset");
  cmd->add_option("--harvest", args->harvest, "Directories whose documented routines become rows (docs/training.md)")
      ->expected(1, -1);
  cmd->add_option("--teacher", args->teacher,
                  "A larger model writes the comments of every routine in DIR... (resumable; docs/training.md)");
  cmd->add_option("dirs", args->dirs, "--teacher: the folders whose routines it documents");
  cmd->add_option("-P,--parallel", args->parallel, "--teacher: sequences decoded together (0 = the settings' default)");
  cmd->add_option("-c,--ctx-size", args->ctx_size, "--teacher: context tokens per sequence (0 = the settings' default)");
  cmd->add_option("--max-tokens", args->max_tokens, "--teacher: new tokens per answer at most")->capture_default_str();
  cmd->add_option("--stats", args->stats, "Describe a JSONL dataset: rows, split, files, languages, lengths");
  cmd->add_option("-o,--out", args->out, "Output JSONL for --harvest (written atomically)");
  cmd->add_option("--config", args->config, "scale-cfg directory with comment.txt and the language templates");
  cmd->add_option("--holdout", o.holdout, "Fraction of files held out for evaluation")->capture_default_str();
  cmd->add_option("--seed", o.seed, "Seed of the by-file held-out split")->capture_default_str();
  cmd->add_option("--min-chars", o.min_chars, "Drop comments shorter than this (bytes of prose)")->capture_default_str();
  cmd->add_option("--max-chars", o.max_chars, "Drop comments longer than this (bytes of prose)")->capture_default_str();
  cmd->add_option("--max-routine-chars", o.max_routine_chars, "Drop routines whose shown code is longer than this")
      ->capture_default_str();
  cmd->add_option("-t,--threads", o.threads, "Files harvested at once (0 = every core); the output is the same")
      ->capture_default_str();
  cmd->add_option("-m,--model", args->model, "--stats: count tokens with this model's tokenizer (else characters)");
  cmd->add_flag("--force", args->force, "Replace an existing output file");
  cmd->add_flag("--json", args->json, "Print the report as JSON");
  cmd->add_flag("-q,--quiet", args->quiet, "Only the result and errors");
  cmd->add_flag("-v,--verbose", args->verbosity, "Also files that could not be parsed");
  cmd->callback([args] { Run(*args); });
}

}  // namespace scale::cli
