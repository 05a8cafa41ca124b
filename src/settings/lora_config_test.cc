// Per-language LoRA tables: the forms a [lora] entry may take, path resolution and errors.
#include "settings/lora_config.h"

#include <gtest/gtest.h>

#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale::settings {
namespace {

// The message of the usage error `f` throws; "(none)" or "(exit N)" when it does not throw one.
template <typename F>
std::string UsageError(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e.exit_code() == kExitUsage ? e.what() : "(exit " + std::to_string(e.exit_code()) + ")";
  }
  return "(none)";
}

TEST(LoraConfig, TableFormsAndErrors) {
  testing::TempDir dir;
  std::string path = dir.Write("a.toml",
                               "[lora]\npython = \"py.gguf\"\nC = \"/abs/c.gguf:0.25\"\n"
                               "javascript = { path = \"js.gguf\", scale = 0.8 }\ndefault = \"all.gguf\"\n");
  LoraByLanguage table = LoadLoraConfig(path);
  ASSERT_EQ(table.size(), 4u);
  EXPECT_EQ(table["python"].path, (dir.path() / "py.gguf").string());
  EXPECT_FLOAT_EQ(table["python"].scale, 1.0f);
  EXPECT_EQ(table["c"].path, "/abs/c.gguf") << "language names are case-insensitive";
  EXPECT_FLOAT_EQ(table["c"].scale, 0.25f);
  EXPECT_FLOAT_EQ(table["javascript"].scale, 0.8f);
  ASSERT_EQ(LorasFor(table, "python").size(), 1u);
  EXPECT_EQ(LorasFor(table, "go")[0].path, (dir.path() / "all.gguf").string()) << "falls back to default";
  EXPECT_TRUE(LorasFor({}, "python").empty());
  EXPECT_TRUE(LoadLoraConfig(dir.Write("none.toml", "x = 1\n")).empty());

  EXPECT_EQ(ParseLoraArg("a.gguf:0.5").path, "a.gguf");
  EXPECT_EQ(ParseLoraArg("dir:x/c.gguf").path, "dir:x/c.gguf");
  EXPECT_NE(UsageError([] { ParseLoraArg("a.gguf:50"); }).find("outside [-10, 10]"), std::string::npos);
  EXPECT_NE(UsageError([&] { LoadLoraConfig(dir.Write("bad.toml", "[lora]\npython = 3\n")); }).find("bad.toml:2"),
            std::string::npos);
  std::string e = UsageError([&] { LoadLoraConfig(dir.Write("broken.toml", "[lora\n")); });
  EXPECT_NE(e.find("broken.toml:1"), std::string::npos) << e;
}

}  // namespace
}  // namespace scale::settings
