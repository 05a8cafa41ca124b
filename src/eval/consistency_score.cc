#include "eval/consistency_score.h"

#include <algorithm>

#include "consistency/consistency.h"
#include "eval/routine_prompt.h"
#include "util/format.h"

namespace scale::eval {

std::optional<std::vector<std::string>> CheckRowComment(const EvalRow& row, const std::string& comment) {
  if (comment.empty()) return std::nullopt;
  ParsedRow parsed = ParseEvalRow(row);
  if (!parsed.file) return std::nullopt;
  std::vector<std::string> ids;
  for (const consistency::Finding& f : consistency::Check(parsed.file->language, parsed.routine(), comment)) {
    // Findings come in rule order, so a repeated rule is always adjacent.
    if (ids.empty() || ids.back() != f.rule) ids.push_back(f.rule);
  }
  return ids;
}

ConsistencySummary SummarizeConsistency(const std::vector<RowResult>& rows) {
  ConsistencySummary s;
  for (const consistency::Rule& rule : consistency::Rules()) s.rules.push_back({std::string(rule.id), 0});
  for (const RowResult& row : rows) {
    if (!row.consistency_checked) {
      ++s.unchecked;
      continue;
    }
    ++s.checked;
    if (row.consistency.empty()) ++s.passed;
    for (const std::string& id : row.consistency) {
      auto it = std::find_if(s.rules.begin(), s.rules.end(), [&](const auto& r) { return r.id == id; });
      // An id this build does not know: a log written by another version of the rules.
      if (it == s.rules.end()) it = s.rules.insert(s.rules.end(), {id, 0});
      ++it->failed;
    }
  }
  return s;
}

double PassPercent(size_t passed, size_t checked) {
  return checked == 0 ? 0.0 : 100.0 * static_cast<double>(passed) / static_cast<double>(checked);
}

nlohmann::json ConsistencyJson(const ConsistencySummary& s) {
  nlohmann::json rules = nlohmann::json::object();
  for (const auto& r : s.rules) {
    rules[r.id] = {{"failed", r.failed}, {"pass_rate", PassPercent(s.checked - r.failed, s.checked)}};
  }
  return {{"checked", s.checked},
          {"unchecked", s.unchecked},
          {"passed", s.passed},
          {"pass_rate", PassPercent(s.passed, s.checked)},
          {"rules", rules}};
}

std::string ConsistencyMarkdown(const ConsistencySummary& s) {
  if (s.checked == 0) return "";
  std::string md = "\n## Comment consistency\n\n" + std::to_string(s.passed) + " of " + std::to_string(s.checked) +
                   " checked comments (" + FormatFixed(PassPercent(s.passed, s.checked), 1) +
                   "%) pass every rule (docs/consistency.md); " + std::to_string(s.unchecked) +
                   " rows had no comment or no routine to check.\n\n| rule | fail | pass % |\n| --- | ---: | ---: |\n";
  for (const auto& r : s.rules) {
    md += "| " + r.id + " | " + std::to_string(r.failed) + " | " + FormatFixed(PassPercent(s.checked - r.failed, s.checked), 1) +
          " |\n";
  }
  return md;
}

std::optional<PairedMetric> CompareConsistency(const std::vector<RowResult>& a, const std::vector<RowResult>& b,
                                               int resamples, uint64_t seed) {
  PairedMetric m;
  m.metric = "consistency";
  std::vector<double> va;
  std::vector<double> vb;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (!a[i].consistency_checked || !b[i].consistency_checked) continue;
    va.push_back(a[i].consistency.empty() ? 100.0 : 0.0);
    vb.push_back(b[i].consistency.empty() ? 100.0 : 0.0);
    if (va.back() == vb.back()) ++m.ties;
  }
  if (va.empty()) return std::nullopt;
  m.rows = va.size();
  m.d = PairedBootstrap(va, vb, resamples, seed);
  return m;
}

}  // namespace scale::eval
