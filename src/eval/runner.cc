#include "eval/runner.h"

#include <fstream>
#include <memory>
#include <optional>

#include <xxhash.h>

#include "util/error.h"
#include "util/log.h"
#include "util/progress.h"

namespace scale::eval {

nlohmann::json RowToJson(const RowResult& row) {
  return nlohmann::json{{"index", row.index},
                        {"id", row.id},
                        {"language", row.language},
                        {"reference", row.reference},
                        {"prediction", row.prediction},
                        {"comment", row.comment},
                        {"answer", row.answer},
                        {"status", row.status},
                        {"finish", row.finish},
                        {"prompt_tokens", row.prompt_tokens},
                        {"completion_tokens", row.completion_tokens},
                        {"bleu", row.score.bleu},
                        {"rouge_l", row.score.rouge_l},
                        {"rouge_2", row.score.rouge_2},
                        {"length", row.score.length},
                        {"empty", row.score.empty},
                        {"failed", row.score.failed},
                        {"consistency", row.consistency_checked ? nlohmann::json(row.consistency) : nlohmann::json()}};
}

RowResult RowFromJson(const nlohmann::json& j) {
  RowResult r;
  r.index = j.at("index").get<size_t>();
  r.id = j.at("id").get<std::string>();
  r.language = j.at("language").get<std::string>();
  r.reference = j.at("reference").get<std::string>();
  r.prediction = j.at("prediction").get<std::string>();
  r.comment = j.at("comment").get<std::string>();
  r.answer = j.at("answer").get<std::string>();
  r.status = j.at("status").get<std::string>();
  r.finish = j.at("finish").get<std::string>();
  r.prompt_tokens = j.at("prompt_tokens").get<int>();
  r.completion_tokens = j.at("completion_tokens").get<int>();
  r.score.bleu = j.at("bleu").get<double>();
  r.score.rouge_l = j.at("rouge_l").get<double>();
  r.score.rouge_2 = j.at("rouge_2").get<double>();
  r.score.length = j.at("length").get<int>();
  r.score.empty = j.at("empty").get<bool>();
  r.score.failed = j.at("failed").get<bool>();
  // null: not checkable; absent: written before the check existed (RunEval computes it).
  auto it = j.find("consistency");
  r.consistency_known = it != j.end();
  if (r.consistency_known && !it->is_null()) {
    r.consistency = it->get<std::vector<std::string>>();
    r.consistency_checked = true;
  }
  return r;
}

std::string ConfigHash(const std::vector<std::string>& parts) {
  XXH3_state_t* state = XXH3_createState();
  XXH3_64bits_reset(state);
  for (const std::string& p : parts) {
    uint64_t len = p.size();
    XXH3_64bits_update(state, &len, sizeof(len));
    XXH3_64bits_update(state, p.data(), p.size());
  }
  uint64_t h = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::map<size_t, RowResult> LoadResults(const std::filesystem::path& path, const std::string& config_hash) {
  std::map<size_t, RowResult> out;
  std::ifstream in(path);
  if (!in) return out;
  std::string line;
  while (std::getline(in, line)) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || j.value("config", "") != config_hash) continue;  // torn line or other config
    if (j.contains("kind")) continue;                                        // a judge's line (judge.h)
    try {
      RowResult r = RowFromJson(j);
      out[r.index] = std::move(r);
    } catch (const nlohmann::json::exception&) {
      continue;
    }
  }
  return out;
}

namespace {

void SetConsistency(const EvalRow& row, const RowPrompter& prompter, RowResult* r) {
  std::optional<std::vector<std::string>> ids;
  if (!r->comment.empty()) ids = prompter.Consistency(row, r->comment);
  r->consistency_checked = ids.has_value();
  r->consistency = ids ? std::move(*ids) : std::vector<std::string>{};
  r->consistency_known = true;
}

}  // namespace

RowResult MakeResult(const EvalRow& row, const engine::Response& response, const RowPrompter& prompter) {
  RowResult r;
  r.index = row.index;
  r.id = row.id;
  r.language = row.language;
  r.reference = row.reference;
  r.answer = response.text;
  r.finish = engine::FinishReasonName(response.finish);
  r.prompt_tokens = response.prompt_tokens;
  r.completion_tokens = response.completion_tokens;
  bool failed = !response.ok();
  if (failed) {
    r.status = "failed: " + r.finish + (response.error.empty() ? "" : ": " + response.error);
  } else {
    std::string problem;
    r.comment = prompter.Clean(row, response, &problem);
    r.status = problem.empty() ? "ok" : "rejected: " + problem;
    r.prediction = FirstParagraph(r.comment);
  }
  r.score = ScoreRow(r.reference, r.prediction, failed);
  SetConsistency(row, prompter, &r);
  return r;
}

std::vector<RowResult> RunEval(engine::Llm& llm, const std::vector<EvalRow>& rows, const RowPrompter& prompter,
                               const RunOptions& options, RunStats* stats) {
  std::map<size_t, RowResult> done = LoadResults(options.results_path, options.config_hash);
  std::vector<std::optional<RowResult>> results(rows.size());
  std::vector<size_t> todo;
  for (size_t i = 0; i < rows.size(); ++i) {
    auto it = done.find(rows[i].index);
    // A stored row is reused only when it was scored against the same reference.
    if (it != done.end() && it->second.reference == rows[i].reference) {
      results[i] = it->second;
      if (!results[i]->consistency_known) SetConsistency(rows[i], prompter, &*results[i]);
    } else {
      todo.push_back(i);
    }
  }
  if (stats) {
    stats->reused = rows.size() - todo.size();
    stats->requested = 0;
  }
  if (!todo.empty()) {
    std::error_code ec;
    if (options.results_path.has_parent_path()) std::filesystem::create_directories(options.results_path.parent_path(), ec);
    std::ofstream log(options.results_path, std::ios::app | std::ios::binary);
    if (!log) throw Error(kExitIo, "cannot write " + options.results_path.string());
    if (stats && stats->reused > 0) {
      LogInfo("resuming: " + std::to_string(stats->reused) + " of " + std::to_string(rows.size()) +
              " rows already in " + options.results_path.string());
    }
    Progress bar(options.label, todo.size(), options.progress && Progress::DefaultEnabled());
    std::vector<engine::Job> jobs(todo.size());
    for (size_t k = 0; k < todo.size(); ++k) {
      const EvalRow& row = rows[todo[k]];
      size_t slot = todo[k];
      jobs[k].make = [&prompter, &row]() -> std::optional<engine::Request> { return prompter.Build(row); };
      jobs[k].done = [&, slot](const engine::Response& response) {
        // A cancelled answer is not an outcome of this configuration: leave the row for the resume.
        if (response.finish == engine::FinishReason::kCancelled) return;
        RowResult r = MakeResult(rows[slot], response, prompter);
        nlohmann::json j = RowToJson(r);
        j["config"] = options.config_hash;
        log << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        log.flush();
        if (!log) throw Error(kExitIo, "cannot write " + options.results_path.string());
        bar.Advance(rows[slot].id, static_cast<uint64_t>(response.completion_tokens));
        results[slot] = std::move(r);
        if (stats) ++stats->requested;
      };
    }
    llm.RunJobs(jobs);
    bar.Finish();
  }
  std::vector<RowResult> out;
  out.reserve(rows.size());
  size_t missing = 0;
  for (auto& r : results) {
    if (r) {
      out.push_back(std::move(*r));
    } else {
      ++missing;
    }
  }
  if (missing > 0) {
    throw Error(kExitInterrupted, "interrupted: " + std::to_string(rows.size() - missing) + " of " +
                                      std::to_string(rows.size()) + " rows done; run the same command again to resume");
  }
  return out;
}

}  // namespace scale::eval
