#include "distill/stats.h"

#include <gtest/gtest.h>

#include "distill/harvest.h"
#include "distill/test_tree.h"
#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale::distill {
namespace {

using testing::TempDir;

TEST(DataStats, CountsSplitsFilesLanguagesAndLengths) {
  TempDir dir("stats");
  const std::string rows =
      R"({"prompt": "p1", "answer": "abcd", "split": "train", "meta": {"from": "harvest", "root": "r", "source": "a.py", "language": "python", "template_sha256": "0123456789abcdef"}})"
      "\n\n"
      R"({"prompt": "p2", "answer": "abcdefghijklmnopqrstuvwxyz", "split": "eval", "meta": {"from": "harvest", "root": "r", "source": "b.c", "language": "c"}})"
      "\n"
      R"({"messages": [{"role": "user", "content": "héllo"}], "answer": "é"})"
      "\n";
  const DataStats s = ComputeStats(dir.Write("d.jsonl", rows), nullptr);
  EXPECT_EQ(s.unit, "characters");
  EXPECT_EQ(s.rows, 3);
  EXPECT_EQ(s.train_rows, 1);
  EXPECT_EQ(s.eval_rows, 1);
  EXPECT_EQ(s.unsplit_rows, 1);
  EXPECT_EQ(s.files, 2);
  EXPECT_EQ(s.train_files, 1);
  EXPECT_EQ(s.eval_files, 1);
  EXPECT_EQ(s.files_in_both, 0);
  EXPECT_EQ(s.rows_without_meta, 1);
  EXPECT_EQ(s.languages, (std::map<std::string, int>{{"c", 1}, {"python", 1}}));
  EXPECT_EQ(s.templates, (std::map<std::string, int>{{"0123456789ab", 1}}));
  EXPECT_EQ(s.answer_total, 4 + 26 + 1);  // characters, not bytes
  EXPECT_EQ(s.answer_max, 26);
  EXPECT_EQ(s.prompt_total, 2 + 2 + 5);
  ASSERT_EQ(s.histogram.size(), 3u);  // 0-7: 2 rows, 8-15: 0, 16-31: 1
  EXPECT_EQ(s.histogram[0].rows, 2);
  EXPECT_EQ(s.histogram[1].rows, 0);
  EXPECT_EQ(s.histogram[2].low, 16);
  EXPECT_EQ(s.histogram[2].rows, 1);
  const std::string text = StatsText(s);
  EXPECT_NE(text.find("rows: 3 (train 1, held out 1, no split 1)"), std::string::npos) << text;
  EXPECT_NE(text.find("      0-7      ######################################## 2"), std::string::npos) << text;
  EXPECT_EQ(StatsJson(s)["files_in_both_splits"], 0);
}

TEST(DataStats, BadLineNamesFileAndLine) {
  TempDir dir("stats");
  const std::string path = dir.Write("bad.jsonl", "{\"prompt\": \"p\", \"answer\": \"a\"}\n{\"prompt\": \"p\"}\n");
  try {
    ComputeStats(path, nullptr);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitInput);
    EXPECT_EQ(std::string(e.what()), path + ": line 2: missing \"answer\"");
  }
}

TEST(DataStats, OfAHarvest) {
  TempDir dir("stats");
  HarvestOptions o;
  o.config_dir = std::string(SCALE_SOURCE_DIR) + "/scale-cfg";
  o.holdout = 0.5;
  const Harvest h = HarvestRoots({testtree::Write(dir)}, o);
  const DataStats s = ComputeStats(dir.Write("h.jsonl", RowsJsonl(h.rows)), nullptr);
  EXPECT_EQ(s.rows, h.report.rows());
  EXPECT_EQ(s.eval_rows, h.report.eval_rows);
  EXPECT_EQ(s.files, 4);
  EXPECT_EQ(s.files_in_both, 0);
  EXPECT_EQ(s.origins, (std::map<std::string, int>{{"harvest", 8}}));
  EXPECT_EQ(s.roots, (std::map<std::string, int>{{"proj", 8}}));
  EXPECT_EQ(s.templates.size(), 3u) << "one per language";
}

}  // namespace
}  // namespace scale::distill
