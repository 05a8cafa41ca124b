#include "util/size.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace scale {
namespace {

TEST(ParseByteSize, BinaryUnitsAnyCaseAnySpelling) {
  EXPECT_EQ(ParseByteSize("800M", "--x"), 800ull << 20);
  EXPECT_EQ(ParseByteSize("1G", "--x"), 1ull << 30);
  EXPECT_EQ(ParseByteSize("1.5GiB", "--x"), 3ull << 29);
  EXPECT_EQ(ParseByteSize("2gb", "--x"), 2ull << 30);
  EXPECT_EQ(ParseByteSize("4096", "--x"), 4096u);
  EXPECT_EQ(ParseByteSize("10B", "--x"), 10u);
  EXPECT_EQ(ParseByteSize("500K", "--x"), 500ull << 10);
  EXPECT_EQ(ParseByteSize("500k", "--x"), 500ull << 10);
  EXPECT_EQ(ParseByteSize("500KiB", "--x"), 500ull << 10);
  EXPECT_EQ(ParseByteSize("2M", "--x"), 2ull << 20);
  EXPECT_EQ(ParseByteSize("2MiB", "--x"), 2ull << 20);
  EXPECT_EQ(ParseByteSize("1T", "--x"), 1ull << 40);
  EXPECT_EQ(ParseByteSize("0.5K", "--x"), 512u);
  EXPECT_EQ(ParseByteSize("1 G", "--x"), 1ull << 30);
}

TEST(ParseByteSize, RejectsWhatIsNotAPositiveSize) {
  for (const char* bad : {"", "G", "-1G", "1X", "1..5G", "0", ".", "0.1", " 1G", "1G ", "1GiBB", "1iB", "1e3", "99999999999T"}) {
    EXPECT_THROW(ParseByteSize(bad, "--x"), Error) << bad;
  }
}

TEST(ParseByteSize, ErrorNamesTheOptionAndTheText) {
  try {
    ParseByteSize("1X", "--max-memory");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_EQ(std::string(e.what()).rfind("--max-memory: invalid size '1X'", 0), 0u) << e.what();
  }
}

TEST(FormatBytes, PicksTheLargestUnitBelowTheValue) {
  EXPECT_EQ(FormatBytes(0), "0 B");
  EXPECT_EQ(FormatBytes(1023), "1023 B");
  EXPECT_EQ(FormatBytes(1024), "1.0 KiB");
  EXPECT_EQ(FormatBytes(1536), "1.5 KiB");
  EXPECT_EQ(FormatBytes(800ull << 20), "800.0 MiB");
  EXPECT_EQ(FormatBytes(3ull << 29), "1.50 GiB");
  EXPECT_EQ(FormatBytes(350ull << 30), "350.00 GiB");
}

TEST(FormatBytes, ParsesBackToTheSameUnit) {
  EXPECT_EQ(ParseByteSize(FormatBytes(3ull << 29), "x"), 3ull << 29);
  EXPECT_EQ(ParseByteSize(FormatBytes(800ull << 20).erase(5, 1), "x"), 800ull << 20);  // "800.0MiB"
}

}  // namespace
}  // namespace scale
