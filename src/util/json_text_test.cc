#include "util/json_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace scale {
namespace {

TEST(JsonSafe, ValidUtf8IsUnchanged) {
  EXPECT_EQ(JsonSafe(std::string_view("src/caf\xc3\xa9.py")), "src/caf\xc3\xa9.py");
  EXPECT_EQ(JsonSafe(std::string_view("a\\b")), "a\\b");  // valid text keeps its backslash as is
}

TEST(JsonSafe, InvalidBytesAreEscapedAndDumpable) {
  std::string name = "src/\xff\xfe-\\.py";
  std::string safe = JsonSafe(std::string_view(name));
  EXPECT_EQ(safe, "src/\\xff\\xfe-\\\\.py");
  EXPECT_THROW((void)nlohmann::json(name).dump(), nlohmann::json::type_error);
  EXPECT_NO_THROW((void)nlohmann::json(safe).dump());
}

TEST(JsonSafe, DistinctInvalidNamesStayDistinct) {
  // "\xff" (one bad byte) and the literal four characters "\xff" must not print alike.
  EXPECT_NE(JsonSafe(std::string_view("\xff" "a\x80")), JsonSafe(std::string_view("\\xffa\x80")));
}

TEST(Utf8, RejectsOverlongsSurrogatesAndTruncation) {
  EXPECT_TRUE(IsValidUtf8("plain \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // UTF-16 surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));          // truncated
}

}  // namespace
}  // namespace scale
