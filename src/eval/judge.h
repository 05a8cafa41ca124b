// A reference-free judge (`scale eval --judge MODEL.gguf`): a second model reads each row's code and
// generated comment and grades accuracy, completeness and concision from 1 to 5 with the rubric in
// scale-cfg/judge.txt, answering in one strict line. Its answers are cached in the run's results
// log (keyed by the run's configuration, the judge's fingerprint and what was judged), so a rerun
// asks nothing again. A judge reads text only: it cannot run the code (docs/eval.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/llm.h"
#include "eval/consistency_score.h"
#include "eval/dataset.h"
#include "eval/runner.h"

namespace scale::eval {

struct JudgeScores {
  int accuracy = 0;
  int completeness = 0;
  int concision = 0;
  bool operator==(const JudgeScores&) const = default;
};

// Strict: after trimming whitespace (spaces, tabs, CR, LF) at both ends, the answer must be exactly
// "accuracy=A completeness=C concision=K": these keys in this order, one space between, each value
// one digit 1..5. Anything else (extra words, a period, other order, a missing or repeated key,
// 0, 6, "4.5", "04") is nullopt: an answer that ignores the format is not read by guessing.
std::optional<JudgeScores> ParseJudgeAnswer(std::string_view answer);

// scale-cfg/judge.txt: the system message (rubric and answer format), a line "[user]", then the
// user message with {language}, {code} and {comment} (each required, replaced once).
struct JudgePrompt {
  std::string system;
  std::string user;
};
JudgePrompt ParseJudgePrompt(std::string_view text, const std::string& where);  // throws Error(kExitUsage)
JudgePrompt LoadJudgePrompt(const std::filesystem::path& file);                 // throws Error(kExitUsage)

// Greedy, short: the answer is one line.
engine::SamplingParams JudgeSampling();

// Hash of the judge model (its engine fingerprint), the prompt and the sampling.
std::string JudgeFingerprint(engine::Llm& judge, const JudgePrompt& prompt);

// The request for one comment; the code's middle is elided when the whole prompt would not fit.
engine::Request JudgeRequest(engine::Llm& judge, const JudgePrompt& prompt, const std::string& language,
                             const std::string& code, const std::string& comment, double time_limit_s = 0);

// "judged" with the scores, "unparsable", or "failed: <finish>[: <error>]".
JudgeResult JudgeFromResponse(const engine::Response& response);

struct JudgeOptions {
  std::filesystem::path results_path;  // the run's results log
  std::string config_hash;             // the run's configuration (whose comments are judged)
  std::string label = "judge";
  bool progress = true;
  double time_limit_s = 0;
};
struct JudgeStats {
  size_t reused = 0;     // verdicts taken from the log
  size_t requested = 0;  // rows sent to the judge in this run
};

// Judges every row of `results` that has a comment (results[i] is rows[i]'s outcome), reusing
// verdicts in the log, appending new ones as they arrive, and sets results[i].judge. Throws
// Error(kExitInterrupted) when the judge was cancelled, kExitIo when the log cannot be written,
// kExitUsage when rows and results do not match.
void JudgeRows(engine::Llm& judge, const JudgePrompt& prompt, const std::vector<EvalRow>& rows,
               std::vector<RowResult>* results, const JudgeOptions& options, JudgeStats* stats = nullptr);

struct CriterionStat {
  std::string name;  // "accuracy", "completeness", "concision"
  double mean = 0;   // over judged rows
  double ci_low = 0, ci_high = 0;  // bootstrap percentile interval of the mean (95%)
};

// The judge against the consistency rules, over rows both judged and consistency-checked.
struct JudgeAgreement {
  size_t rows = 0;
  size_t pass = 0, fail = 0;                    // rows whose comment passes / fails the rules
  double accuracy_pass = 0, accuracy_fail = 0;  // mean judge accuracy of each (0 when none)
  // [judge accuracy >= 4][passes every rule]: table[1][1] both say good, table[0][0] both bad.
  size_t table[2][2] = {{0, 0}, {0, 0}};
  std::optional<double> kappa;           // Cohen's kappa of that table; nullopt when undefined
  std::optional<double> point_biserial;  // correlation of accuracy with passing; nullopt when undefined
};

struct JudgeSummary {
  size_t judged = 0, unparsable = 0, failed = 0;  // rows with a comment sent to the judge
  size_t not_judged = 0;                           // rows without a comment
  std::vector<CriterionStat> criteria;             // the three, in that order; empty when judged == 0
  JudgeAgreement agreement;
  int resamples = 1000;
  uint64_t seed = 20240601;
};
// nullopt when no row has a judge verdict (no --judge).
std::optional<JudgeSummary> SummarizeJudge(const std::vector<RowResult>& rows, int resamples = 1000,
                                           uint64_t seed = 20240601);
// Keys: judged, unparsable, failed, not_judged, bootstrap{resamples,seed}, criteria{<name>:{mean,
// ci_low,ci_high}}, agreement{rows,pass,fail,accuracy_pass,accuracy_fail,table{good_pass,good_fail,
// poor_pass,poor_fail},kappa,point_biserial} (null where undefined).
nlohmann::json JudgeJson(const JudgeSummary& summary);
std::string JudgeMarkdown(const JudgeSummary& summary);

// Per criterion ("judge_accuracy", ...): paired bootstrap over rows judged in both runs, ties
// counted; empty when no row was judged in both.
std::vector<PairedMetric> CompareJudge(const std::vector<RowResult>& a, const std::vector<RowResult>& b, int resamples,
                                       uint64_t seed);

}  // namespace scale::eval
