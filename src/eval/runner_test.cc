// Unit tests of the eval runner with a scripted fake model (engine::FakeLlm): resume after an
// interruption, the config-hash key, torn log lines. Real generation is covered by e2e_test.cc.
#include "eval/runner.h"

#include <fstream>

#include <gtest/gtest.h>

#include "testing/fake_llm.h"
#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale::eval {
namespace {

// Request = the row's code; comment = the answer as is.
class EchoPrompter : public RowPrompter {
 public:
  engine::Request Build(const EvalRow& row) const override {
    engine::Request r;
    r.id = row.id;
    r.messages = {{engine::Role::kUser, row.code}};
    r.sampling.max_tokens = 16;
    return r;
  }
  std::string Clean(const EvalRow&, const engine::Response& response, std::string* problem) const override {
    if (response.text.empty()) *problem = "empty answer";
    return response.text;
  }
  std::string Fingerprint() const override { return "echo"; }
};

std::vector<EvalRow> Rows(size_t n) {
  std::vector<EvalRow> rows;
  for (size_t i = 0; i < n; ++i) {
    EvalRow r;
    r.index = i;
    r.id = "r" + std::to_string(i);
    r.language = "ruby";
    r.code = "def f" + std::to_string(i) + "; end";
    r.reference = "Returns value " + std::to_string(i) + ".";
    rows.push_back(r);
  }
  return rows;
}

std::string Answer(const engine::Request& r) { return "Returns value " + r.messages[0].content.substr(5, 1) + "."; }

// Options for a quiet run logging to dir/`file`, keyed by `config_hash`.
RunOptions Options(const testing::TempDir& dir, const std::string& file, const std::string& config_hash) {
  RunOptions options;
  options.results_path = dir.file(file);
  options.config_hash = config_hash;
  options.progress = false;
  return options;
}

// A complete run over Rows(n) with the right answers: the log then holds n results.
void CompleteRun(const RunOptions& options, size_t n) {
  EchoPrompter prompter;
  engine::FakeLlm fake(Answer);
  RunEval(fake, Rows(n), prompter, options);
}

TEST(RunEval, InterruptedRunResumesWithOnlyTheRemainingRows) {
  testing::TempDir dir;
  RunOptions options = Options(dir, "out/results.jsonl", "cfg1");
  std::vector<EvalRow> rows = Rows(6);
  EchoPrompter prompter;

  // First run: the fake cancels the engine (as Ctrl-C does) while answering the 3rd request.
  engine::FakeLlm* self = nullptr;
  engine::FakeLlm first([&](const engine::Request& r) {
    if (self->requests().size() == 3) self->Cancel();
    return Answer(r);
  });
  self = &first;
  try {
    RunEval(first, rows, prompter, options);
    FAIL() << "expected an interruption";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitInterrupted);
  }
  EXPECT_EQ(LoadResults(options.results_path, "cfg1").size(), 3u);

  // Second run: only rows 3..5 are asked for; the report has all six in order.
  engine::FakeLlm second(Answer);
  RunStats stats;
  std::vector<RowResult> results = RunEval(second, rows, prompter, options, &stats);
  std::vector<std::string> asked;
  for (const auto& r : second.requests()) asked.push_back(r.id);
  EXPECT_EQ(asked, (std::vector<std::string>{"r3", "r4", "r5"}));
  EXPECT_EQ(stats.reused, 3u);
  EXPECT_EQ(stats.requested, 3u);
  ASSERT_EQ(results.size(), 6u);
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(results[i].index, i);
    EXPECT_EQ(results[i].prediction, rows[i].reference);
    EXPECT_DOUBLE_EQ(results[i].score.bleu, 100.0);
  }

  // Third run: nothing left to ask.
  engine::FakeLlm third(Answer);
  RunEval(third, rows, prompter, options);
  EXPECT_TRUE(third.requests().empty());
}

TEST(RunEval, ResultsAreKeyedByConfigHash) {
  testing::TempDir dir;
  RunOptions options = Options(dir, "results.jsonl", "a");
  CompleteRun(options, 2);
  options.config_hash = "b";  // another model/prompt/sampling: nothing may be reused
  engine::FakeLlm two([](const engine::Request&) { return std::string("Something else."); });
  std::vector<RowResult> results = RunEval(two, Rows(2), EchoPrompter(), options);
  EXPECT_EQ(two.requests().size(), 2u);
  EXPECT_EQ(results[0].prediction, "Something else.");
  EXPECT_EQ(LoadResults(options.results_path, "a").size(), 2u);
  EXPECT_EQ(LoadResults(options.results_path, "b").size(), 2u);
}

TEST(RunEval, TornLinesAndChangedReferencesAreRedone) {
  testing::TempDir dir;
  RunOptions options = Options(dir, "results.jsonl", "h");
  CompleteRun(options, 3);
  {
    std::ofstream log(options.results_path, std::ios::app);
    log << R"({"config":"h","index":1,"id":"r1","lang)";  // a write cut short by a crash
  }
  std::vector<EvalRow> rows = Rows(3);
  rows[2].reference = "A new reference.";
  engine::FakeLlm two(Answer);
  std::vector<RowResult> results = RunEval(two, rows, EchoPrompter(), options);
  ASSERT_EQ(two.requests().size(), 1u);
  EXPECT_EQ(two.requests()[0].id, "r2");
  EXPECT_EQ(results[2].reference, "A new reference.");
}

TEST(RunEval, FailedAndRejectedAnswersAreCounted) {
  testing::TempDir dir;
  RunOptions options = Options(dir, "results.jsonl", "h");
  EchoPrompter prompter;
  // Context of 10 "tokens": row 0's request does not fit and comes back kContextFull.
  std::vector<EvalRow> rows = Rows(2);
  rows[0].code = std::string(200, 'x');
  engine::FakeLlm fake([](const engine::Request&) { return std::string(); }, 30);
  std::vector<RowResult> results = RunEval(fake, rows, prompter, options);
  EXPECT_TRUE(results[0].score.failed);
  EXPECT_EQ(results[0].status.rfind("failed: context_full", 0), 0u);
  EXPECT_FALSE(results[1].score.failed);
  EXPECT_TRUE(results[1].score.empty);
  EXPECT_EQ(results[1].status, "rejected: empty answer");
}

// EchoPrompter whose rules flag a comment mentioning "bogus", and count how often they ran.
class CheckingPrompter : public EchoPrompter {
 public:
  std::optional<std::vector<std::string>> Consistency(const EvalRow& row, const std::string& comment) const override {
    ++checks;
    if (row.id == "r1") return std::nullopt;  // as if its code held no routine
    if (comment.find("bogus") != std::string::npos) return std::vector<std::string>{"param-unknown"};
    return std::vector<std::string>{};
  }
  mutable int checks = 0;
};

TEST(RunEval, CommentsAreCheckedAndTheFindingsLogged) {
  testing::TempDir dir;
  RunOptions options = Options(dir, "results.jsonl", "h");
  std::vector<EvalRow> rows = Rows(4);
  CheckingPrompter prompter;
  // Row 0: consistent; row 1: nothing to check; row 2: a finding; row 3: rejected (no comment).
  engine::FakeLlm fake([](const engine::Request& r) -> std::string {
    if (r.id == "r2") return "Takes bogus.";
    return r.id == "r3" ? "" : "Fine.";
  });
  std::vector<RowResult> results = RunEval(fake, rows, prompter, options);
  EXPECT_EQ(prompter.checks, 3);  // never for a row without a comment
  EXPECT_TRUE(results[0].consistency_checked);
  EXPECT_EQ(results[0].consistency, std::vector<std::string>{});
  EXPECT_FALSE(results[1].consistency_checked);
  EXPECT_EQ(results[2].consistency, std::vector<std::string>{"param-unknown"});
  EXPECT_FALSE(results[3].consistency_checked);
  nlohmann::json j0 = RowToJson(results[0]);
  EXPECT_TRUE(j0["consistency"].is_array());
  EXPECT_TRUE(j0["consistency"].empty());
  EXPECT_TRUE(RowToJson(results[1])["consistency"].is_null());
  EXPECT_EQ(RowToJson(results[2])["consistency"], nlohmann::json::array({"param-unknown"}));

  // Read back from the log as they were written, without checking again.
  std::map<size_t, RowResult> loaded = LoadResults(options.results_path, "h");
  ASSERT_EQ(loaded.size(), 4u);
  EXPECT_TRUE(loaded[0].consistency_checked);
  EXPECT_FALSE(loaded[1].consistency_checked);
  EXPECT_EQ(loaded[2].consistency, std::vector<std::string>{"param-unknown"});
  CheckingPrompter again;
  engine::FakeLlm none([](const engine::Request&) { return std::string("asked"); });
  RunEval(none, rows, again, options);
  EXPECT_EQ(none.requests().size(), 0u);
  EXPECT_EQ(again.checks, 0);
}

TEST(RunEval, OlderLogWithoutFindingsIsCheckedWithoutTheModel) {
  testing::TempDir dir;
  RunOptions options = Options(dir, "results.jsonl", "h");
  {
    // A line as written before the consistency check existed (no "consistency" key).
    RowResult old;
    old.index = 0;
    old.id = "r0";
    old.language = "ruby";
    old.reference = Rows(1)[0].reference;
    old.comment = "Takes bogus.";
    old.prediction = old.comment;
    old.status = "ok";
    nlohmann::json j = RowToJson(old);
    j.erase("consistency");
    j["config"] = "h";
    std::ofstream(options.results_path) << j.dump() << "\n";
  }
  EXPECT_FALSE(LoadResults(options.results_path, "h")[0].consistency_known);
  CheckingPrompter prompter;
  engine::FakeLlm none([](const engine::Request&) { return std::string("asked"); });
  std::vector<RowResult> results = RunEval(none, Rows(1), prompter, options);
  EXPECT_EQ(none.requests().size(), 0u);
  EXPECT_EQ(prompter.checks, 1);
  EXPECT_TRUE(results[0].consistency_checked);
  EXPECT_EQ(results[0].consistency, std::vector<std::string>{"param-unknown"});
}

TEST(LoadResults, JudgeLinesAreNotRows) {
  testing::TempDir dir;
  RunOptions options = Options(dir, "results.jsonl", "h");
  CompleteRun(options, 1);
  // A line of another kind with the run's config and every answer key is still not an answer.
  RowResult other;
  other.prediction = "Not an answer.";
  nlohmann::json j = RowToJson(other);
  j["config"] = "h";
  j["kind"] = "judge";
  { std::ofstream(options.results_path, std::ios::app) << j.dump() << "\n"; }
  std::map<size_t, RowResult> loaded = LoadResults(options.results_path, "h");
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0].prediction, "Returns value 0.");
}

TEST(ConfigHash, PartBoundariesMatter) {
  EXPECT_EQ(ConfigHash({"ab", "c"}), ConfigHash({"ab", "c"}));
  EXPECT_NE(ConfigHash({"ab", "c"}), ConfigHash({"a", "bc"}));
  EXPECT_EQ(ConfigHash({}).size(), 16u);
}

}  // namespace
}  // namespace scale::eval
