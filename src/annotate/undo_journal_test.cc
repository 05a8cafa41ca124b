// Tests of the undo journal (run directory, manifest, byte-for-byte restore, refusing changed files).
// The hash is injected; a simple stand-in is used here (the CLI tests cover SHA-256 end to end).
#include "annotate/undo_journal.h"

#include <gtest/gtest.h>

#include <functional>

#include "testing/temp_dir.h"
#include "util/error.h"
#include "util/fs.h"

namespace scale::annotate {
namespace {

std::string TestHash(std::string_view d) { return std::to_string(std::hash<std::string_view>{}(d)) + ":" + std::to_string(d.size()); }

TEST(UndoJournalTest, RestoresByteForByte) {
  testing::TempDir dir;
  std::string original = "line\r\nno newline at end \xc3\xa9";
  std::string file = dir.Write("work/a.py", original);
  std::string root = dir.file("undo");
  std::string id;
  {
    UndoJournal journal(root, TestHash);
    id = journal.run_id();
    journal.Record(file, original, "changed");
    WriteFileAtomic(file, "changed");
    EXPECT_EQ(journal.Finish(), 1u);
  }
  auto runs = ListUndoRuns(root);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].id, id);
  EXPECT_FALSE(runs[0].restored);
  RestoreResult r = RestoreRun(root, "", false, TestHash);
  EXPECT_EQ(r.run_id, id);
  EXPECT_EQ(r.restored, std::vector<std::string>{std::filesystem::absolute(file).string()});
  EXPECT_EQ(ReadFile(file), original);
  EXPECT_TRUE(ListUndoRuns(root)[0].restored);
  // Nothing left to undo.
  try {
    RestoreRun(root, "", false, TestHash);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitWorkFailed);
  }
}

TEST(UndoJournalTest, RefusesFilesChangedSinceTheRunUnlessForced) {
  testing::TempDir dir;
  std::string a = dir.Write("a.py", "A0"), b = dir.Write("b.py", "B0");
  std::string root = dir.file("undo");
  UndoJournal journal(root, TestHash);
  journal.Record(a, "A0", "A1");
  WriteFileAtomic(a, "A1");
  journal.Record(b, "B0", "B1");
  WriteFileAtomic(b, "B1");
  journal.Finish();
  WriteFileAtomic(b, "B2 edited by the user");
  RestoreResult r = RestoreRun(root, journal.run_id(), false, TestHash);
  ASSERT_EQ(r.refused.size(), 1u);
  EXPECT_NE(r.refused[0].find("changed since the run"), std::string::npos);
  EXPECT_TRUE(r.restored.empty());
  EXPECT_EQ(ReadFile(a), "A1");  // all or nothing
  r = RestoreRun(root, journal.run_id(), true, TestHash);
  EXPECT_EQ(r.restored.size(), 2u);
  EXPECT_EQ(ReadFile(a), "A0");
  EXPECT_EQ(ReadFile(b), "B0");
}

TEST(UndoJournalTest, NewestRunFirstAndUnknownIdIsUsageError) {
  testing::TempDir dir;
  std::string root = dir.file("undo");
  std::string f = dir.Write("f.py", "v0");
  UndoJournal first(root, TestHash);
  first.Record(f, "v0", "v1");
  WriteFileAtomic(f, "v1");
  UndoJournal second(root, TestHash);
  second.Record(f, "v1", "v2");
  WriteFileAtomic(f, "v2");
  auto runs = ListUndoRuns(root);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].id, second.run_id());
  // Undo twice walks back through the runs.
  RestoreRun(root, "", false, TestHash);
  EXPECT_EQ(ReadFile(f), "v1");
  RestoreRun(root, "", false, TestHash);
  EXPECT_EQ(ReadFile(f), "v0");
  try {
    RestoreRun(root, "no-such-run", false, TestHash);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
  }
}

TEST(UndoJournalTest, EmptyRunLeavesNoDirectory) {
  testing::TempDir dir;
  std::string root = dir.file("undo");
  UndoJournal journal(root, TestHash);
  EXPECT_EQ(journal.Finish(), 0u);
  EXPECT_TRUE(ListUndoRuns(root).empty());
  EXPECT_TRUE(std::filesystem::is_empty(root));
}

}  // namespace
}  // namespace scale::annotate
