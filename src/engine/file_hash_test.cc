#include "engine/file_hash.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "testing/temp_dir.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "util/verified_file.h"

namespace scale::engine {
namespace {

TEST(FileIdentity, IsTheSha256OfEveryByte) {
  testing::TempDir dir;
  // Larger than the 8 MiB head + 1 MiB tail the identity once sampled: a change in the middle counts.
  std::string bytes(12u << 20, 'a');
  const std::string a = dir.Write("a.gguf", bytes);
  EXPECT_EQ(FileIdentity(a), "sha256:" + Sha256Hex(bytes));
  bytes[10u << 20] = 'b';
  const std::string b = dir.Write("b.gguf", bytes);
  EXPECT_NE(FileIdentity(a), FileIdentity(b));
  const std::string copy = dir.Write("copy/elsewhere.gguf", bytes);
  EXPECT_EQ(FileIdentity(copy), FileIdentity(b));  // the content, not the path
}

TEST(FileIdentity, ChangedFileIsHashedAgain) {
  testing::TempDir dir;
  const std::string path = dir.Write("m.gguf", "one");
  EXPECT_EQ(FileIdentity(path), "sha256:" + Sha256Hex("one"));
  WriteFileAtomic(path, "two!");
  EXPECT_EQ(FileIdentity(path), "sha256:" + Sha256Hex("two!"));
}

TEST(FileIdentity, TrustsAMatchingVerifiedMarker) {
  testing::TempDir dir;
  const std::string path = dir.Write("m.gguf", "model bytes");
  // A marker is trusted while the file is unchanged, so its recorded hash is the identity.
  const std::string recorded(64, 'f');
  WriteVerifiedMarker(path, recorded);
  EXPECT_EQ(FileIdentity(path), "sha256:" + recorded);
}

// Sets $SCALE_HOME for one test, so that the remembered identities go to its temp dir.
class ScopedScaleHome {
 public:
  explicit ScopedScaleHome(const std::string& dir) {
    if (const char* old = std::getenv("SCALE_HOME")) old_ = old;
    setenv("SCALE_HOME", dir.c_str(), 1);
  }
  ~ScopedScaleHome() {
    if (old_) {
      setenv("SCALE_HOME", old_->c_str(), 1);
    } else {
      unsetenv("SCALE_HOME");
    }
  }

 private:
  std::optional<std::string> old_;
};

TEST(FileIdentity, IsRememberedPerFileVersion) {
  testing::TempDir dir;
  ScopedScaleHome home(dir.file("home"));
  const std::string path = dir.Write("models/m.gguf", "model bytes");
  EXPECT_EQ(FileIdentity(path), "sha256:" + Sha256Hex("model bytes"));
  // One record in the private cache, none beside the user's file.
  std::vector<std::filesystem::path> records;
  for (const auto& e : std::filesystem::directory_iterator(dir.file("home/file-ids"))) records.push_back(e.path());
  ASSERT_EQ(records.size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(MarkerPath(path)));
  EXPECT_EQ((std::filesystem::status(dir.file("home/file-ids")).permissions() & std::filesystem::perms::others_all),
            std::filesystem::perms::none);
  // The record is what a later run trusts while the file is unchanged (proved by planting another
  // hash in it) ...
  std::string text = ReadFile(records[0]);
  const size_t at = text.find(Sha256Hex("model bytes"));
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 64, std::string(64, 'e'));
  WriteFileAtomic(records[0], text, 0600);
  EXPECT_EQ(FileIdentity(path), "sha256:" + std::string(64, 'e'));
  // ... and a changed file is hashed again, whatever the record says.
  WriteFileAtomic(path, "other bytes");
  EXPECT_EQ(FileIdentity(path), "sha256:" + Sha256Hex("other bytes"));
}

TEST(FileIdentity, MissingFileIsAModelError) {
  try {
    FileIdentity("/nonexistent/model.gguf");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitModel);
  }
}

}  // namespace
}  // namespace scale::engine
