// Comment consistency as an eval metric: each generated comment checked with consistency::Check
// against the routine its row's code parses into (the same rules `scale comment --consistency`
// applies), summarised as the share of comments that pass every rule and each rule on its own.
// Pure functions of the rows' code and comments: a results log without them gets them recomputed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "eval/dataset.h"
#include "eval/metrics.h"
#include "eval/runner.h"

namespace scale::eval {

// The rule ids consistency::Check finds in `comment` for the row's top-level routine, unique, in
// rule order (empty = consistent); nullopt when there is nothing to check (no comment, or the
// language's worker finds no routine in the code).
std::optional<std::vector<std::string>> CheckRowComment(const EvalRow& row, const std::string& comment);

struct ConsistencySummary {
  size_t checked = 0;    // rows whose comment was checked
  size_t unchecked = 0;  // rows without a comment or without a routine to check it against
  size_t passed = 0;     // checked rows with no finding
  struct RuleStat {
    std::string id;
    size_t failed = 0;  // checked rows with at least one finding of this rule
  };
  std::vector<RuleStat> rules;  // every consistency::Rules() rule, in its order (then any other id seen)
};
ConsistencySummary SummarizeConsistency(const std::vector<RowResult>& rows);

// Percentage (0-100) of `checked` rows that pass; 0 when none was checked.
double PassPercent(size_t passed, size_t checked);

// Keys: checked, unchecked, passed, pass_rate (0-100), rules{<id>: {failed, pass_rate}}.
nlohmann::json ConsistencyJson(const ConsistencySummary& summary);
// "Comment consistency: P of C checked comments (x%) pass every rule ..." and a per-rule table
// (| rule | fail | pass % |); "" when nothing was checked.
std::string ConsistencyMarkdown(const ConsistencySummary& summary);

// A paired comparison of one per-row value between two runs over the rows both could score.
struct PairedMetric {
  std::string metric;  // "consistency", "judge_accuracy", ...
  Difference d;
  size_t rows = 0;     // rows in the comparison
  size_t ties = 0;     // of those, rows where both runs got the same value
};

// Pass (100) / fail (0) per row over the rows checked in both runs, paired bootstrap; nullopt when
// no row was checked in both. Runs hold the same rows in the same order.
std::optional<PairedMetric> CompareConsistency(const std::vector<RowResult>& a, const std::vector<RowResult>& b,
                                               int resamples, uint64_t seed);

}  // namespace scale::eval
