// The reference-free judge: strict answer parsing, the prompt file, judging rows with a scripted
// fake model (engine::FakeLlm: fixed answers, so means and counts are exact), the cache in the
// results log, the agreement with the consistency rules, and one run of the real tiny model
// (stories260K) through the `scale` binary as judge, which writes nonsense.
#include "eval/judge.h"

#include <cmath>
#include <fstream>

#include <gtest/gtest.h>

#include "testing/fake_llm.h"
#include "testing/openai_stub.h"
#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/error.h"
#include "util/fs.h"

namespace scale::eval {
namespace {

const std::filesystem::path kCfg = std::filesystem::path(SCALE_SOURCE_DIR) / "scale-cfg";

std::optional<JudgeScores> Parse(std::string_view s) { return ParseJudgeAnswer(s); }

TEST(ParseJudgeAnswer, TheOneLine) {
  EXPECT_EQ(Parse("accuracy=4 completeness=3 concision=5"), (JudgeScores{4, 3, 5}));
  EXPECT_EQ(Parse("accuracy=1 completeness=1 concision=1"), (JudgeScores{1, 1, 1}));
  EXPECT_EQ(Parse("accuracy=5 completeness=5 concision=5"), (JudgeScores{5, 5, 5}));
  // Whitespace around the line is not part of it (chat models often end with a newline).
  EXPECT_EQ(Parse("  accuracy=2 completeness=4 concision=3\r\n"), (JudgeScores{2, 4, 3}));
  EXPECT_EQ(Parse("\naccuracy=2 completeness=4 concision=3\n\n"), (JudgeScores{2, 4, 3}));
}

TEST(ParseJudgeAnswer, AnythingElseIsUnparsable) {
  for (const char* bad : {
           "",
           "accuracy=4 completeness=3 concision=5.",               // punctuation
           "Scores: accuracy=4 completeness=3 concision=5",        // text before
           "accuracy=4 completeness=3 concision=5\nBecause ...",   // text after
           "accuracy=0 completeness=3 concision=5",                // out of range
           "accuracy=6 completeness=3 concision=5",
           "accuracy=4 completeness=3 concision=10",
           "accuracy=04 completeness=3 concision=5",               // not one digit
           "accuracy=4.5 completeness=3 concision=5",
           "accuracy=-1 completeness=3 concision=5",
           "accuracy=4 completeness=3",                            // missing key
           "accuracy=4 completeness=3 concision=",                 // missing value
           "accuracy=4 accuracy=3 concision=5",                    // duplicated key
           "accuracy=4 completeness=3 concision=5 concision=5",
           "completeness=3 accuracy=4 concision=5",                // reordered: not the format
           "accuracy=4  completeness=3 concision=5",               // two spaces
           "accuracy=4\tcompleteness=3\tconcision=5",              // tabs between
           "accuracy = 4 completeness = 3 concision = 5",
           "Accuracy=4 Completeness=3 Concision=5",                // keys are lower case
           "accuracy:4 completeness:3 concision:5",
           "4 3 5",
       }) {
    EXPECT_FALSE(Parse(bad).has_value()) << bad;
  }
}

TEST(JudgePrompt, ShippedFileHasRubricAndPlaceholders) {
  JudgePrompt p = LoadJudgePrompt(kCfg / "judge.txt");
  for (const char* word : {"accuracy:", "completeness:", "concision:", "accuracy=N completeness=N concision=N"}) {
    EXPECT_NE(p.system.find(word), std::string::npos) << word;
  }
  EXPECT_EQ(p.system.find("[user]"), std::string::npos);
  for (const char* key : {"{language}", "{code}", "{comment}"}) EXPECT_NE(p.user.find(key), std::string::npos) << key;
}

TEST(JudgePrompt, BadFilesAreUsageErrors) {
  auto code = [](std::string_view text) {
    try {
      ParseJudgePrompt(text, "j.txt");
    } catch (const Error& e) {
      return e.exit_code();
    }
    return 0;
  };
  EXPECT_EQ(code("rubric\n[user]\n{language} {code} {comment}"), 0);
  EXPECT_EQ(code("rubric only, {language} {code} {comment}"), kExitUsage);    // no [user]
  EXPECT_EQ(code("[user]\n{language} {code} {comment}"), kExitUsage);         // no rubric
  EXPECT_EQ(code("rubric\n[user]\n{language} {code}"), kExitUsage);           // no {comment}
  EXPECT_EQ(code("rubric\r\n[user]\r\n{language} {code} {comment}\r\n"), 0);  // CRLF file
  testing::TempDir dir;
  try {
    LoadJudgePrompt(dir.file("missing.txt"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
  }
}

TEST(JudgeRequest, FillsTheTemplateOnceAndElidesLongCode) {
  JudgePrompt p = ParseJudgePrompt("RUBRIC\n[user]\nL={language}\n{code}\nC={comment}", "t");
  engine::FakeLlm fake([](const engine::Request&) { return std::string(); });
  // `{comment}` inside the code stays as written.
  engine::Request r = JudgeRequest(fake, p, "python", "def f():\n    return '{comment}'\n", "Return it.");
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0].content, "RUBRIC");
  EXPECT_EQ(r.messages[1].content, "L=python\ndef f():\n    return '{comment}'\n\nC=Return it.");
  EXPECT_EQ(r.sampling.temperature, 0.0f);
  EXPECT_EQ(r.sampling.max_tokens, JudgeSampling().max_tokens);
  std::string code = "def big():\n";
  for (int i = 0; i < 400; ++i) code += "    x" + std::to_string(i) + " = " + std::to_string(i) + "\n";
  engine::FakeLlm small([](const engine::Request&) { return std::string(); }, 512);
  engine::Request e = JudgeRequest(small, p, "python", code, "Make it big.");
  EXPECT_LE(small.CountPromptTokens(e.messages) + e.sampling.max_tokens, 512);
  EXPECT_NE(e.messages[1].content.find("def big():"), std::string::npos);
  EXPECT_NE(e.messages[1].content.find("lines elided"), std::string::npos);
}

// Rows whose comments tell the fake what to answer.
struct Fixture {
  std::vector<EvalRow> rows;
  std::vector<RowResult> results;
  void Add(const std::string& comment, std::optional<std::vector<std::string>> consistency) {
    EvalRow row;
    row.index = rows.size();
    row.id = "f" + std::to_string(row.index);
    row.language = "python";
    row.code = "def f" + std::to_string(row.index) + "(a):\n    \"\"\"SECRET.\"\"\"\n    return a\n";
    RowResult r;
    r.index = row.index;
    r.id = row.id;
    r.comment = comment;
    r.consistency_checked = consistency.has_value();
    if (consistency) r.consistency = *consistency;
    rows.push_back(row);
    results.push_back(r);
  }
};

// The answer is written in the comment after "say:".
std::string SayWhatTheCommentSays(const engine::Request& r) {
  const std::string& user = r.messages.back().content;
  size_t at = user.find("say:");
  if (at == std::string::npos) return "";
  size_t end = user.find('|', at);
  return user.substr(at + 4, end - at - 4);
}

Fixture Sample() {
  Fixture f;
  f.Add("Return a. say:accuracy=5 completeness=4 concision=5|", std::vector<std::string>{});
  f.Add("Return a. say:accuracy=4 completeness=3 concision=4\n|", std::vector<std::string>{});
  f.Add("Return b. say:accuracy=2 completeness=2 concision=3|", std::vector<std::string>{"param-unknown"});
  f.Add("Return b. say:accuracy=5 completeness=5 concision=5|", std::vector<std::string>{"param-unknown"});
  f.Add("Return a. say:Sure! accuracy=5 completeness=5 concision=5|", std::vector<std::string>{});
  f.Add("", std::nullopt);                           // rejected answer: no comment, not judged
  f.Add(std::string(20000, 'x'), std::nullopt);      // does not fit the judge's context: failed
  return f;
}

JudgeOptions Options(const testing::TempDir& dir) {
  JudgeOptions o;
  o.results_path = dir.file("results.jsonl");
  o.config_hash = "cfg";
  o.progress = false;
  return o;
}

TEST(JudgeRows, FixedAnswersGiveExactCountsAndMeans) {
  testing::TempDir dir;
  Fixture f = Sample();
  JudgePrompt prompt = LoadJudgePrompt(kCfg / "judge.txt");
  engine::FakeLlm fake(SayWhatTheCommentSays);
  JudgeStats stats;
  JudgeRows(fake, prompt, f.rows, &f.results, Options(dir), &stats);
  EXPECT_EQ(stats.requested, 6u);
  EXPECT_EQ(stats.reused, 0u);
  ASSERT_EQ(fake.requests().size(), 6u);
  EXPECT_EQ(fake.requests()[0].messages[1].content.find("SECRET"), std::string::npos);  // no reference shown
  EXPECT_NE(fake.requests()[0].messages[1].content.find("def f0(a):"), std::string::npos);
  EXPECT_EQ(f.results[0].judge.status, "judged");
  EXPECT_EQ(f.results[1].judge.completeness, 3);
  EXPECT_EQ(f.results[4].judge.status, "unparsable");
  EXPECT_EQ(f.results[4].judge.accuracy, 0);
  EXPECT_EQ(f.results[5].judge.status, "");
  EXPECT_EQ(f.results[6].judge.status, "failed: context_full: prompt does not fit the context");

  std::optional<JudgeSummary> s = SummarizeJudge(f.results);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->judged, 4u);
  EXPECT_EQ(s->unparsable, 1u);
  EXPECT_EQ(s->failed, 1u);
  EXPECT_EQ(s->not_judged, 1u);
  ASSERT_EQ(s->criteria.size(), 3u);
  EXPECT_EQ(s->criteria[0].name, "accuracy");
  EXPECT_DOUBLE_EQ(s->criteria[0].mean, 4.0);   // (5 + 4 + 2 + 5) / 4
  EXPECT_DOUBLE_EQ(s->criteria[1].mean, 3.5);   // (4 + 3 + 2 + 5) / 4
  EXPECT_DOUBLE_EQ(s->criteria[2].mean, 4.25);  // (5 + 4 + 3 + 5) / 4
  for (const CriterionStat& c : s->criteria) {
    EXPECT_LE(c.ci_low, c.mean) << c.name;
    EXPECT_GE(c.ci_high, c.mean) << c.name;
    EXPECT_GE(c.ci_low, 2.0) << c.name;  // an interval of means of scores in [2, 5]
    EXPECT_LE(c.ci_high, 5.0) << c.name;
  }
  EXPECT_LT(s->criteria[0].ci_low, s->criteria[0].ci_high);
  // Deterministic: the same rows give the same interval.
  EXPECT_EQ(SummarizeJudge(f.results)->criteria[0].ci_low, s->criteria[0].ci_low);

  // Agreement over the 4 judged + checked rows: pass {5, 4}, fail {2, 5}.
  const JudgeAgreement& a = s->agreement;
  EXPECT_EQ(a.rows, 4u);
  EXPECT_EQ(a.pass, 2u);
  EXPECT_EQ(a.fail, 2u);
  EXPECT_DOUBLE_EQ(a.accuracy_pass, 4.5);
  EXPECT_DOUBLE_EQ(a.accuracy_fail, 3.5);
  EXPECT_EQ(a.table[1][1], 2u);  // good and passes
  EXPECT_EQ(a.table[1][0], 1u);  // good, fails
  EXPECT_EQ(a.table[0][0], 1u);  // poor, fails
  EXPECT_EQ(a.table[0][1], 0u);
  // observed 3/4, expected 3/4 * 1/2 + 1/4 * 1/2 = 1/2: kappa = (0.75 - 0.5) / 0.5.
  ASSERT_TRUE(a.kappa.has_value());
  EXPECT_DOUBLE_EQ(*a.kappa, 0.5);
  // r = (4.5 - 3.5) / sd * sqrt(1/4), sd = sqrt(((5-4)^2 + 0 + (2-4)^2 + 1) / 4) = sqrt(1.5).
  ASSERT_TRUE(a.point_biserial.has_value());
  EXPECT_NEAR(*a.point_biserial, 0.5 / std::sqrt(1.5), 1e-12);

  nlohmann::json j = JudgeJson(*s);
  EXPECT_EQ(j["judged"], 4);
  EXPECT_EQ(j["unparsable"], 1);
  EXPECT_EQ(j["failed"], 1);
  EXPECT_EQ(j["not_judged"], 1);
  EXPECT_EQ(j["criteria"]["concision"]["mean"], 4.25);
  EXPECT_EQ(j["agreement"]["table"]["good_fail"], 1);
  EXPECT_EQ(j["agreement"]["kappa"], 0.5);
  std::string md = JudgeMarkdown(*s);
  EXPECT_NE(md.find("4 comments judged, 1 answers unparsable, 1 failed; 1 rows had no comment."), std::string::npos)
      << md;
  EXPECT_NE(md.find("| accuracy | 4.00 | ["), std::string::npos) << md;
  EXPECT_NE(md.find("mean accuracy 4.50 of the 2 that pass, 3.50 of the 2 that fail; Cohen's kappa 0.50"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| >= 4 | 2 | 1 |\n| <= 3 | 0 | 1 |\n"), std::string::npos) << md;
}

TEST(JudgeRows, RerunReusesTheLogAndRejudgesChangedComments) {
  testing::TempDir dir;
  Fixture f = Sample();
  JudgePrompt prompt = LoadJudgePrompt(kCfg / "judge.txt");
  engine::FakeLlm first(SayWhatTheCommentSays);
  JudgeRows(first, prompt, f.rows, &f.results, Options(dir));
  std::string log = ReadFile(dir.file("results.jsonl"));
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 6);

  Fixture again = Sample();
  engine::FakeLlm second([](const engine::Request&) { return std::string("accuracy=1 completeness=1 concision=1"); });
  JudgeStats stats;
  JudgeRows(second, prompt, again.rows, &again.results, Options(dir), &stats);
  EXPECT_EQ(second.requests().size(), 0u);
  EXPECT_EQ(stats.reused, 6u);
  EXPECT_EQ(again.results[0].judge.accuracy, 5);
  EXPECT_EQ(again.results[6].judge.status, f.results[6].judge.status);

  // Another comment for row 0 (the run regenerated it): only that row is asked again.
  again.results[0].comment = "Return a, differently.";
  JudgeRows(second, prompt, again.rows, &again.results, Options(dir), &stats);
  EXPECT_EQ(second.requests().size(), 1u);
  EXPECT_EQ(stats.requested, 1u);
  EXPECT_EQ(again.results[0].judge.accuracy, 1);

  // Another run configuration's comments are judged on their own.
  JudgeOptions other = Options(dir);
  other.config_hash = "cfg2";
  JudgeRows(second, prompt, again.rows, &again.results, other, &stats);
  EXPECT_EQ(stats.requested, 6u);

  // A torn last line is skipped.
  { std::ofstream(dir.file("results.jsonl"), std::ios::app) << "{\"kind\":\"judge\",\"config\":\"cfg\""; }
  JudgeRows(second, prompt, again.rows, &again.results, Options(dir), &stats);
  EXPECT_EQ(stats.requested, 0u);
}

TEST(JudgeRows, CancelledJudgeIsAnInterruption) {
  testing::TempDir dir;
  Fixture f = Sample();
  engine::FakeLlm* self = nullptr;
  engine::FakeLlm fake([&](const engine::Request& r) {
    if (self->requests().size() == 2) self->Cancel();
    return SayWhatTheCommentSays(r);
  });
  self = &fake;
  try {
    JudgeRows(fake, LoadJudgePrompt(kCfg / "judge.txt"), f.rows, &f.results, Options(dir));
    FAIL() << "expected an interruption";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitInterrupted);
  }
}

TEST(SummarizeJudge, NoVerdictNoSummaryAndUndefinedStatistics) {
  Fixture f = Sample();
  EXPECT_FALSE(SummarizeJudge(f.results).has_value());
  // Every judged comment passes the rules: kappa and r are undefined, not 0.
  f.results[0].judge = {"judged", "", 5, 5, 5};
  f.results[1].judge = {"judged", "", 3, 5, 5};
  std::optional<JudgeSummary> s = SummarizeJudge(f.results);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->not_judged, 5u);
  EXPECT_FALSE(s->agreement.point_biserial.has_value());
  ASSERT_TRUE(s->agreement.kappa.has_value());  // the judge varies: kappa is defined (0)
  EXPECT_DOUBLE_EQ(*s->agreement.kappa, 0.0);
  f.results[1].judge.accuracy = 5;
  EXPECT_FALSE(SummarizeJudge(f.results)->agreement.kappa.has_value());
  EXPECT_TRUE(JudgeJson(*SummarizeJudge(f.results))["agreement"]["kappa"].is_null());
  EXPECT_NE(JudgeMarkdown(*SummarizeJudge(f.results)).find("Cohen's kappa n/a, point-biserial r n/a"), std::string::npos);
}

TEST(CompareJudge, PairedOverRowsJudgedInBothWithTies) {
  auto judged = [](int acc, int com, int con) {
    RowResult r;
    r.judge = {"judged", "", acc, com, con};
    return r;
  };
  RowResult unparsable;
  unparsable.judge.status = "unparsable";
  std::vector<RowResult> a = {judged(5, 4, 3), judged(3, 3, 3), judged(2, 2, 2), unparsable};
  std::vector<RowResult> b = {judged(5, 5, 5), judged(4, 3, 1), RowResult{}, judged(5, 5, 5)};
  std::vector<PairedMetric> m = CompareJudge(a, b, 1000, 20240601);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].metric, "judge_accuracy");
  EXPECT_EQ(m[0].rows, 2u);
  EXPECT_EQ(m[0].ties, 1u);
  EXPECT_DOUBLE_EQ(m[0].d.diff, 0.5);  // (0 + 1) / 2
  EXPECT_EQ(m[1].metric, "judge_completeness");
  EXPECT_EQ(m[1].ties, 1u);
  EXPECT_DOUBLE_EQ(m[1].d.diff, 0.5);
  EXPECT_EQ(m[2].metric, "judge_concision");
  EXPECT_EQ(m[2].ties, 0u);
  EXPECT_DOUBLE_EQ(m[2].d.diff, 0.0);  // (+2 - 2) / 2
  EXPECT_TRUE(CompareJudge({unparsable}, {judged(1, 1, 1)}, 1000, 1).empty());
}

const std::string kRuby = std::string(SCALE_SHARED_DIR) + "/data/codexglue-ruby/test.jsonl";

// The real tiny model as judge: it writes stories, not scores. Every commented row must be counted
// (judged or unparsable: never guessed, never lost) and a rerun must ask nothing.
TEST(JudgeCli, RealTinyModelAsJudgeIsCountedNotGuessed) {
  testing::TempDir dir;
  std::vector<std::string> args = {"eval",  "-m",      testing::StoriesModel(), "--format", "raw", "--max-tokens",
                                   "16",    kRuby,     "--limit",               "4",        "--out", dir.file("out"),
                                   "--json", "--judge", testing::StoriesModel()};
  auto first = testing::RunScale(args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  nlohmann::json j = nlohmann::json::parse(first.out);
  size_t commented = 0;
  for (const auto& row : j["rows"]) {
    if (row["comment"].get<std::string>().empty()) {
      EXPECT_FALSE(row.contains("judge"));
      continue;
    }
    ++commented;
    const std::string status = row["judge"]["status"];
    EXPECT_TRUE(status == "judged" || status == "unparsable") << status;
  }
  const nlohmann::json& judge = j["summary"]["judge"];
  EXPECT_GT(commented, 0u);  // stories260K writes something for these rows: the count is not vacuous
  EXPECT_EQ(judge["judged"].get<size_t>() + judge["unparsable"].get<size_t>(), commented);
  EXPECT_EQ(judge["failed"], 0);
  EXPECT_EQ(judge["not_judged"].get<size_t>(), 4 - commented);
  EXPECT_EQ(j["summary"]["consistency"]["checked"].get<size_t>(), commented);  // every Ruby row parses
  EXPECT_NE(ReadFile(dir.file("out/report.md")).find("## Judge"), std::string::npos);
  auto second = testing::RunScale(args);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, first.out);
  EXPECT_NE(second.err.find("judge: 0 asked, " + std::to_string(commented) + " reused"), std::string::npos) << second.err;
}

// --compare judges each configuration's comments from its own results log and pairs the scores.
TEST(JudgeCli, CompareJudgesEveryConfiguration) {
  testing::TempDir dir;
  auto toml = [&](const std::string& name, int max_tokens) {
    return dir.Write(name + ".toml", "name = \"" + name + " run\"\nmodel = \"" + testing::StoriesModel() +
                                         "\"\nformat = \"raw\"\n[sampling]\nmax_tokens = " +
                                         std::to_string(max_tokens) + "\n");
  };
  std::vector<std::string> args = {"eval",  "--compare", toml("a", 16), toml("b", 12), kRuby, "--limit", "2",
                                   "--out", dir.file("out"), "--json", "--judge", testing::StoriesModel()};
  auto first = testing::RunScale(args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  nlohmann::json j = nlohmann::json::parse(first.out);
  for (const auto& config : j["configs"]) {
    const nlohmann::json& judge = config["summary"]["judge"];
    EXPECT_EQ(judge["judged"].get<size_t>() + judge["unparsable"].get<size_t>() + judge["not_judged"].get<size_t>(), 2u);
    EXPECT_EQ(judge["failed"], 0);
  }
  // Consistency is paired over the rows checked in both.
  size_t both = 0;
  for (const auto& row : j["rows"]) {
    both += !row["outputs"]["a run"]["consistency"].is_null() && !row["outputs"]["b run"]["consistency"].is_null();
  }
  ASSERT_GT(both, 0u);
  EXPECT_EQ(j["comparisons"][0]["metrics"]["consistency"]["rows"].get<size_t>(), both);
  // Both logs hold their configuration's verdicts: a rerun asks nothing.
  EXPECT_NE(ReadFile(dir.file("out/a_run/results.jsonl")).find("\"kind\":\"judge\""), std::string::npos);
  EXPECT_NE(ReadFile(dir.file("out/b_run/results.jsonl")).find("\"kind\":\"judge\""), std::string::npos);
  auto second = testing::RunScale(args);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, first.out);
  size_t asked = 0;
  for (size_t at = second.err.find("judge: 0 asked"); at != std::string::npos; at = second.err.find("judge: 0 asked", at + 1)) {
    ++asked;
  }
  EXPECT_EQ(asked, 2u) << second.err;
}

TEST(JudgeCli, ARemoteJudgeIsAnOpenAICompatibleServer) {
  // The judge is a scripted OpenAI-compatible stub (tests/testing/openai_stub.h): it grades every
  // comment the same, so the report's judge figures are known exactly.
  testing::OpenAIStub judge;
  judge.SetDefault(testing::OpenAIStub::Answer("accuracy=4 completeness=3 concision=5"));
  testing::TempDir dir;
  auto r = testing::RunScale({"eval", "-m", testing::StoriesModel(), "--format", "raw", "--max-tokens", "16", kRuby,
                              "--limit", "3", "--out", dir.file("out"), "--json", "--judge", judge.url()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  size_t commented = 0;
  for (const auto& row : j["rows"]) {
    if (row["comment"].get<std::string>().empty()) continue;
    ++commented;
    EXPECT_EQ(row["judge"]["status"], "judged") << row.dump();
  }
  EXPECT_GT(commented, 0u);
  EXPECT_EQ(j["summary"]["judge"]["judged"].get<size_t>(), commented);
  EXPECT_EQ(judge.requests("/v1/chat/completions").size(), commented);  // the evaluated model ran in-process

  auto bad = testing::RunScale({"eval", kRuby, "--judge", "http://127.0.0.1:8080,weight=zero"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
}

}  // namespace
}  // namespace scale::eval
