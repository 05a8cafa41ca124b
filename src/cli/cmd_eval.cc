// `scale eval`: comment quality on a code-to-text dataset (BLEU-4 as CodeXGLUE, ROUGE-L, ROUGE-2,
// comment consistency, optionally a judge model's grades), A/B comparisons of configurations with
// bootstrap intervals, and scoring of outside predictions.
// The work lives in src/eval; this file maps flags onto it. docs/eval.md has the details.
#include <cctype>
#include <cstdio>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "annotate/config.h"
#include "cli/commands.h"
#include "cli/cmd_eval_context.h"
#include "cli/model_options.h"
#include "cli/print.h"
#include "eval/config.h"
#include "eval/judge.h"
#include "eval/report.h"
#include "eval/score_file.h"
#include "eval/session.h"
#include "util/error.h"
#include "util/log.h"

namespace scale::cli {
namespace {

namespace fs = std::filesystem;

struct EvalArgs {
  ModelOptions model;
  std::string data;
  eval::DatasetOptions fields;
  std::string out;
  bool json = false;
  std::vector<std::string> configs;  // --config DIR (templates) or FILE.toml (configurations)
  std::vector<std::string> compare;  // --compare A.toml B.toml ...
  std::string templates;             // --templates DIR
  std::string score;                 // --score PRED.jsonl|PRED.txt
  std::string ref;                   // --ref GOLD.txt
  std::string judge;                 // --judge MODEL.gguf
};

// Prints the report: JSON as is with --json; else the Markdown up to the per-row section (the full
// report is in the files).
void Emit(const std::string& markdown, const nlohmann::json& json, bool as_json) {
  if (as_json) {
    PrintJson(json);
    return;
  }
  size_t rows = markdown.find("\n## Rows");
  std::string head = markdown.substr(0, rows == std::string::npos ? markdown.size() : rows + 1);
  std::fputs(head.c_str(), stdout);
}

void RunScore(const EvalArgs& args) {
  std::vector<eval::RowResult> rows;
  std::string label = args.score;
  if (!args.ref.empty()) {
    rows = eval::ScorePredictionPairs(args.score, args.ref);
    label += " vs " + args.ref;
  } else {
    if (fs::path(args.score).extension() == ".txt") {
      throw Error(kExitUsage, "--score with an idx<TAB>text file needs --ref GOLD.txt");
    }
    rows = eval::ScorePredictionsJsonl(args.score);
  }
  eval::RunReport report = eval::MakeRunReport("predictions", label, "", nlohmann::json::object(), std::move(rows));
  std::string md = eval::RunMarkdown(report);
  nlohmann::json json = eval::RunJson(report);
  if (!args.out.empty()) {
    eval::WriteReportFiles(args.out, md, json);
    LogInfo("report: " + (fs::path(args.out) / "report.md").string());
  }
  Emit(md, json, args.json);
}

// Model options of one configuration: the command line's, overridden by what the TOML sets.
ModelOptions MergeOptions(const ModelOptions& base, const eval::EvalConfig& c) {
  ModelOptions o = base;
  if (!c.model.empty()) o.Set("model", c.model);
  if (!c.loras.empty()) o.loras = c.loras;
  if (!c.format.empty()) o.Set("format", c.format);
  if (c.ctx_size > 0) o.Set("ctx_size", std::to_string(c.ctx_size));
  if (c.parallel > 0) o.Set("parallel", std::to_string(c.parallel));
  if (c.time_limit_s > 0) o.time_limit_s = c.time_limit_s;
  eval::ApplySampling(c, &o.sampling);
  return o;
}

// The judge model: the command line's engine options (threads, context, format ...) with its own
// model path and none of the main model's adapters.
std::unique_ptr<engine::Llm> OpenJudge(const EvalArgs& args) {
  ModelOptions o = args.model;
  o.backends.clear();
  o.flags.erase("model");
  // A URL is a server (with --backend's ,key=value options); anything else a GGUF file.
  if (args.judge.rfind("http://", 0) == 0 || args.judge.rfind("https://", 0) == 0) {
    o.backends.push_back(args.judge);
  } else {
    o.Set("model", args.judge);
  }
  o.loras.clear();
  o.lora_config.clear();
  return OpenLlm(o);
}

// Judges one run's comments (verdicts cached in its results log) and refreshes its summaries.
void JudgeRun(engine::Llm& judge, const eval::JudgePrompt& prompt, const std::vector<eval::EvalRow>& rows,
              const fs::path& results_log, const EvalArgs& args, eval::RunReport* report) {
  eval::JudgeOptions options;
  options.results_path = results_log;
  options.config_hash = report->config_hash;
  options.label = "judge " + report->name;
  options.progress = !args.model.quiet;
  options.time_limit_s = args.model.time_limit_s;
  eval::JudgeStats stats;
  eval::JudgeRows(judge, prompt, rows, &report->rows, options, &stats);
  eval::UpdateSummaries(report);
  LogInfo("judge: " + std::to_string(stats.requested) + " asked, " + std::to_string(stats.reused) + " reused");
}

// Fails fast, before any model is loaded, on a --judge that cannot be run.
void CheckJudgeArgs(const EvalArgs& args) {
  if (args.judge.empty()) return;
  if (!args.score.empty()) throw Error(kExitUsage, "--judge needs a dataset with code, not --score");
  if (args.judge.rfind("http://", 0) == 0 || args.judge.rfind("https://", 0) == 0) {
    settings::ParseBackendFlag(args.judge);  // a bad URL or option fails here, before any model loads
  }
}

nlohmann::json CommandLineConfig(const ModelOptions& o, const fs::path& templates) {
  const engine::EngineParams p = o.Explicit().params;
  nlohmann::json j = {{"model", o.Given("model")}, {"format", engine::ChatFormatName(p.format)}, {"templates", templates.string()}};
  if (!o.loras.empty()) j["lora"] = o.loras;
  if (p.ctx_size > 0) j["ctx_size"] = p.ctx_size;
  j["parallel"] = p.parallel;
  const auto& s = o.sampling;
  j["sampling"] = {{"temperature", s.temperature}, {"top_p", s.top_p},   {"top_k", s.top_k},
                   {"min_p", s.min_p},             {"repeat_penalty", s.repeat_penalty},
                   {"seed", s.seed},               {"max_tokens", s.max_tokens}};
  return j;
}

void Run(EvalArgs args) {
  CheckJudgeArgs(args);
  if (!args.score.empty()) {
    RunScore(args);
    return;
  }
  if (!args.ref.empty()) throw Error(kExitUsage, "--ref goes with --score");
  // `--compare A.toml B.toml DATA.jsonl`: the option takes every following word, give back the data.
  if (args.data.empty() && args.compare.size() > 2 && fs::path(args.compare.back()).extension() != ".toml") {
    args.data = args.compare.back();
    args.compare.pop_back();
  }
  if (args.data.empty()) throw Error(kExitUsage, "give a dataset (DATA.jsonl) or --score PRED");

  std::vector<std::string> tomls = args.compare;
  for (const std::string& c : args.configs) {
    std::error_code ec;
    if (fs::is_directory(c, ec)) {
      if (!args.templates.empty() && args.templates != c) throw Error(kExitUsage, "two template directories given");
      args.templates = c;
    } else {
      tomls.push_back(c);
    }
  }
  eval::SessionOptions session;
  session.dataset_label = args.data;
  session.data = args.fields;
  session.templates = annotate::FindConfigDir(args.templates);
  session.sampling = args.model.sampling;
  session.time_limit_s = args.model.time_limit_s;
  session.progress = !args.model.quiet;
  std::vector<eval::EvalRow> rows = eval::LoadDataset(args.data, args.fields);
  std::optional<eval::JudgePrompt> judge_prompt;
  if (!args.judge.empty()) judge_prompt = eval::LoadJudgePrompt(session.templates / "judge.txt");

  if (tomls.size() >= 2) {
    std::vector<eval::EvalConfig> configs;
    std::vector<std::string> hashes;
    for (const std::string& t : tomls) configs.push_back(eval::LoadEvalConfig(t));
    for (const auto& c : configs) hashes.push_back(eval::ConfigJson(c).dump());
    fs::path out = args.out.empty() ? fs::path(eval::DefaultOutDir(args.data, eval::ConfigHash(hashes)).string() + "-compare")
                                    : fs::path(args.out);
    std::unique_ptr<InterruptGuard> guard;
    eval::LlmFactory open = [&](const eval::EvalConfig& c) {
      guard.reset();
      std::unique_ptr<engine::Llm> llm = OpenLlm(MergeOptions(args.model, c));
      guard = std::make_unique<InterruptGuard>(llm.get());
      return llm;
    };
    eval::CompareReport report = eval::CompareConfigs(configs, open, rows, session, out);
    guard.reset();
    if (judge_prompt) {
      std::unique_ptr<engine::Llm> judge = OpenJudge(args);  // after the last configuration's model is gone
      InterruptGuard judge_guard(judge.get());
      for (eval::RunReport& run : report.runs) {
        JudgeRun(*judge, *judge_prompt, rows, out / eval::ConfigDirName(run.name) / "results.jsonl", args, &run);
      }
      report = eval::MakeCompareReport(report.dataset, std::move(report.runs), report.resamples, report.seed);
    }
    std::string md = eval::CompareMarkdown(report);
    nlohmann::json json = eval::CompareJson(report);
    eval::WriteReportFiles(out, md, json);
    LogInfo("report: " + (out / "report.md").string());
    Emit(md, json, args.json);
    return;
  }

  ModelOptions options = args.model;
  std::string name = options.Given("model").empty() ? "default model" : fs::path(options.Given("model")).filename().string();
  nlohmann::json config;
  if (tomls.size() == 1) {
    eval::EvalConfig c = eval::LoadEvalConfig(tomls[0]);
    options = MergeOptions(args.model, c);
    eval::ApplySampling(c, &session.sampling);
    if (!c.templates.empty()) session.templates = c.templates;
    if (c.time_limit_s > 0) session.time_limit_s = c.time_limit_s;
    name = c.name;
    config = eval::ConfigJson(c);
  }
  std::unique_ptr<engine::Llm> llm = OpenLlm(options);
  if (tomls.empty() && options.Given("model").empty()) name = llm->ModelName();  // the default model, or a server's
  if (tomls.empty()) config = CommandLineConfig(options, session.templates);
  auto guard = std::make_unique<InterruptGuard>(llm.get());
  fs::path out = args.out;
  if (out.empty()) {
    out = eval::DefaultOutDir(args.data, eval::RowsHash(*llm, rows, session));  // named after the configuration
  }
  eval::RunStats stats;
  eval::RunReport report = eval::EvaluateRows(*llm, rows, session, name, config, out, &stats);
  guard.reset();
  llm.reset();  // one model in memory at a time
  if (judge_prompt) {
    std::unique_ptr<engine::Llm> judge = OpenJudge(args);
    InterruptGuard judge_guard(judge.get());
    JudgeRun(*judge, *judge_prompt, rows, out / "results.jsonl", args, &report);
  }
  std::string md = eval::RunMarkdown(report);
  nlohmann::json json = eval::RunJson(report);
  eval::WriteReportFiles(out, md, json);
  LogInfo("report: " + (out / "report.md").string() + " (" + std::to_string(stats.requested) + " rows generated, " +
          std::to_string(stats.reused) + " reused)");
  Emit(md, json, args.json);
}

}  // namespace

void AddEvalCommand(CLI::App& app) {
  auto args = std::make_shared<EvalArgs>();
  auto* cmd = app.add_subcommand("eval", "score generated comments against references (BLEU-4, ROUGE-L, ROUGE-2)");
  cmd->footer(
      "Examples:\n"
      "  scale eval -m model.gguf data/codexglue-ruby/test.jsonl --limit 100\n"
      "  scale eval --compare base.toml lora.toml data/test.jsonl --limit 200\n"
      "  scale eval -m model.gguf data/test.jsonl --judge judge.gguf   (grades from a second model)\n"
      "  scale eval --score predictions.jsonl            (fields: prediction, reference)\n"
      "  scale eval --score test.output --ref test.gold  (CodeXGLUE idx<TAB>text files)\n"
      "  scale eval context -m model.gguf --text book.txt --lengths 1024,2048,4096\n"
      "Results are appended to OUT/results.jsonl as rows finish: run the same command again to resume.");
  AddModelOptions(cmd, &args->model);
  cmd->add_option("data", args->data, "JSON-lines dataset (CodeXGLUE code-to-text layout)");
  cmd->add_option("--limit", args->fields.limit, "first N rows only (0 = all)")->capture_default_str();
  cmd->add_option("--code-field", args->fields.code_field, "field holding the code")->capture_default_str();
  cmd->add_option("--ref-field", args->fields.ref_field,
                  "field holding the reference (its <field>_tokens, when present, is what is scored)")
      ->capture_default_str();
  cmd->add_option("--lang-field", args->fields.lang_field, "field holding the language")->capture_default_str();
  cmd->add_option("--language", args->fields.language, "language of every row (overrides --lang-field)");
  cmd->add_option("--out", args->out, "report directory (default: eval-out/<data>-<config hash>)");
  cmd->add_flag("--json", args->json, "print the JSON report on stdout");
  cmd->add_option("--config", args->configs,
                  "a scale-cfg DIRECTORY of prompts, or a configuration FILE.toml (repeat to compare)");
  cmd->add_option("--templates", args->templates, "scale-cfg directory with the prompts (default: as scale comment)");
  cmd->add_option("--compare", args->compare, "configuration TOML files to compare (the first is the baseline)")
      ->expected(2, -1);
  cmd->add_option("--score", args->score, "score predictions made elsewhere (.jsonl, or .txt with --ref)");
  cmd->add_option("--ref", args->ref, "CodeXGLUE gold file (idx<TAB>text) for --score PRED.txt");
  cmd->add_option("--judge", args->judge,
                  "a second model (MODEL.gguf, or a server URL[,key=value] as --backend takes) grades each "
                  "comment's accuracy, completeness and concision (scale-cfg/judge.txt)");
  AddEvalContextCommand(cmd);
  cmd->callback([args, cmd] {
    if (cmd->got_subcommand("context")) return;  // `scale eval context` did its own work
    Run(*args);
  });
}

}  // namespace scale::cli
