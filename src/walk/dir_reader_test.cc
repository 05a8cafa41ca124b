// Reading without following links or blocking on special files, and bounded.
#include "walk/dir_reader.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "testing/temp_dir.h"

namespace scale::walk {
namespace {

namespace fs = std::filesystem;

TEST(DirReaderTest, ListsByNameWithLstatTypes) {
  testing::TempDir dir("dirrd-list");
  dir.Write("b.txt", "b");
  dir.Write("a/x", "x");
  fs::create_symlink("b.txt", dir.path() / "c");
  ASSERT_EQ(mkfifo((dir.path() / "d").c_str(), 0600), 0);
  DirHandle h = OpenDir(dir.path());
  ASSERT_GE(h.fd(), 0);
  std::vector<DirEntry> entries = ListDir(h.fd());
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].name, "a");
  EXPECT_EQ(entries[0].type, EntryType::kDir);
  EXPECT_EQ(entries[1].type, EntryType::kFile);
  EXPECT_EQ(entries[2].type, EntryType::kSymlink);
  EXPECT_EQ(entries[3].type, EntryType::kOther);
  EXPECT_LT(OpenChildDir(h.fd(), "c").fd(), 0);  // never through a link
}

TEST(DirReaderTest, ReadsAreBoundedAndRegularOnly) {
  testing::TempDir dir("dirrd-read");
  dir.Write("f", "0123456789");
  fs::create_symlink("f", dir.path() / "link");
  ASSERT_EQ(mkfifo((dir.path() / "fifo").c_str(), 0600), 0);
  DirHandle h = OpenDir(dir.path());
  std::string text;
  uint64_t size = 0;
  EXPECT_EQ(ReadRegularAt(h.fd(), "f", 100, false, &text, &size), ReadStatus::kOk);
  EXPECT_EQ(text, "0123456789");
  EXPECT_EQ(size, 10u);
  EXPECT_EQ(ReadRegularAt(h.fd(), "f", 4, false, &text), ReadStatus::kTooLarge);
  EXPECT_TRUE(text.empty());
  EXPECT_EQ(ReadRegularAt(h.fd(), "f", 4, true, &text), ReadStatus::kOk);
  EXPECT_EQ(text, "0123");
  EXPECT_EQ(ReadRegularAt(h.fd(), "link", 100, false, &text), ReadStatus::kNotRegular);
  EXPECT_EQ(ReadRegularAt(h.fd(), "fifo", 100, false, &text), ReadStatus::kNotRegular);  // no blocking
  EXPECT_EQ(ReadRegularAt(h.fd(), "nope", 100, false, &text), ReadStatus::kMissing);
  EXPECT_EQ(ReadRegularAt(AT_FDCWD, "/dev/zero", 100, false, &text), ReadStatus::kNotRegular);
}

}  // namespace
}  // namespace scale::walk
