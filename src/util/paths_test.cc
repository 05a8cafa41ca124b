#include "util/paths.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "util/error.h"

namespace scale {
namespace {
namespace fs = std::filesystem;

TEST(ExecutablePath, IsThisTestBinary) {
  fs::path exe = ExecutablePath();
  ASSERT_FALSE(exe.empty());
  EXPECT_TRUE(exe.is_absolute());
  EXPECT_EQ(exe.filename(), "util_tests");
  EXPECT_EQ(ExecutableDir(), exe.parent_path());
}

TEST(DataDirCandidates, EnvironmentFirstThenBesideTheBinaryThenSourceThenSystem) {
  ::setenv("SCALE_TEST_DATA_DIR", "/from/env", 1);
  std::vector<fs::path> c = DataDirCandidates("scale-cfg", "SCALE_TEST_DATA_DIR");
  ::unsetenv("SCALE_TEST_DATA_DIR");
  ASSERT_EQ(c.size(), 5u);
  EXPECT_EQ(c[0], "/from/env");
  EXPECT_EQ(c[1], ExecutableDir().parent_path() / "share/scale/scale-cfg");
  EXPECT_EQ(c[2], fs::path(SCALE_SOURCE_DIR) / "scale-cfg");
  EXPECT_EQ(c[3], "/usr/local/share/scale/scale-cfg");
  EXPECT_EQ(c[4], "/usr/share/scale/scale-cfg");
  // Unset or empty variables add nothing.
  ::setenv("SCALE_TEST_DATA_DIR", "", 1);
  EXPECT_EQ(DataDirCandidates("profiles", "SCALE_TEST_DATA_DIR").size(), 4u);
  ::unsetenv("SCALE_TEST_DATA_DIR");
  EXPECT_EQ(DataDirCandidates("profiles", nullptr).front(), ExecutableDir().parent_path() / "share/scale/profiles");
}

TEST(FindDataDir, FirstCandidateWithTheMarkerWins) {
  fs::path root = fs::temp_directory_path() / ("scale-paths-" + std::to_string(::getpid()));
  fs::create_directories(root / "a");
  fs::create_directories(root / "b");
  fs::create_directories(root / "c");
  fs::create_directories(root / "a" / "marker.txt");  // a directory named like the marker does not count
  std::ofstream(root / "b" / "marker.txt") << "x";
  std::ofstream(root / "c" / "marker.txt") << "x";
  EXPECT_EQ(FindDataDir({root / "missing", root / "a", root / "b", root / "c"}, "cfg", "marker.txt"), root / "b");
  fs::remove_all(root);
}

TEST(FindDataDir, NoneNamesEveryPlaceTried) {
  try {
    FindDataDir({"/nonexistent/x", "/nonexistent/y"}, "scale-cfg", "comment.txt", "; pass --config DIR");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_STREQ(e.what(),
                 "no scale-cfg directory with comment.txt found (tried /nonexistent/x, /nonexistent/y); pass --config DIR");
  }
}

}  // namespace
}  // namespace scale
