// PrintLine / PrintJson: exactly what reaches stdout.
#include "cli/print.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <string>

namespace scale::cli {
namespace {

std::string Captured(const std::function<void()>& print) {
  ::testing::internal::CaptureStdout();
  print();
  std::fflush(stdout);
  return ::testing::internal::GetCapturedStdout();
}

TEST(PrintTest, LineEndsWithANewline) {
  EXPECT_EQ(Captured([] { PrintLine("hello"); }), "hello\n");
  EXPECT_EQ(Captured([] { PrintLine(""); }), "\n");
}

TEST(PrintTest, JsonIsIndentedAndInvalidUtf8IsReplacedNotThrown) {
  EXPECT_EQ(Captured([] { PrintJson({{"a", 1}}); }), "{\n  \"a\": 1\n}\n");
  std::string out;
  EXPECT_NO_THROW(out = Captured([] { PrintJson({{"path", "caf\xe9.py"}}); }));
  EXPECT_EQ(out, "{\n  \"path\": \"caf\xef\xbf\xbd.py\"\n}\n");
}

}  // namespace
}  // namespace scale::cli
