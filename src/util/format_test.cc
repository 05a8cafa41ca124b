#include "util/format.h"

#include <gtest/gtest.h>

namespace scale {
namespace {

TEST(FormatFixed, RoundsToTheAskedDigits) {
  EXPECT_EQ(FormatFixed(2.345, 1), "2.3");
  EXPECT_EQ(FormatFixed(2.35, 0), "2");
  EXPECT_EQ(FormatFixed(-0.5, 2), "-0.50");
  EXPECT_EQ(FormatFixed(1234567.0, 1), "1234567.0");
}

}  // namespace
}  // namespace scale
