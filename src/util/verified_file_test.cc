// The verified marker (FILE.verified): trusted exactly while the file is unchanged, never read
// through a symlink, and anything malformed counts as no marker.
#include "util/verified_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "testing/temp_dir.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace scale {
namespace {
namespace fs = std::filesystem;

TEST(VerifiedFileTest, TrustedWhileUnchangedRecordedAfterwards) {
  testing::TempDir dir;
  fs::path file = dir.Write("m.gguf", "model bytes");
  const std::string sha = Sha256Hex("model bytes");
  EXPECT_EQ(TrustedSha256(file), "");
  WriteVerifiedMarker(file, sha);
  EXPECT_EQ(TrustedSha256(file), sha);
  EXPECT_EQ(RecordedSha256(file), sha);
  // Same size, other bytes, written in place: mtime/ctime move, so the marker no longer vouches.
  {
    std::FILE* f = std::fopen(file.c_str(), "r+b");
    ASSERT_NE(f, nullptr);
    std::fputs("MODEL", f);
    std::fclose(f);
  }
  EXPECT_EQ(TrustedSha256(file), "");
  EXPECT_EQ(RecordedSha256(file), sha);
  // Even with the old mtime put back (touch -r), ctime has moved.
  fs::path twin = dir.Write("twin.gguf", "model bytes");
  WriteVerifiedMarker(twin, sha);
  auto mtime = fs::last_write_time(twin);
  {
    std::FILE* f = std::fopen(twin.c_str(), "r+b");
    std::fputs("MODEL", f);
    std::fclose(f);
  }
  fs::last_write_time(twin, mtime);
  EXPECT_EQ(TrustedSha256(twin), "");
}

TEST(VerifiedFileTest, MalformedOrSymlinkedMarkersCountAsNone) {
  testing::TempDir dir;
  fs::path file = dir.Write("m.gguf", "x");
  for (const char* junk : {"", "{", "[]", R"({"sha256": 5})", R"({"sha256": "abc", "dev": 1})", "null"}) {
    WriteFileAtomic(MarkerPath(file), junk);
    EXPECT_EQ(RecordedSha256(file), "") << junk;
  }
  fs::path other = dir.Write("other.gguf", "x");
  WriteVerifiedMarker(other, std::string(64, 'a'));
  fs::remove(MarkerPath(file));
  fs::create_symlink(MarkerPath(other), MarkerPath(file));
  EXPECT_EQ(RecordedSha256(file), "");
  RemoveVerifiedMarker(file);
  EXPECT_FALSE(fs::is_symlink(MarkerPath(file)));
  EXPECT_TRUE(fs::exists(MarkerPath(other)));
}

TEST(VerifiedFileTest, Sha256HexIsExactlySixtyFourLowercaseDigits) {
  EXPECT_TRUE(IsSha256Hex(std::string(64, 'a')));
  EXPECT_FALSE(IsSha256Hex(std::string(64, 'A')));
  EXPECT_FALSE(IsSha256Hex(std::string(63, 'a')));
  EXPECT_FALSE(IsSha256Hex(std::string(63, 'a') + "g"));
}

}  // namespace
}  // namespace scale
