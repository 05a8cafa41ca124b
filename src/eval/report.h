// Eval reports: one run (scale eval / --score) or a side-by-side comparison (--compare), as Markdown
// and as JSON with per-row outputs. Pure functions of their input: same rows, same bytes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "eval/consistency_score.h"
#include "eval/judge.h"
#include "eval/metrics.h"
#include "eval/runner.h"

namespace scale::eval {

struct RunReport {
  std::string name;         // configuration label ("model.gguf", the TOML's name, "predictions")
  std::string dataset;      // what was scored (file path as given)
  std::string config_hash;  // "" for --score
  nlohmann::json config = nlohmann::json::object();  // model, format, sampling, template dir ...
  std::vector<RowResult> rows;
  Summary summary;          // Summarize() of rows' scores
  // Rows the language's worker could not parse into a routine (they used the generic prompt
  // layout), and rows that parsed with syntax errors; -1 when not counted (--score).
  long unparsed = -1;
  long parsed_with_errors = -1;
  ConsistencySummary consistency;    // of rows' consistency findings
  std::optional<JudgeSummary> judge;  // when the rows were judged (--judge)
};

// Builds the summaries from the rows.
RunReport MakeRunReport(std::string name, std::string dataset, std::string config_hash, nlohmann::json config,
                        std::vector<RowResult> rows);
// Recomputes summary, consistency and judge from report->rows (after the rows were judged).
void UpdateSummaries(RunReport* report);

// Keys: dataset, name, config_hash, config, summary{rows,bleu,rouge_l,rouge_2,mean_length,empty,failed,
// unparsed?,parsed_with_errors?,consistency{...},judge?{...}} (consistency_score.h, judge.h), rows[]
// (RowToJson, plus judge{status,answer,accuracy,completeness,concision} when judged).
nlohmann::json RunJson(const RunReport& report);
// A summary table (| config | rows | BLEU-4 | ROUGE-L | ROUGE-2 | mean length | empty | failed |)
// then the consistency and judge sections, then a per-row table
// (| # | id | BLEU-4 | ROUGE-L | status | rules | [judge |] reference | prediction |).
std::string RunMarkdown(const RunReport& report);

struct Comparison {
  std::string baseline;   // runs[0].name
  std::string candidate;  // runs[k].name
  std::vector<std::pair<std::string, Difference>> metrics;  // MetricNames() order
  // Over the rows both runs could score: "consistency" (pass % of rows checked in both), then
  // "judge_accuracy", "judge_completeness", "judge_concision" (rows judged in both), when present.
  std::vector<PairedMetric> paired;
};

struct CompareReport {
  std::string dataset;
  std::vector<RunReport> runs;  // same rows, same order; runs[0] is the baseline
  std::vector<Comparison> comparisons;
  int resamples = 1000;
  uint64_t seed = 20240601;
};

// Paired bootstrap of every metric of every run against runs[0]. Throws Error(kExitUsage) when the
// runs do not hold the same rows.
CompareReport MakeCompareReport(std::string dataset, std::vector<RunReport> runs, int resamples = 1000,
                                uint64_t seed = 20240601);
// Keys: dataset, bootstrap{resamples,seed,confidence}, configs[{name,config_hash,config,summary}],
// comparisons[{baseline,candidate,metrics{bleu:{a,b,diff,ci_low,ci_high},...,consistency?:{...,rows,
// ties},judge_accuracy?:...}}], rows[{index,id,reference,outputs{<name>:{prediction,status,bleu,rouge_l,
// rouge_2,length,consistency,judge?}}}].
nlohmann::json CompareJson(const CompareReport& report);
std::string CompareMarkdown(const CompareReport& report);

// Writes report.md and report.json into dir (atomically; creates dir). Throws Error(kExitIo).
void WriteReportFiles(const std::filesystem::path& dir, const std::string& markdown, const nlohmann::json& json);

// JSON text as every report file and --json prints it (2-space indent, invalid UTF-8 replaced).
std::string DumpJson(const nlohmann::json& json);

}  // namespace scale::eval
