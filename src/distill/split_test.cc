#include "distill/split.h"

#include <gtest/gtest.h>

#include <string>

namespace scale::distill {
namespace {

TEST(HeldOutFile, FractionSeedAndPurity) {
  int held = 0;
  for (int i = 0; i < 2000; ++i) held += HeldOutFile(7, "root/f" + std::to_string(i) + ".py", 0.2);
  EXPECT_GT(held, 300);  // about 400
  EXPECT_LT(held, 500);
  EXPECT_EQ(HeldOutFile(7, "root/a.py", 0.2), HeldOutFile(7, "root/a.py", 0.2));
  int differ = 0;
  for (int i = 0; i < 200; ++i) {
    const std::string key = "r/" + std::to_string(i);
    differ += HeldOutFile(1, key, 0.5) != HeldOutFile(2, key, 0.5);
  }
  EXPECT_GT(differ, 50) << "the seed changes the split";
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(HeldOutFile(3, std::to_string(i), 0.0));
    EXPECT_TRUE(HeldOutFile(3, std::to_string(i), 1.0));
  }
}

}  // namespace
}  // namespace scale::distill
