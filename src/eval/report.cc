#include "eval/report.h"

#include <cmath>
#include <cstdio>

#include "util/error.h"
#include "util/format.h"
#include "util/fs.h"

namespace scale::eval {
namespace {

std::string Fixed(double v, int decimals = 2) { return FormatFixed(v, decimals); }

std::string Signed(double v) {
  if (std::fabs(v) < 0.005) v = 0;  // no "-0.00"
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%+.2f", v);
  return buf;
}

// A Markdown table cell: one line, pipes escaped, long text cut.
std::string Cell(const std::string& text, size_t max_bytes = 160) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') {
      out.push_back(' ');
    } else if (c == '|') {
      out += "\\|";
    } else {
      out.push_back(c);
    }
  }
  if (out.size() > max_bytes) {
    size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
    out = out.substr(0, cut) + "...";
  }
  return out;
}

nlohmann::json SummaryJson(const Summary& s) {
  return nlohmann::json{{"rows", s.rows},           {"bleu", s.bleu},   {"rouge_l", s.rouge_l},
                        {"rouge_2", s.rouge_2},     {"mean_length", s.mean_length},
                        {"empty", s.empty},         {"failed", s.failed}};
}

std::string SummaryRow(const std::string& name, const Summary& s) {
  return "| " + Cell(name) + " | " + std::to_string(s.rows) + " | " + Fixed(s.bleu) + " | " + Fixed(s.rouge_l) + " | " +
         Fixed(s.rouge_2) + " | " + Fixed(s.mean_length, 1) + " | " + std::to_string(s.empty) + " | " +
         std::to_string(s.failed) + " |\n";
}

nlohmann::json JudgeRowJson(const JudgeResult& v) {
  return {{"status", v.status},
          {"answer", v.answer},
          {"accuracy", v.accuracy},
          {"completeness", v.completeness},
          {"concision", v.concision}};
}

// The scores, then the consistency and (when judged) judge summaries.
nlohmann::json RunSummaryJson(const RunReport& report) {
  nlohmann::json j = SummaryJson(report.summary);
  j["consistency"] = ConsistencyJson(report.consistency);
  if (report.judge) j["judge"] = JudgeJson(*report.judge);
  return j;
}

// A row's consistency cell: "pass", the rule ids it breaks, or "" when not checked.
std::string RulesCell(const RowResult& row) {
  if (!row.consistency_checked) return "";
  if (row.consistency.empty()) return "pass";
  std::string out;
  for (const std::string& id : row.consistency) out += (out.empty() ? "" : ", ") + id;
  return out;
}

// "4/3/5" (accuracy/completeness/concision), "unparsable", "failed", or "".
std::string JudgeCell(const JudgeResult& v) {
  if (v.status == "judged") {
    return std::to_string(v.accuracy) + "/" + std::to_string(v.completeness) + "/" + std::to_string(v.concision);
  }
  return v.status.rfind("failed", 0) == 0 ? "failed" : v.status;
}

const char* kSummaryHeader =
    "| config | rows | BLEU-4 | ROUGE-L | ROUGE-2 | mean length | empty | failed |\n"
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";

std::string MetricLabel(const std::string& metric) {
  if (metric == "bleu") return "BLEU-4";
  if (metric == "rouge_l") return "ROUGE-L";
  if (metric == "rouge_2") return "ROUGE-2";
  if (metric == "length") return "mean length";
  if (metric == "consistency") return "consistency pass %";
  if (metric.rfind("judge_", 0) == 0) return "judge " + metric.substr(6);
  return metric;
}

// Per configuration: the consistency pass share, and the judge's means when judged.
std::string CompareExtrasMarkdown(const std::vector<RunReport>& runs) {
  std::string md;
  bool checked = false;
  bool judged = false;
  for (const auto& run : runs) {
    checked = checked || run.consistency.checked > 0;
    judged = judged || (run.judge && !run.judge->criteria.empty());
  }
  if (checked) {
    md += "\n| config | checked | pass every rule | pass % |\n| --- | ---: | ---: | ---: |\n";
    for (const auto& run : runs) {
      const ConsistencySummary& s = run.consistency;
      md += "| " + Cell(run.name) + " | " + std::to_string(s.checked) + " | " + std::to_string(s.passed) + " | " +
            Fixed(PassPercent(s.passed, s.checked), 1) + " |\n";
    }
  }
  if (judged) {
    md += "\n| config | judged | unparsable | failed | accuracy | completeness | concision |\n"
          "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n";
    for (const auto& run : runs) {
      if (!run.judge) continue;
      const JudgeSummary& j = *run.judge;
      md += "| " + Cell(run.name) + " | " + std::to_string(j.judged) + " | " + std::to_string(j.unparsable) + " | " +
            std::to_string(j.failed) + " |";
      for (size_t k = 0; k < 3; ++k) md += " " + (k < j.criteria.size() ? Fixed(j.criteria[k].mean) : "") + " |";
      md += "\n";
    }
  }
  return md;
}

}  // namespace

std::string DumpJson(const nlohmann::json& json) {
  return json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

RunReport MakeRunReport(std::string name, std::string dataset, std::string config_hash, nlohmann::json config,
                        std::vector<RowResult> rows) {
  RunReport r;
  r.name = std::move(name);
  r.dataset = std::move(dataset);
  r.config_hash = std::move(config_hash);
  r.config = std::move(config);
  r.rows = std::move(rows);
  UpdateSummaries(&r);
  return r;
}

void UpdateSummaries(RunReport* report) {
  std::vector<RowScore> scores;
  scores.reserve(report->rows.size());
  for (const auto& row : report->rows) scores.push_back(row.score);
  report->summary = Summarize(scores);
  report->consistency = SummarizeConsistency(report->rows);
  report->judge = SummarizeJudge(report->rows);
}

nlohmann::json RunJson(const RunReport& report) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : report.rows) {
    rows.push_back(RowToJson(row));
    if (!row.judge.status.empty()) rows.back()["judge"] = JudgeRowJson(row.judge);
  }
  nlohmann::json j{{"dataset", report.dataset},         {"name", report.name},
                   {"config_hash", report.config_hash}, {"config", report.config},
                   {"summary", RunSummaryJson(report)}, {"rows", rows}};
  if (report.unparsed >= 0) {
    j["summary"]["unparsed"] = report.unparsed;
    j["summary"]["parsed_with_errors"] = report.parsed_with_errors;
  }
  return j;
}

std::string RunMarkdown(const RunReport& report) {
  std::string md = "# scale eval: " + Cell(report.dataset) + "\n\n";
  md += "Smoothed sentence BLEU-4 as CodeXGLUE computes it, ROUGE-L and ROUGE-2 F1 (all x 100); mean length in "
        "BLEU tokens; empty = no usable prediction (includes failed).\n\n";
  md += kSummaryHeader;
  md += SummaryRow(report.name, report.summary);
  if (report.unparsed >= 0) {
    md += "\nRows the language worker could not parse (generic prompt layout): " + std::to_string(report.unparsed) +
          "; parsed with syntax errors: " + std::to_string(report.parsed_with_errors) + ".\n";
  }
  md += ConsistencyMarkdown(report.consistency);
  if (report.judge) md += JudgeMarkdown(*report.judge);
  const bool judged = report.judge.has_value();
  md += std::string("\n## Rows\n\n| # | id | BLEU-4 | ROUGE-L | status | rules |") + (judged ? " judge |" : "") +
        " reference | prediction |\n| ---: | --- | ---: | ---: | --- | --- |" + (judged ? " --- |" : "") +
        " --- | --- |\n";
  for (const auto& row : report.rows) {
    md += "| " + std::to_string(row.index) + " | " + Cell(row.id, 60) + " | " + Fixed(row.score.bleu) + " | " +
          Fixed(row.score.rouge_l) + " | " + Cell(row.status, 60) + " | " + Cell(RulesCell(row), 80) + " |" +
          (judged ? " " + JudgeCell(row.judge) + " |" : "") + " " + Cell(row.reference) + " | " +
          Cell(row.prediction) + " |\n";
  }
  return md;
}

CompareReport MakeCompareReport(std::string dataset, std::vector<RunReport> runs, int resamples, uint64_t seed) {
  if (runs.size() < 2) throw Error(kExitUsage, "--compare needs at least two configurations");
  for (const auto& run : runs) {
    if (run.rows.size() != runs[0].rows.size()) throw Error(kExitUsage, "compared runs hold different rows");
    for (size_t i = 0; i < run.rows.size(); ++i) {
      if (run.rows[i].index != runs[0].rows[i].index) throw Error(kExitUsage, "compared runs hold different rows");
    }
  }
  CompareReport report;
  report.dataset = std::move(dataset);
  report.resamples = resamples;
  report.seed = seed;
  report.runs = std::move(runs);
  for (size_t k = 1; k < report.runs.size(); ++k) {
    Comparison c;
    c.baseline = report.runs[0].name;
    c.candidate = report.runs[k].name;
    for (const std::string& metric : MetricNames()) {
      std::vector<double> a;
      std::vector<double> b;
      for (size_t i = 0; i < report.runs[0].rows.size(); ++i) {
        a.push_back(MetricValue(report.runs[0].rows[i].score, metric));
        b.push_back(MetricValue(report.runs[k].rows[i].score, metric));
      }
      c.metrics.emplace_back(metric, PairedBootstrap(a, b, resamples, seed));
    }
    const auto& base = report.runs[0].rows;
    const auto& cand = report.runs[k].rows;
    if (auto m = CompareConsistency(base, cand, resamples, seed)) c.paired.push_back(std::move(*m));
    for (PairedMetric& m : CompareJudge(base, cand, resamples, seed)) c.paired.push_back(std::move(m));
    report.comparisons.push_back(std::move(c));
  }
  return report;
}

nlohmann::json CompareJson(const CompareReport& report) {
  nlohmann::json configs = nlohmann::json::array();
  for (const auto& run : report.runs) {
    configs.push_back({{"name", run.name},
                       {"config_hash", run.config_hash},
                       {"config", run.config},
                       {"summary", RunSummaryJson(run)}});
  }
  nlohmann::json comparisons = nlohmann::json::array();
  for (const auto& c : report.comparisons) {
    nlohmann::json metrics = nlohmann::json::object();
    for (const auto& [metric, d] : c.metrics) {
      metrics[metric] = {{"a", d.mean_a}, {"b", d.mean_b}, {"diff", d.diff}, {"ci_low", d.ci_low}, {"ci_high", d.ci_high}};
    }
    for (const PairedMetric& m : c.paired) {
      const Difference& d = m.d;
      metrics[m.metric] = {{"a", d.mean_a},           {"b", d.mean_b},       {"diff", d.diff}, {"ci_low", d.ci_low},
                           {"ci_high", d.ci_high},    {"rows", m.rows},      {"ties", m.ties}};
    }
    comparisons.push_back({{"baseline", c.baseline}, {"candidate", c.candidate}, {"metrics", metrics}});
  }
  nlohmann::json rows = nlohmann::json::array();
  const auto& base = report.runs[0].rows;
  for (size_t i = 0; i < base.size(); ++i) {
    nlohmann::json outputs = nlohmann::json::object();
    for (const auto& run : report.runs) {
      const RowResult& r = run.rows[i];
      outputs[run.name] = {{"prediction", r.prediction}, {"status", r.status},   {"bleu", r.score.bleu},
                           {"rouge_l", r.score.rouge_l},  {"rouge_2", r.score.rouge_2}, {"length", r.score.length}};
      outputs[run.name]["consistency"] = r.consistency_checked ? nlohmann::json(r.consistency) : nlohmann::json();
      if (!r.judge.status.empty()) outputs[run.name]["judge"] = JudgeRowJson(r.judge);
    }
    rows.push_back({{"index", base[i].index}, {"id", base[i].id}, {"reference", base[i].reference}, {"outputs", outputs}});
  }
  return nlohmann::json{{"dataset", report.dataset},
                        {"bootstrap", {{"resamples", report.resamples}, {"seed", report.seed}, {"confidence", 0.95}}},
                        {"configs", configs},
                        {"comparisons", comparisons},
                        {"rows", rows}};
}

std::string CompareMarkdown(const CompareReport& report) {
  std::string md = "# scale eval --compare: " + Cell(report.dataset) + "\n\n" + kSummaryHeader;
  for (const auto& run : report.runs) md += SummaryRow(run.name, run.summary);
  md += CompareExtrasMarkdown(report.runs);
  for (const auto& c : report.comparisons) {
    md += "\n## " + Cell(c.candidate) + " vs " + Cell(c.baseline) + "\n\nPaired bootstrap, " +
          std::to_string(report.resamples) + " resamples, seed " + std::to_string(report.seed) +
          "; a difference whose 95% interval excludes 0 is unlikely to be noise.\n\n"
          "| metric | " + Cell(c.baseline) + " | " + Cell(c.candidate) + " | difference | 95% CI |\n"
          "| --- | ---: | ---: | ---: | --- |\n";
    for (const auto& [metric, d] : c.metrics) {
      md += "| " + MetricLabel(metric) + " | " + Fixed(d.mean_a) + " | " + Fixed(d.mean_b) + " | " + Signed(d.diff) +
            " | [" + Signed(d.ci_low) + ", " + Signed(d.ci_high) + "] |\n";
    }
    for (const PairedMetric& m : c.paired) {
      const Difference& d = m.d;
      md += "| " + MetricLabel(m.metric) + " (" + std::to_string(m.rows) + " rows, " + std::to_string(m.ties) +
            " ties) | " + Fixed(d.mean_a) + " | " + Fixed(d.mean_b) + " | " + Signed(d.diff) + " | [" +
            Signed(d.ci_low) + ", " + Signed(d.ci_high) + "] |\n";
    }
  }
  md += "\n## Rows\n\n| # | id | reference |";
  std::string align = "| ---: | --- | --- |";
  for (const auto& run : report.runs) {
    md += " " + Cell(run.name, 40) + " | BLEU-4 |";
    align += " --- | ---: |";
  }
  md += "\n" + align + "\n";
  const auto& base = report.runs[0].rows;
  for (size_t i = 0; i < base.size(); ++i) {
    md += "| " + std::to_string(base[i].index) + " | " + Cell(base[i].id, 60) + " | " + Cell(base[i].reference) + " |";
    for (const auto& run : report.runs) {
      md += " " + Cell(run.rows[i].prediction) + " | " + Fixed(run.rows[i].score.bleu) + " |";
    }
    md += "\n";
  }
  return md;
}

void WriteReportFiles(const std::filesystem::path& dir, const std::string& markdown, const nlohmann::json& json) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(kExitIo, "cannot create " + dir.string() + ": " + ec.message());
  WriteFileAtomic(dir / "report.md", markdown);
  WriteFileAtomic(dir / "report.json", DumpJson(json));
}

}  // namespace scale::eval
