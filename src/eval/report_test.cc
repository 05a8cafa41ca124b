// Report layout: Markdown table columns and JSON keys that scripts rely on.
#include "eval/report.h"

#include <gtest/gtest.h>

#include "testing/temp_dir.h"
#include "util/fs.h"

namespace scale::eval {
namespace {

RowResult Row(size_t i, const std::string& ref, const std::string& pred) {
  RowResult r;
  r.index = i;
  r.id = "id|" + std::to_string(i);
  r.reference = ref;
  r.prediction = pred;
  r.status = "ok";
  r.score = ScoreRow(ref, pred, false);
  return r;
}

RunReport Sample(const std::string& name, const std::string& pred1) {
  return MakeRunReport(name, "data/test.jsonl", "0123456789abcdef", {{"model", "m.gguf"}},
                       {Row(0, "Returns the sum of two integers", "Return the sum of two numbers"), Row(1, "add", pred1)});
}

TEST(RunReport, MarkdownColumnsAndJsonKeys) {
  RunReport r = Sample("m.gguf", "add");
  std::string md = RunMarkdown(r);
  EXPECT_NE(md.find("| config | rows | BLEU-4 | ROUGE-L | ROUGE-2 | mean length | empty | failed |"), std::string::npos);
  // (60.43 + 100) / 2 = 80.21; ROUGE-L (66.67 + 100) / 2 = 83.33; ROUGE-2 (60 + 0) / 2 = 30.
  EXPECT_NE(md.find("| m.gguf | 2 | 80.21 | 83.33 | 30.00 | 3.5 | 0 | 0 |"), std::string::npos);
  EXPECT_NE(md.find("| # | id | BLEU-4 | ROUGE-L | status | rules | reference | prediction |"), std::string::npos);
  EXPECT_NE(md.find("| 1 | id\\|1 | 100.00 | 100.00 | ok |  | add | add |"), std::string::npos);  // pipes escaped
  nlohmann::json j = RunJson(r);
  for (const char* key : {"dataset", "name", "config_hash", "config", "summary", "rows"}) EXPECT_TRUE(j.contains(key)) << key;
  for (const char* key : {"rows", "bleu", "rouge_l", "rouge_2", "mean_length", "empty", "failed"}) {
    EXPECT_TRUE(j["summary"].contains(key)) << key;
  }
  for (const char* key : {"index", "id", "reference", "prediction", "status", "bleu", "rouge_l", "rouge_2", "length"}) {
    EXPECT_TRUE(j["rows"][0].contains(key)) << key;
  }
  EXPECT_EQ(j["summary"]["rows"], 2);
  EXPECT_EQ(RunMarkdown(r), md);  // deterministic
  EXPECT_FALSE(j["summary"].contains("unparsed"));  // not counted (--score)
  EXPECT_EQ(md.find("could not parse"), std::string::npos);
  r.unparsed = 3;
  r.parsed_with_errors = 1;
  EXPECT_EQ(RunJson(r)["summary"]["unparsed"], 3);
  EXPECT_EQ(RunJson(r)["summary"]["parsed_with_errors"], 1);
  EXPECT_NE(RunMarkdown(r).find("Rows the language worker could not parse (generic prompt layout): 3; parsed with "
                                "syntax errors: 1."),
            std::string::npos);
}

TEST(CompareReport, SideBySideWithIntervals) {
  CompareReport c = MakeCompareReport("data/test.jsonl", {Sample("A", "add"), Sample("B", "nothing alike")});
  ASSERT_EQ(c.comparisons.size(), 1u);
  const Difference& bleu = c.comparisons[0].metrics[0].second;
  EXPECT_EQ(c.comparisons[0].metrics[0].first, "bleu");
  EXPECT_NEAR(bleu.diff, bleu.mean_b - bleu.mean_a, 1e-12);
  EXPECT_LE(bleu.ci_low, bleu.diff);
  EXPECT_GE(bleu.ci_high, bleu.diff);
  std::string md = CompareMarkdown(c);
  EXPECT_NE(md.find("| metric | A | B | difference | 95% CI |"), std::string::npos);
  EXPECT_NE(md.find("| # | id | reference | A | BLEU-4 | B | BLEU-4 |"), std::string::npos);
  nlohmann::json j = CompareJson(c);
  for (const char* key : {"dataset", "bootstrap", "configs", "comparisons", "rows"}) EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["bootstrap"]["resamples"], 1000);
  for (const char* key : {"a", "b", "diff", "ci_low", "ci_high"}) {
    EXPECT_TRUE(j["comparisons"][0]["metrics"]["rouge_l"].contains(key)) << key;
  }
  EXPECT_EQ(j["rows"][1]["outputs"]["B"]["prediction"], "nothing alike");
  EXPECT_EQ(j["configs"][1]["name"], "B");
}

RowResult Judged(RowResult r, std::vector<std::string> rules, int accuracy, int completeness, int concision) {
  r.consistency_checked = true;
  r.consistency = std::move(rules);
  r.judge = {"judged", "accuracy=...", accuracy, completeness, concision};
  return r;
}

// Three rows: one passes the rules, one breaks two, one was not checkable; two judged, one not.
RunReport Checked(const std::string& name, int accuracy1) {
  std::vector<RowResult> rows = {Judged(Row(0, "add", "add"), {}, 5, 4, 3),
                                 Judged(Row(1, "sub", "sub"), {"param-unknown", "returns-void"}, accuracy1, 2, 5),
                                 Row(2, "mul", "mul")};
  return MakeRunReport(name, "data/test.jsonl", "0123456789abcdef", {}, rows);
}

TEST(RunReport, ConsistencyAndJudgeSections) {
  RunReport r = Checked("m.gguf", 2);
  nlohmann::json j = RunJson(r);
  const nlohmann::json& c = j["summary"]["consistency"];
  EXPECT_EQ(c["checked"], 2);
  EXPECT_EQ(c["unchecked"], 1);
  EXPECT_EQ(c["passed"], 1);
  EXPECT_EQ(c["pass_rate"], 50.0);
  EXPECT_EQ(c["rules"]["returns-void"]["failed"], 1);
  const nlohmann::json& judge = j["summary"]["judge"];
  EXPECT_EQ(judge["judged"], 2);
  EXPECT_EQ(judge["not_judged"], 1);
  EXPECT_EQ(judge["criteria"]["accuracy"]["mean"], 3.5);
  EXPECT_EQ(j["rows"][1]["consistency"], nlohmann::json::array({"param-unknown", "returns-void"}));
  EXPECT_EQ(j["rows"][1]["judge"]["concision"], 5);
  EXPECT_TRUE(j["rows"][2]["consistency"].is_null());
  EXPECT_FALSE(j["rows"][2].contains("judge"));
  std::string md = RunMarkdown(r);
  EXPECT_NE(md.find("## Comment consistency\n\n1 of 2 checked comments (50.0%) pass every rule"), std::string::npos)
      << md;
  EXPECT_NE(md.find("## Judge\n\n2 comments judged"), std::string::npos) << md;
  EXPECT_LT(md.find("## Judge"), md.find("## Rows"));
  EXPECT_NE(md.find("| # | id | BLEU-4 | ROUGE-L | status | rules | judge | reference | prediction |"), std::string::npos);
  EXPECT_NE(md.find("| 0 | id\\|0 | 100.00 | 100.00 | ok | pass | 5/4/3 | add | add |"), std::string::npos) << md;
  EXPECT_NE(md.find("| ok | param-unknown, returns-void | 2/2/5 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 2 | id\\|2 | 100.00 | 100.00 | ok |  |  | mul | mul |"), std::string::npos) << md;

  // Judging after the fact: UpdateSummaries picks the verdicts up.
  RunReport plain = MakeRunReport("p", "d", "", {}, {Row(0, "a", "a")});
  EXPECT_FALSE(plain.judge.has_value());
  EXPECT_FALSE(RunJson(plain)["summary"].contains("judge"));
  EXPECT_EQ(RunMarkdown(plain).find("## Judge"), std::string::npos);
  EXPECT_EQ(RunMarkdown(plain).find("## Comment consistency"), std::string::npos);  // nothing checked
  plain.rows[0].judge.status = "unparsable";
  UpdateSummaries(&plain);
  ASSERT_TRUE(plain.judge.has_value());
  EXPECT_EQ(plain.judge->unparsable, 1u);
}

TEST(CompareReport, ConsistencyAndJudgeArePaired) {
  CompareReport c = MakeCompareReport("data/test.jsonl", {Checked("A", 2), Checked("B", 4)});
  ASSERT_EQ(c.comparisons.size(), 1u);
  const std::vector<PairedMetric>& paired = c.comparisons[0].paired;
  ASSERT_EQ(paired.size(), 4u);
  EXPECT_EQ(paired[0].metric, "consistency");
  EXPECT_EQ(paired[0].rows, 2u);
  EXPECT_EQ(paired[0].ties, 2u);
  EXPECT_DOUBLE_EQ(paired[0].d.diff, 0.0);
  EXPECT_EQ(paired[1].metric, "judge_accuracy");
  EXPECT_EQ(paired[1].rows, 2u);
  EXPECT_EQ(paired[1].ties, 1u);
  EXPECT_DOUBLE_EQ(paired[1].d.diff, 1.0);  // (0 + 2) / 2
  EXPECT_EQ(paired[3].metric, "judge_concision");
  nlohmann::json j = CompareJson(c);
  const nlohmann::json& m = j["comparisons"][0]["metrics"];
  EXPECT_EQ(m["judge_accuracy"]["ties"], 1);
  EXPECT_EQ(m["judge_accuracy"]["a"], 3.5);
  EXPECT_EQ(m["judge_accuracy"]["b"], 4.5);
  EXPECT_EQ(m["consistency"]["a"], 50.0);
  EXPECT_EQ(j["configs"][0]["summary"]["consistency"]["passed"], 1);
  EXPECT_EQ(j["rows"][1]["outputs"]["B"]["judge"]["accuracy"], 4);
  EXPECT_EQ(j["rows"][1]["outputs"]["A"]["consistency"], nlohmann::json::array({"param-unknown", "returns-void"}));
  std::string md = CompareMarkdown(c);
  EXPECT_NE(md.find("| config | checked | pass every rule | pass % |"), std::string::npos) << md;
  EXPECT_NE(md.find("| A | 2 | 1 | 50.0 |\n| B | 2 | 1 | 50.0 |\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| A | 2 | 0 | 0 | 3.50 | 3.00 | 4.00 |\n| B | 2 | 0 | 0 | 4.50 | 3.00 | 4.00 |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| consistency pass % (2 rows, 2 ties) | 50.00 | 50.00 | +0.00 | [+0.00, +0.00] |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| judge accuracy (2 rows, 1 ties) | 3.50 | 4.50 | +1.00 | ["), std::string::npos) << md;
  // Without checks or verdicts there is nothing extra.
  CompareReport plain = MakeCompareReport("d", {Sample("A", "add"), Sample("B", "x")});
  EXPECT_TRUE(plain.comparisons[0].paired.empty());
  EXPECT_EQ(CompareMarkdown(plain).find("pass every rule"), std::string::npos);
}

TEST(CompareReport, RunsMustHoldTheSameRows) {
  RunReport a = Sample("A", "add");
  RunReport b = Sample("B", "add");
  b.rows.pop_back();
  EXPECT_ANY_THROW(MakeCompareReport("d", {a, b}));
  EXPECT_ANY_THROW(MakeCompareReport("d", {a}));
}

TEST(WriteReportFiles, WritesBoth) {
  testing::TempDir dir;
  WriteReportFiles(dir.file("r"), "# md\n", {{"k", 1}});
  EXPECT_EQ(ReadFile(dir.file("r/report.md")), "# md\n");
  EXPECT_EQ(nlohmann::json::parse(ReadFile(dir.file("r/report.json")))["k"], 1);
}

}  // namespace
}  // namespace scale::eval
