// HashRecord (util/hash_record.h): an append-only set of hashes that never throws.
#include "util/hash_record.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "testing/temp_dir.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace scale {
namespace {

TEST(HashRecordTest, AppendsAndReloads) {
  testing::TempDir dir("hashrecord");
  const std::string a = Sha256Hex("a"), b = Sha256Hex("b");
  {
    HashRecord r(dir.file("rec"), "test record");
    r.Add(a);
    r.Save();
  }
  {
    HashRecord r(dir.file("rec"), "test record");
    EXPECT_TRUE(r.Contains(a));
    r.Add(a);  // known: not appended twice
    r.Add(b);
    r.Save();
  }
  EXPECT_EQ(ReadFile(dir.file("rec")), a + "\n" + b + "\n");
  struct stat st {};
  ASSERT_EQ(stat(dir.file("rec").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(HashRecordTest, TornLinesAndJunkAreIgnored) {
  testing::TempDir dir("hashrecord");
  const std::string a = Sha256Hex("a"), b = Sha256Hex("b");
  dir.Write("rec", a + "\nnot a hash\n" + b.substr(0, 30));  // a crash mid-append
  HashRecord r(dir.file("rec"), "test record");
  EXPECT_TRUE(r.Contains(a));
  EXPECT_FALSE(r.Contains(b));
  EXPECT_FALSE(r.Contains("not a hash"));
}

TEST(HashRecordTest, NeverWritesThroughASymlinkAndNeverThrows) {
  testing::TempDir dir("hashrecord");
  dir.Write("target", "keep me\n");
  std::filesystem::create_symlink(dir.file("target"), dir.file("rec"));
  HashRecord r(dir.file("rec"), "test record");
  r.Add(Sha256Hex("a"));
  EXPECT_NO_THROW(r.Save());
  EXPECT_EQ(ReadFile(dir.file("target")), "keep me\n");
  HashRecord missing(dir.file("no/such/dir/rec"), "test record");
  missing.Add(Sha256Hex("a"));
  EXPECT_NO_THROW(missing.Save());
}

}  // namespace
}  // namespace scale
