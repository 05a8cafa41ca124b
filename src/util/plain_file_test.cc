#include "util/plain_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "testing/temp_dir.h"

namespace scale {
namespace {

TEST(ReadPlainFile, ReadsARegularFileWithinTheLimit) {
  testing::TempDir dir;
  const std::string path = dir.Write("a", "hello");
  std::string data;
  ASSERT_TRUE(ReadPlainFile(path, 5, &data));
  EXPECT_EQ(data, "hello");
  EXPECT_FALSE(ReadPlainFile(path, 4, &data));  // one byte over
  EXPECT_FALSE(ReadPlainFile(dir.file("missing"), 100, &data));
}

TEST(ReadPlainFile, NeverFollowsALinkOrOpensAFifoOrDirectory) {
  testing::TempDir dir;
  const std::string target = dir.Write("target", "secret");
  std::filesystem::create_symlink(target, dir.file("link"));
  std::string data;
  EXPECT_FALSE(ReadPlainFile(dir.file("link"), 100, &data));
  ASSERT_EQ(mkfifo(dir.file("fifo").c_str(), 0600), 0);
  EXPECT_FALSE(ReadPlainFile(dir.file("fifo"), 100, &data));  // returns at once, no reader blocks
  EXPECT_FALSE(ReadPlainFile(dir.path(), 1 << 20, &data));
}

}  // namespace
}  // namespace scale
