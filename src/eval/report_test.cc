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
  EXPECT_NE(md.find("| # | id | BLEU-4 | ROUGE-L | status | reference | prediction |"), std::string::npos);
  EXPECT_NE(md.find("| 1 | id\\|1 | 100.00 | 100.00 | ok | add | add |"), std::string::npos);  // pipes escaped
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
