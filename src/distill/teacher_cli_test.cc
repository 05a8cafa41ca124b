// `scale distill --teacher` end to end with the REAL stories260K model as the teacher: every
// routine gets its answer (children's-story prose: what a 260K-parameter model writes), rows keep
// their provenance, and a run SIGKILLed after two answers resumes to the uninterrupted output.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "distill/test_tree.h"
#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/error.h"
#include "util/fs.h"

namespace scale::distill {
namespace {

namespace fs = std::filesystem;
using testing::RunScale;

TEST(TeacherCli, EveryRoutineIsAnsweredAndAKilledRunResumesToTheSameRows) {
  testing::TempDir dir("teacher-cli");
  dir.Write("proj/shapes.py", testtree::kShapes);
  // The prompt (comment.txt, the template, the routine) is ~2,900 of stories260K's byte-sized
  // tokens: a 4096 context (YaRN past its 2048). One sequence at a time: the same answers each run.
  auto flags = [&](const std::string& out) {
    return std::vector<std::string>{"distill", "--teacher", testing::StoriesModel(), dir.file("proj"), "-o", out,
                                    "-P", "1", "-c", "4096", "--max-tokens", "24", "--holdout", "0", "--json", "-q"};
  };
  const std::string whole_out = dir.file("whole.jsonl");
  auto whole = RunScale(flags(whole_out));
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const auto report = nlohmann::json::parse(whole.out);
  EXPECT_EQ(report["teacher"]["asked"], 7);
  EXPECT_EQ(report["teacher"]["model"], "stories260K.gguf");
  const int kept = report["teacher"]["kept"].get<int>();
  EXPECT_GT(kept, 0);
  const std::string rows = ReadFile(whole_out);
  EXPECT_EQ(std::count(rows.begin(), rows.end(), '\n'), kept);
  const auto first = nlohmann::json::parse(rows.substr(0, rows.find('\n')));
  EXPECT_EQ(first["meta"]["from"], "teacher");
  EXPECT_EQ(first["meta"]["teacher"], "stories260K.gguf");
  EXPECT_FALSE(first["answer"].get<std::string>().empty());
  EXPECT_EQ(first["meta"]["source_sha256"].get<std::string>().size(), 64u);
  EXPECT_FALSE(fs::exists(whole_out + ".teacher-journal")) << "the journal goes once the output is written";

  const std::string out = dir.file("killed.jsonl");
  auto killed = testing::RunScaleWith(flags(out), {{"SCALE_FAULT_KILL_AT", "2"}});
  ASSERT_EQ(killed.exit_code, 128 + 9) << killed.err;
  EXPECT_FALSE(fs::exists(out));
  const std::string journal = ReadFile(out + ".teacher-journal");
  EXPECT_EQ(std::count(journal.begin(), journal.end(), '\n'), 2);
  auto resumed = RunScale(flags(out));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  const auto again = nlohmann::json::parse(resumed.out);
  EXPECT_EQ(again["teacher"]["reused"], 2);
  EXPECT_EQ(again["teacher"]["asked"], 5);
  EXPECT_EQ(ReadFile(out), rows);
}

TEST(TeacherCli, BadUse) {
  testing::TempDir dir("teacher-cli");
  dir.Write("proj/a.py", "def f():\n    return 1\n");
  const std::string model = testing::StoriesModel();
  auto no_dirs = RunScale({"distill", "--teacher", model, "-o", dir.file("o.jsonl")});
  EXPECT_EQ(no_dirs.exit_code, kExitUsage);
  auto two_modes = RunScale({"distill", "--teacher", model, "--harvest", dir.file("proj"), "-o", dir.file("o.jsonl")});
  EXPECT_EQ(two_modes.exit_code, kExitUsage);
  auto stray = RunScale({"distill", "--harvest", dir.file("proj"), "-o", dir.file("o.jsonl"), "--", dir.file("proj")});
  EXPECT_EQ(stray.exit_code, kExitUsage);
  auto no_model = RunScale({"distill", "--teacher", dir.file("none.gguf"), dir.file("proj"), "-o", dir.file("o.jsonl")});
  EXPECT_EQ(no_model.exit_code, kExitModel);
  for (const auto& r : {no_dirs, two_modes, stray, no_model}) {
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  EXPECT_FALSE(fs::exists(dir.file("o.jsonl")));
}

}  // namespace
}  // namespace scale::distill
