// Runs evaluation rows through a model as one job graph and scores the answers. Each finished row is
// appended at once to a JSON-lines results log keyed by (config hash, row index), so an interrupted
// run continues where it stopped: rows already in the log for the same configuration are not asked
// again.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/llm.h"
#include "eval/dataset.h"
#include "eval/metrics.h"

namespace scale::eval {

// The reference-free judge's verdict on a row's comment (judge.h).
struct JudgeResult {
  // "judged", "unparsable" (the answer is not the one strict line), "failed: <finish>[: <error>]",
  // or "" when no judge ran or the row has no comment to judge.
  std::string status;
  std::string answer;  // the judge's raw answer
  int accuracy = 0, completeness = 0, concision = 0;  // 1..5 when judged, else 0
};

// One row's outcome, as stored in the results log and shown in reports.
struct RowResult {
  size_t index = 0;
  std::string id;
  std::string language;
  std::string reference;
  std::string answer;      // the model's raw answer
  std::string comment;     // the cleaned comment text ("" when the answer was rejected)
  std::string prediction;  // the scored text: FirstParagraph(comment)
  std::string status;      // "ok", "rejected: <why>" or "failed: <finish reason>[: <error>]"
  std::string finish;      // engine FinishReasonName
  int prompt_tokens = 0;
  int completion_tokens = 0;
  RowScore score;
  // Consistency rule ids the comment breaks (consistency_score.h): unique, in rule order, empty =
  // passes. Only meaningful when consistency_checked (a comment and a routine to check it against).
  std::vector<std::string> consistency;
  bool consistency_checked = false;
  bool consistency_known = true;  // false for a row read from a log written before the check existed
  JudgeResult judge;              // not in the results log's answer lines (judge.h keeps its own)
};
nlohmann::json RowToJson(const RowResult& row);
RowResult RowFromJson(const nlohmann::json& j);  // throws nlohmann::json::exception on bad input

// Turns a row into the model request and the answer into comment text; routine_prompt.h has the one
// that uses `scale comment`'s prompts. Fingerprint covers everything that changes requests.
class RowPrompter {
 public:
  virtual ~RowPrompter() = default;
  virtual engine::Request Build(const EvalRow& row) const = 0;
  // Comment text for the answer; sets *problem and returns "" when the answer is rejected.
  virtual std::string Clean(const EvalRow& row, const engine::Response& response, std::string* problem) const = 0;
  virtual std::string Fingerprint() const = 0;
  // The consistency rule ids `comment` breaks for the row's routine, or nullopt when the row has
  // nothing to check against (the default: no routine is known).
  virtual std::optional<std::vector<std::string>> Consistency(const EvalRow& row, const std::string& comment) const {
    (void)row;
    (void)comment;
    return std::nullopt;
  }
};

struct RunOptions {
  std::filesystem::path results_path;  // the JSONL log (created with its directory if missing)
  std::string config_hash;             // ConfigHash(...) of model + prompts + sampling + fields
  std::string label = "eval";          // progress bar label
  bool progress = true;                // draw a bar (only ever on a terminal)
};

// 16 hex digits of XXH3 over the parts (each length-prefixed, so part boundaries matter).
std::string ConfigHash(const std::vector<std::string>& parts);

// Rows of `path` recorded under `config_hash`, by index (later lines win; torn lines and the
// judge's lines are skipped).
std::map<size_t, RowResult> LoadResults(const std::filesystem::path& path, const std::string& config_hash);

struct RunStats {
  size_t reused = 0;     // rows taken from the log
  size_t requested = 0;  // rows sent to the model in this run
};

// Runs every row not yet in the log (as Llm::RunJobs jobs, so the engine decodes them in parallel
// when it can), appends each result as it arrives, and returns all rows' results in row order.
// Rows from a log older than the consistency check get it computed (no model needed).
// Throws Error(kExitInterrupted) when the engine was cancelled (what finished is kept), kExitIo when
// the log cannot be written.
std::vector<RowResult> RunEval(engine::Llm& llm, const std::vector<EvalRow>& rows, const RowPrompter& prompter,
                               const RunOptions& options, RunStats* stats = nullptr);

// Scores an answer into a RowResult (shared by RunEval and tests).
RowResult MakeResult(const EvalRow& row, const engine::Response& response, const RowPrompter& prompter);

}  // namespace scale::eval
