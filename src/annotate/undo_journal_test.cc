// Tests of the undo journal (run directory, manifest, byte-for-byte restore, refusing changed files).
// The hash is injected; a simple stand-in is used here (the CLI tests cover SHA-256 end to end).
#include "annotate/undo_journal.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <functional>

#include "testing/exit_code.h"
#include "testing/temp_dir.h"
#include "util/error.h"
#include "util/fs.h"

namespace scale::annotate {
namespace {

using testing::ExitCodeOf;

std::string TestHash(std::string_view d) { return std::to_string(std::hash<std::string_view>{}(d)) + ":" + std::to_string(d.size()); }

// What a run does to each file it changes: journal the edit, then write it.
void Edit(UndoJournal& journal, const std::string& file, const std::string& before, const std::string& after) {
  journal.Record(file, before, after);
  WriteFileAtomic(file, after);
}

// Each test's files and its journal directory, removed afterwards.
class UndoJournalTest : public ::testing::Test {
 protected:
  // `scale undo [run] [--force]` against this test's journal.
  RestoreResult Undo(const std::string& run = "", bool force = false) const {
    return RestoreRun(root, run, force, TestHash);
  }

  testing::TempDir dir;
  const std::string root = dir.file("undo");
};

TEST_F(UndoJournalTest, RestoresByteForByte) {
  std::string original = "line\r\nno newline at end \xc3\xa9";
  std::string file = dir.Write("work/a.py", original);
  std::string id;
  {
    UndoJournal journal(root, TestHash);
    id = journal.run_id();
    Edit(journal, file, original, "changed");
    EXPECT_EQ(journal.Finish(), 1u);
  }
  auto runs = ListUndoRuns(root);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].id, id);
  EXPECT_FALSE(runs[0].restored);
  RestoreResult r = Undo();
  EXPECT_EQ(r.run_id, id);
  EXPECT_EQ(r.restored, std::vector<std::string>{std::filesystem::absolute(file).string()});
  EXPECT_EQ(ReadFile(file), original);
  EXPECT_TRUE(ListUndoRuns(root)[0].restored);
  // Nothing left to undo.
  std::string message;
  EXPECT_EQ(ExitCodeOf([&] { Undo(); }, &message), kExitWorkFailed);
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

TEST_F(UndoJournalTest, RefusesFilesChangedSinceTheRunUnlessForced) {
  std::string a = dir.Write("a.py", "A0"), b = dir.Write("b.py", "B0");
  UndoJournal journal(root, TestHash);
  Edit(journal, a, "A0", "A1");
  Edit(journal, b, "B0", "B1");
  journal.Finish();
  WriteFileAtomic(b, "B2 edited by the user");
  RestoreResult r = Undo(journal.run_id());
  ASSERT_EQ(r.refused.size(), 1u);
  EXPECT_NE(r.refused[0].find("changed since the run"), std::string::npos);
  EXPECT_TRUE(r.restored.empty());
  EXPECT_EQ(ReadFile(a), "A1");  // all or nothing
  r = Undo(journal.run_id(), true);
  EXPECT_EQ(r.restored.size(), 2u);
  EXPECT_EQ(ReadFile(a), "A0");
  EXPECT_EQ(ReadFile(b), "B0");
}

TEST_F(UndoJournalTest, NewestRunFirstAndUnknownIdIsUsageError) {
  std::string f = dir.Write("f.py", "v0");
  UndoJournal first(root, TestHash);
  Edit(first, f, "v0", "v1");
  UndoJournal second(root, TestHash);
  Edit(second, f, "v1", "v2");
  auto runs = ListUndoRuns(root);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].id, second.run_id());
  // Undo twice walks back through the runs.
  Undo();
  EXPECT_EQ(ReadFile(f), "v1");
  Undo();
  EXPECT_EQ(ReadFile(f), "v0");
  std::string message;
  EXPECT_EQ(ExitCodeOf([&] { Undo("no-such-run"); }, &message), kExitUsage);
  EXPECT_NE(message.find("no-such-run"), std::string::npos) << message;
}

TEST_F(UndoJournalTest, EmptyRunLeavesNoDirectory) {
  UndoJournal journal(root, TestHash);
  EXPECT_EQ(journal.Finish(), 0u);
  EXPECT_TRUE(ListUndoRuns(root).empty());
  for (const auto& e : std::filesystem::directory_iterator(root)) {
    EXPECT_FALSE(e.is_directory()) << "run directory left: " << e.path();
  }
}

// Item 7: a manifest this user did not write (planted or edited) is never restored from, even in
// the user's own journal directory, and the journal is private.
TEST_F(UndoJournalTest, ForgedOrEditedManifestsAreIgnored) {
  std::string victim = dir.Write("victim.py", "mine");
  {
    UndoJournal journal(root, TestHash);
    journal.Record(victim, "mine", "mine2");
    journal.Finish();
  }
  auto runs = ListUndoRuns(root);
  ASSERT_EQ(runs.size(), 1u);
  // Edit the real manifest to point its entry at another file: authentication fails.
  std::string manifest = (runs[0].dir / "manifest.json").string();
  std::string text = ReadFile(manifest);
  std::string target = dir.file("elsewhere.py");
  size_t at = text.find("\"path_hex\"");
  ASSERT_NE(at, std::string::npos);
  text.insert(text.find('\n') + 1, "");
  std::string forged = text;
  forged.replace(forged.find("\"restored\": false"), 17, "\"restored\": true ");
  WriteFileAtomic(manifest, forged, 0600);
  EXPECT_TRUE(ListUndoRuns(root).empty());
  // A planted run with a manifest in the old, unauthenticated form: ignored too.
  std::filesystem::create_directories(root + "/planted");
  WriteFileAtomic(root + "/planted/0001.orig", "attacker's bytes", 0600);
  WriteFileAtomic(root + "/planted/manifest.json",
                  "{\"run_id\":\"planted\",\"files\":[{\"path\":\"" + target +
                      "\",\"original_sha256\":\"x\",\"new_sha256\":\"y\",\"backup\":\"0001.orig\"}]}",
                  0600);
  EXPECT_TRUE(ListUndoRuns(root).empty());
  EXPECT_THROW(Undo(), Error);
  EXPECT_FALSE(std::filesystem::exists(target));
}

TEST_F(UndoJournalTest, BackupsArePrivateWhateverTheOriginalsMode) {
  std::string f = dir.Write("public.py", "v0");
  ASSERT_EQ(chmod(f.c_str(), 0644), 0);
  UndoJournal journal(root, TestHash);
  journal.Record(f, "v0", "v1");
  struct stat st;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    ASSERT_EQ(lstat(e.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 077, 0u) << e.path();
  }
  ASSERT_EQ(stat(root.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST_F(UndoJournalTest, ForgetLastDropsAnEntryThatWasNotWritten) {
  std::string a = dir.Write("a.py", "A0"), b = dir.Write("b.py", "B0");
  UndoJournal journal(root, TestHash);
  Edit(journal, a, "A0", "A1");
  journal.Record(b, "B0", "B1");
  journal.ForgetLast();  // b was edited meanwhile and left alone
  WriteFileAtomic(b, "B0 edited");
  EXPECT_EQ(journal.Finish(), 1u);
  RestoreResult r = Undo();
  EXPECT_EQ(r.restored.size(), 1u);
  EXPECT_EQ(ReadFile(a), "A0");
  EXPECT_EQ(ReadFile(b), "B0 edited");
}

TEST_F(UndoJournalTest, NonUtf8PathsRoundTripExactly) {
  std::string f = dir.Write("caf\xe9.py", "v0");
  {
    UndoJournal journal(root, TestHash);
    Edit(journal, f, "v0", "v1");
    journal.Finish();
  }
  auto runs = ListUndoRuns(root);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].files[0].path, std::filesystem::absolute(f));
  Undo();
  EXPECT_EQ(ReadFile(f), "v0");
}

TEST(UndoManifestTest, MalformedManifestsAreOneLineErrors) {
  for (std::string bad : {"", "[]", "{\"files\": 3}", "{\"run_id\": 1, \"files\": []}",
                          "{\"run_id\": \"r\", \"files\": [{\"path\": null}]}",
                          "{\"run_id\": \"r\", \"files\": [{\"path\": \"/a\", \"original_sha256\": \"x\", "
                          "\"new_sha256\": \"y\", \"backup\": \"../../etc/passwd\"}]}",
                          "{\"run_id\": \"r\", \"files\": [{\"path\": \"rel\", \"original_sha256\": \"x\", "
                          "\"new_sha256\": \"y\", \"backup\": \"0001.orig\"}]}"}) {
    try {
      ParseUndoManifest(bad, "/tmp/run");
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.exit_code(), kExitInput);
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace scale::annotate
