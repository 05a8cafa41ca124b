#include "eval/session.h"

#include <cctype>
#include <set>

#include "eval/routine_prompt.h"
#include "util/error.h"
#include "util/log.h"

namespace scale::eval {
namespace {

std::vector<std::string> Languages(const std::vector<EvalRow>& rows) {
  std::set<std::string> set;
  for (const auto& r : rows) set.insert(r.language);
  return {set.begin(), set.end()};
}

}  // namespace

std::string SessionHash(engine::Llm& llm, const RowPrompter& prompter, const DatasetOptions& data) {
  return ConfigHash({"scale-eval-v1", llm.Fingerprint(), prompter.Fingerprint(), data.code_field, data.ref_field,
                     data.lang_field, data.language});
}

std::string RowsHash(engine::Llm& llm, const std::vector<EvalRow>& rows, const SessionOptions& options) {
  CommentPrompter prompter(llm, options.templates, Languages(rows), options.sampling, options.time_limit_s);
  return SessionHash(llm, prompter, options.data);
}

RunReport EvaluateRows(engine::Llm& llm, const std::vector<EvalRow>& rows, const SessionOptions& options,
                       const std::string& name, nlohmann::json config, const std::filesystem::path& results_dir,
                       RunStats* stats) {
  CommentPrompter prompter(llm, options.templates, Languages(rows), options.sampling, options.time_limit_s);
  std::string hash = SessionHash(llm, prompter, options.data);
  RunOptions run;
  run.results_path = results_dir / "results.jsonl";
  run.config_hash = hash;
  run.label = name;
  run.progress = options.progress;
  std::vector<RowResult> results = RunEval(llm, rows, prompter, run, stats);
  RunReport report = MakeRunReport(name, options.dataset_label, hash, std::move(config), std::move(results));
  CommentPrompter::ParseCounts counts = prompter.CountParses(rows);
  report.unparsed = static_cast<long>(counts.unparsed);
  report.parsed_with_errors = static_cast<long>(counts.with_errors);
  return report;
}

std::filesystem::path DefaultOutDir(const std::string& dataset_label, const std::string& hash) {
  std::string stem = std::filesystem::path(dataset_label).stem().string();
  std::string parent = std::filesystem::path(dataset_label).parent_path().filename().string();
  std::string name = (parent.empty() ? "" : parent + "-") + (stem.empty() ? "data" : stem) + "-" + hash.substr(0, 8);
  return std::filesystem::path("eval-out") / name;
}

std::string ConfigDirName(const std::string& name) {
  std::string dir;
  for (char ch : name) dir.push_back(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '.' ? ch : '_');
  return dir;
}

CompareReport CompareConfigs(const std::vector<EvalConfig>& configs, const LlmFactory& open, const std::vector<EvalRow>& rows,
                             const SessionOptions& base, const std::filesystem::path& out_dir) {
  if (configs.size() < 2) throw Error(kExitUsage, "--compare needs at least two configurations");
  std::set<std::string> names;
  for (const auto& c : configs) {
    if (!names.insert(c.name).second) throw Error(kExitUsage, "two configurations are named \"" + c.name + "\"");
  }
  std::vector<RunReport> runs;
  for (const EvalConfig& config : configs) {
    SessionOptions options = base;
    ApplySampling(config, &options.sampling);
    if (!config.templates.empty()) options.templates = config.templates;
    if (config.time_limit_s > 0) options.time_limit_s = config.time_limit_s;
    LogInfo("evaluating " + config.name + " (" + config.source.string() + ")");
    std::unique_ptr<engine::Llm> llm = open(config);
    runs.push_back(EvaluateRows(*llm, rows, options, config.name, ConfigJson(config), out_dir / ConfigDirName(config.name)));
  }
  return MakeCompareReport(base.dataset_label, std::move(runs));
}

}  // namespace scale::eval
