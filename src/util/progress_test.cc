// Tests of the progress bar's text (Render is pure) and that a disabled bar writes nothing.
#include "util/progress.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>

namespace scale {
namespace {

TEST(ProgressTest, RendersCountsRateEtaAndItem) {
  Progress p("comment", 4, /*enabled=*/false);
  p.Advance("a.py: summary", 10);
  p.Advance("a.py: Foo.bar", 30);
  EXPECT_EQ(p.Render(2.0, 200), "comment [##########..........] 2/4 1.00/s 20.0 tok/s ETA 0:02  a.py: Foo.bar");
}

TEST(ProgressTest, NoRateBeforeAnythingIsDone) {
  Progress p("comment", 3, false);
  p.Start("a.py: summary");
  EXPECT_EQ(p.Render(0.5, 200), "comment [....................] 0/3  a.py: summary");
}

TEST(ProgressTest, CutsToWidthOnACharacterBoundary) {
  Progress p("c", 1, false);
  p.Start("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");  // éééé
  std::string full = p.Render(0, 0);
  for (int w = 1; w < static_cast<int>(full.size()); ++w) {
    std::string cut = p.Render(0, w);
    EXPECT_LE(static_cast<int>(cut.size()), w);
    EXPECT_EQ(full.rfind(cut, 0), 0u);
    EXPECT_NE(static_cast<unsigned char>(cut.back()), 0xC3) << w;  // never half of "é"
  }
}

TEST(ProgressTest, DurationFormat) {
  EXPECT_EQ(FormatDuration(0), "0:00");
  EXPECT_EQ(FormatDuration(65), "1:05");
  EXPECT_EQ(FormatDuration(43207), "12:00:07");
  EXPECT_EQ(FormatDuration(-1), "?");
}

TEST(ProgressTest, DisabledBarWritesNothing) {
  // Redirect stderr to a file for the duration of the calls.
  std::FILE* tmp = std::tmpfile();
  ASSERT_NE(tmp, nullptr);
  std::fflush(stderr);
  int saved = dup(fileno(stderr));
  dup2(fileno(tmp), fileno(stderr));
  {
    Progress p("comment", 2, false);
    p.Advance("x", 1);
    p.Advance("y", 1);
    p.Finish();
  }
  std::fflush(stderr);
  dup2(saved, fileno(stderr));
  close(saved);
  EXPECT_EQ(std::ftell(tmp), 0);
  std::fclose(tmp);
}

}  // namespace
}  // namespace scale
