// Comment consistency as an eval metric: per-row checks on hand-made rows (a hallucinated parameter,
// a consistent comment, rows with nothing to check), the summary, and the paired comparison.
#include "eval/consistency_score.h"

#include <gtest/gtest.h>

#include "consistency/consistency.h"

namespace scale::eval {
namespace {

using Ids = std::vector<std::string>;

EvalRow Row(const std::string& language, const std::string& code) {
  EvalRow r;
  r.id = "add";
  r.language = language;
  r.code = code;
  r.reference = "Add two numbers.";
  return r;
}

const char* kAdd = "def add(a, b):\n    return a + b\n";

TEST(CheckRowComment, HallucinatedParameterFailsParamUnknown) {
  auto ids = CheckRowComment(Row("python", kAdd),
                             "Add two numbers.\n\nArgs:\n    a: The first.\n    b: The second.\n    c: Invented.\n\n"
                             "Returns:\n    The sum.");
  ASSERT_TRUE(ids.has_value());
  EXPECT_EQ(*ids, Ids({"param-unknown"}));
}

TEST(CheckRowComment, ConsistentCommentPasses) {
  auto ids = CheckRowComment(Row("python", kAdd),
                             "Add two numbers.\n\nArgs:\n    a: The first.\n    b: The second.\n\nReturns:\n    The sum.");
  ASSERT_TRUE(ids.has_value());  // checked, and nothing found
  EXPECT_EQ(*ids, Ids{});
}

TEST(CheckRowComment, EachRuleOnceInRuleOrder) {
  // Two unknown names (one rule id), a missing b, and a Returns part on a procedure.
  auto ids = CheckRowComment(Row("python", "def show(a, b):\n    print(a, b)\n"),
                             "Show them.\n\nArgs:\n    a: One.\n    x: Two.\n    y: Three.\n\nReturns:\n    The count.");
  ASSERT_TRUE(ids.has_value());
  EXPECT_EQ(*ids, Ids({"param-unknown", "param-missing", "returns-void"}));
}

TEST(CheckRowComment, TheRowsOwnDocstringIsNotWhatIsChecked) {
  // The reference docstring documents `c`; the generated comment is checked against the code only.
  auto ids = CheckRowComment(Row("python", "def add(a, b):\n    \"\"\"Args:\n        c: old.\"\"\"\n    return a + b\n"),
                             "Add two numbers.\n\nArgs:\n    a: The first.\n    b: The second.\n\nReturns:\n    The sum.");
  ASSERT_TRUE(ids.has_value());
  EXPECT_EQ(*ids, Ids{});
}

TEST(CheckRowComment, NothingToCheck) {
  EXPECT_FALSE(CheckRowComment(Row("python", kAdd), "").has_value());                 // no comment
  EXPECT_FALSE(CheckRowComment(Row("perl", "sub add { $_[0] + $_[1] }"), "Add.").has_value());  // no worker
  EXPECT_FALSE(CheckRowComment(Row("python", "x = 1\n"), "Add.").has_value());        // no routine
}

RowResult Checked(Ids ids) {
  RowResult r;
  r.consistency_checked = true;
  r.consistency = std::move(ids);
  return r;
}

TEST(SummarizeConsistency, CountsPerRuleAndOverall) {
  std::vector<RowResult> rows = {Checked({}), Checked({"param-unknown"}), Checked({"param-unknown", "returns-void"}),
                                 RowResult{}};
  ConsistencySummary s = SummarizeConsistency(rows);
  EXPECT_EQ(s.checked, 3u);
  EXPECT_EQ(s.unchecked, 1u);
  EXPECT_EQ(s.passed, 1u);
  ASSERT_EQ(s.rules.size(), consistency::Rules().size());
  EXPECT_EQ(s.rules[0].id, "param-unknown");
  EXPECT_EQ(s.rules[0].failed, 2u);
  for (const auto& r : s.rules) {
    if (r.id == "returns-void") {
      EXPECT_EQ(r.failed, 1u);
    } else if (r.id != "param-unknown") {
      EXPECT_EQ(r.failed, 0u) << r.id;
    }
  }
  nlohmann::json j = ConsistencyJson(s);
  EXPECT_EQ(j["checked"], 3);
  EXPECT_EQ(j["unchecked"], 1);
  EXPECT_EQ(j["passed"], 1);
  EXPECT_NEAR(j["pass_rate"].get<double>(), 100.0 / 3, 1e-9);
  EXPECT_EQ(j["rules"]["param-unknown"]["failed"], 2);
  EXPECT_NEAR(j["rules"]["param-unknown"]["pass_rate"].get<double>(), 100.0 / 3, 1e-9);
  EXPECT_NEAR(j["rules"]["returns-void"]["pass_rate"].get<double>(), 200.0 / 3, 1e-9);
  EXPECT_EQ(j["rules"]["name-first"]["pass_rate"], 100.0);
  std::string md = ConsistencyMarkdown(s);
  EXPECT_NE(md.find("1 of 3 checked comments (33.3%) pass every rule"), std::string::npos) << md;
  EXPECT_NE(md.find("| rule | fail | pass % |"), std::string::npos) << md;
  EXPECT_NE(md.find("| param-unknown | 2 | 33.3 |\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| returns-void | 1 | 66.7 |\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| param-order | 0 | 100.0 |\n"), std::string::npos) << md;
}

TEST(SummarizeConsistency, UnknownRuleIdFromAnotherVersionIsKept) {
  ConsistencySummary s = SummarizeConsistency({Checked({"old-rule"})});
  ASSERT_EQ(s.rules.size(), consistency::Rules().size() + 1);
  EXPECT_EQ(s.rules.back().id, "old-rule");
  EXPECT_EQ(s.rules.back().failed, 1u);
  EXPECT_EQ(s.passed, 0u);
}

TEST(SummarizeConsistency, NothingCheckedHasNoMarkdown) {
  ConsistencySummary s = SummarizeConsistency({RowResult{}, RowResult{}});
  EXPECT_EQ(s.checked, 0u);
  EXPECT_EQ(s.unchecked, 2u);
  EXPECT_EQ(ConsistencyMarkdown(s), "");
  EXPECT_EQ(ConsistencyJson(s)["pass_rate"], 0.0);
}

TEST(CompareConsistency, OnlyRowsCheckedInBothCount) {
  std::vector<RowResult> a = {Checked({}), Checked({"param-unknown"}), Checked({}), RowResult{}};
  std::vector<RowResult> b = {Checked({}), Checked({}), RowResult{}, Checked({})};
  auto m = CompareConsistency(a, b, 1000, 20240601);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->metric, "consistency");
  EXPECT_EQ(m->rows, 2u);  // rows 0 and 1
  EXPECT_EQ(m->ties, 1u);  // row 0 passes in both
  EXPECT_DOUBLE_EQ(m->d.mean_a, 50.0);
  EXPECT_DOUBLE_EQ(m->d.mean_b, 100.0);
  EXPECT_DOUBLE_EQ(m->d.diff, 50.0);
  EXPECT_GE(m->d.ci_low, 0.0);
  EXPECT_LE(m->d.ci_high, 100.0);
  EXPECT_FALSE(CompareConsistency({Checked({})}, {RowResult{}}, 1000, 1).has_value());
}

}  // namespace
}  // namespace scale::eval
