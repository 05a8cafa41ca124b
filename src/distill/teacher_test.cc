// Unit tests of TeachRoots with a scripted FakeLlm (tests/testing/fake_llm.h) as the teacher: which
// routines are asked, what becomes a row, and the journal. The real model is in teacher_cli_test.
#include "distill/teacher.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "distill/test_tree.h"
#include "testing/fake_llm.h"
#include "testing/temp_dir.h"
#include "util/error.h"
#include "util/fs.h"

namespace scale::distill {
namespace {

HarvestOptions Options() {
  HarvestOptions o;
  o.config_dir = std::string(SCALE_SOURCE_DIR) + "/scale-cfg";
  o.holdout = 0;
  return o;
}

// Answers by routine: prose for most, code for `area`, boilerplate for `perimeter`.
std::string Script(const engine::Request& r) {
  if (r.id.find(":area") != std::string::npos && r.id.find("Circle") == std::string::npos) {
    return "return width * height";
  }
  if (r.id.find(":perimeter") != std::string::npos) return "TODO";
  return "Describe what " + r.id.substr(r.id.rfind(':') + 1) + " does, in one sentence of prose.";
}

TEST(Teacher, EveryRoutineIsAskedWithoutItsOwnCommentAndBadAnswersAreRejected) {
  testing::TempDir dir("teacher");
  dir.Write("proj/shapes.py", testtree::kShapes);
  engine::FakeLlm fake(Script);
  TeacherOptions to;
  to.journal = dir.file("out.jsonl.teacher-journal");
  const Teaching t = TeachRoots(fake, {dir.file("proj")}, Options(), to, nullptr);
  // shapes.py has 7 routines, one without a docstring: every one is asked, `area` without its own.
  ASSERT_EQ(fake.requests().size(), 7u);
  int area_requests = 0;
  for (const auto& r : fake.requests()) {
    if (r.id.size() < 5 || r.id.compare(r.id.size() - 5, 5, ":area") != 0) continue;
    ++area_requests;
    for (const auto& m : r.messages) {
      EXPECT_EQ(m.content.find("Return the area of a width by height rectangle."), std::string::npos) << r.id;
    }
    EXPECT_NE(r.messages.back().content.find("return width * height"), std::string::npos);
  }
  EXPECT_EQ(area_requests, 1);
  EXPECT_EQ(t.teacher.asked, 7);
  EXPECT_EQ(t.teacher.rejected.at("answer is code, not a comment"), 1);
  EXPECT_EQ(t.teacher.rejected.at("boilerplate"), 1);
  EXPECT_EQ(t.teacher.kept, 5);
  ASSERT_EQ(t.harvest.rows.size(), 5u);
  for (const auto& h : t.harvest.rows) {
    EXPECT_EQ(h.teacher, "fake");
    EXPECT_EQ(h.row.answer, "Describe what " + h.row.routine + " does, in one sentence of prose.");
    EXPECT_EQ(RowJson(h)["meta"]["from"], "teacher");
  }
  EXPECT_EQ(t.harvest.report.train_rows, 5);

  // A second run reads every settled answer (accepted or rejected) from the journal, asks nothing,
  // and gives the same rows.
  engine::FakeLlm again(Script);
  const Teaching t2 = TeachRoots(again, {dir.file("proj")}, Options(), to, nullptr);
  EXPECT_TRUE(again.requests().empty());
  EXPECT_EQ(t2.teacher.reused, 7);
  EXPECT_EQ(RowsJsonl(t2.harvest.rows), RowsJsonl(t.harvest.rows));

  // Another teacher (fingerprint) or other sampling is a different key: asked again.
  TeacherOptions hotter = to;
  hotter.sampling.temperature = 0.7f;
  engine::FakeLlm third(Script);
  TeachRoots(third, {dir.file("proj")}, Options(), hotter, nullptr);
  EXPECT_EQ(third.requests().size(), 7u);
}

TEST(Teacher, ATornJournalLineIsAskedAgain) {
  testing::TempDir dir("teacher");
  dir.Write("proj/shapes.py", testtree::kShapes);
  TeacherOptions to;
  to.journal = dir.file("j");
  engine::FakeLlm first(Script);
  const Teaching whole = TeachRoots(first, {dir.file("proj")}, Options(), to, nullptr);
  // Keep two whole lines and half of the third, as a kill mid-append would.
  const std::string journal = ReadFile(to.journal);
  size_t second_end = journal.find('\n', journal.find('\n') + 1) + 1;
  const size_t third_end = journal.find('\n', second_end);
  WriteFileAtomic(to.journal, journal.substr(0, second_end + (third_end - second_end) / 2));
  engine::FakeLlm resumed(Script);
  const Teaching t = TeachRoots(resumed, {dir.file("proj")}, Options(), to, nullptr);
  EXPECT_EQ(t.teacher.reused, 2);
  EXPECT_EQ(resumed.requests().size(), 5u);
  EXPECT_EQ(RowsJsonl(t.harvest.rows), RowsJsonl(whole.harvest.rows));
  // The journal's lines are whole again: the torn one was closed off before appending.
  const std::string after = ReadFile(to.journal);
  EXPECT_EQ(after.back(), '\n');
}

TEST(Teacher, ALinkAtTheJournalsNameIsRefusedAndItsTargetUntouched) {
  testing::TempDir dir("teacher");
  dir.Write("proj/shapes.py", testtree::kShapes);
  const std::string victim = dir.Write("victim.txt", "someone's file\n");
  std::filesystem::create_symlink(victim, dir.file("j"));
  TeacherOptions to;
  to.journal = dir.file("j");
  engine::FakeLlm fake(Script);
  try {
    TeachRoots(fake, {dir.file("proj")}, Options(), to, nullptr);
    ADD_FAILURE() << "a link at the journal's name was used";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitIo);
  }
  EXPECT_TRUE(fake.requests().empty());
  EXPECT_EQ(ReadFile(victim), "someone's file\n");
}

}  // namespace
}  // namespace scale::distill
