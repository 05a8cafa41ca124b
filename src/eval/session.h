// One `scale eval` run end to end, minus the command line: rows + a model + prompts -> results log
// -> report. --compare runs several configurations over the same rows, one model loaded at a time.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "eval/config.h"
#include "eval/dataset.h"
#include "eval/report.h"
#include "eval/runner.h"

namespace scale::eval {

struct SessionOptions {
  std::string dataset_label;             // how reports name the data (the path as given)
  DatasetOptions data;                   // fields (part of the config hash)
  std::filesystem::path templates;       // scale-cfg directory
  engine::SamplingParams sampling;
  double time_limit_s = 0;
  bool progress = true;
};

// Hash of everything that changes a row's result: the engine's fingerprint (model, adapters,
// format), the prompts and sampling (CommentPrompter::Fingerprint) and the dataset fields.
std::string SessionHash(engine::Llm& llm, const RowPrompter& prompter, const DatasetOptions& data);

// SessionHash of the prompter EvaluateRows would build for these rows (names the default --out).
std::string RowsHash(engine::Llm& llm, const std::vector<EvalRow>& rows, const SessionOptions& options);

// Runs (or resumes) `rows` into results_dir/results.jsonl and returns the run's report (not
// written). `name` labels it; `config` is shown in the report.
RunReport EvaluateRows(engine::Llm& llm, const std::vector<EvalRow>& rows, const SessionOptions& options,
                       const std::string& name, nlohmann::json config, const std::filesystem::path& results_dir,
                       RunStats* stats = nullptr);

// The deterministic default --out: eval-out/<dataset stem>-<first 8 hex digits of hash>.
std::filesystem::path DefaultOutDir(const std::string& dataset_label, const std::string& hash);

// Opens the engine for one configuration (the CLI merges it with its model options; tests return
// a scripted fake). The SessionOptions passed in already carry the config's sampling/templates.
using LlmFactory = std::function<std::unique_ptr<engine::Llm>(const EvalConfig& config)>;

// The folder under the report directory where --compare keeps a configuration's run (its
// results.jsonl): the name with anything but letters, digits, '-' and '.' made '_'.
std::string ConfigDirName(const std::string& name);

// Evaluates every configuration in turn on the same rows (results in out_dir/<name>/results.jsonl,
// resumable per configuration) and compares each with the first. Names must be distinct.
CompareReport CompareConfigs(const std::vector<EvalConfig>& configs, const LlmFactory& open, const std::vector<EvalRow>& rows,
                             const SessionOptions& base, const std::filesystem::path& out_dir);

}  // namespace scale::eval
