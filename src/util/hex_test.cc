#include "util/hex.h"

#include <gtest/gtest.h>

namespace scale {
namespace {

TEST(Hex, RoundTripsEveryByte) {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  const std::string hex = HexEncode(all);
  EXPECT_EQ(hex.substr(0, 8), "00010203");
  EXPECT_EQ(hex.substr(hex.size() - 4), "feff");
  EXPECT_EQ(HexDecode(hex), all);
  EXPECT_EQ(HexEncode(""), "");
  EXPECT_EQ(HexDecode(""), "");
}

TEST(Hex, RefusesWhatIsNotLowerCaseHex) {
  EXPECT_EQ(HexDecode("abc"), std::nullopt);
  EXPECT_EQ(HexDecode("0G"), std::nullopt);
  EXPECT_EQ(HexDecode("AB"), std::nullopt);  // scale writes lower case only
  EXPECT_EQ(HexDecode("2f"), "/");
}

}  // namespace
}  // namespace scale
