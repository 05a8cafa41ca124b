// [engine] tables of profiles and .scale.toml: typed against the settings table, every problem
// "FILE:LINE: ...", paths relative to the file, and the project config found from a subfolder.
#include "settings/config_error_test_util.h"
#include "settings/toml_layer.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale::settings {
namespace {

TEST(SettingsToml, EngineTableIsCheckedAgainstTheTable) {
  const std::vector<std::pair<std::string, std::string>> cases = {  // file body -> part of the message
      {"[engine]\nctx_size = 4096\nparalel = 2\n", "p.toml:3: unknown key 'engine.paralel'"},
      {"[engine]\nparalel = 2\n", "(known in [engine]: model, gpu_layers, threads, ctx_size, batch_size"},
      {"[engine]\nctx_size = \"big\"\n", "p.toml:2: engine.ctx_size must be an integer"},
      {"[engine]\nparallel = 0\n", "engine.parallel is out of range [1, 256]"},
      {"[engine]\ncache_type = \"q5_1\"\n", "engine.cache_type must be \"f16\", \"q8_0\" or \"q4_0\", not \"q5_1\""},
      {"[engine]\nkv_unified = 1\n", "must be true or false"},
      {"[match]\ndevice = \"cpu\"\n", "p.toml:1"},
      {"[engine\n", "p.toml:1"},
  };
  testing::TempDir dir;
  for (const auto& [body, part] : cases) {
    std::string e = ConfigUsageError(dir.Write("p.toml", body));
    EXPECT_NE(e.find(part), std::string::npos) << body << " -> " << e;
  }
}

TEST(SettingsToml, ValuesBecomeTextWithTheirLine) {
  testing::TempDir dir;
  ProjectConfig c = LoadProjectConfig(dir.Write(
      "p.toml", "[engine]\nmodel = \"models/m.gguf\"\nrope_scale = 2.5\nkv_unified = true\ncache_type = \"q8_0\"\n"
                "[lora]\npython = \"py.gguf\"\n"));
  EXPECT_EQ(c.engine.at("model").text, (dir.path() / "models/m.gguf").string()) << "relative to the file";
  EXPECT_EQ(c.engine.at("rope_scale").text, "2.5");
  EXPECT_EQ(c.engine.at("kv_unified").text, "true");
  EXPECT_EQ(c.engine.at("cache_type").origin, dir.path().string() + "/p.toml:5");
  EXPECT_EQ(c.loras.at("python").path, (dir.path() / "py.gguf").string());
}

TEST(SettingsToml, ProjectConfigIsTheNearestOneAbove) {
  testing::TempDir dir;
  dir.Write(".scale.toml", "[engine]\nparallel = 3\n");
  std::filesystem::create_directories(dir.path() / "src" / "deep");
  auto found = FindProjectConfig(dir.path() / "src" / "deep");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->engine.at("parallel").text, "3");
  testing::TempDir empty;
  std::filesystem::create_directories(empty.path() / "x");
  auto none = FindProjectConfig(empty.path() / "x");
  EXPECT_TRUE(!none.has_value() || none->path.find(empty.path().string()) == std::string::npos);
}

TEST(SettingsToml, CommentTableHoldsMacrosAndStylePins) {
  testing::TempDir dir;
  std::string file = dir.Write("p.toml",
                               "[comment]\nmacros = [\"LUA_API\", \"ZEXPORT\"]\n\n[comment.style.c]\nopen = \"/*\"\n"
                               "gutter = \"** \"\nclose = \"*/\"\nwidth = 100\n\n[comment.style.ruby]\nprefix = \"## \"\n");
  ProjectConfig c = LoadProjectConfig(file);
  EXPECT_EQ(c.comment.macros, (std::vector<std::string>{"LUA_API", "ZEXPORT"}));
  EXPECT_EQ(c.comment.macros_where, file + ":2");
  ASSERT_EQ(c.comment.styles.size(), 2u);
  const StylePin& pin = c.comment.styles.at("c");
  EXPECT_EQ(pin.open, "/*");
  EXPECT_EQ(pin.gutter, "** ");
  EXPECT_EQ(pin.close, "*/");
  EXPECT_EQ(pin.width, 100);
  EXPECT_EQ(pin.where, file + ":4");
  EXPECT_EQ(c.comment.styles.at("ruby").prefix, "## ");

  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[comment]\nmacro = []\n", "p.toml:2: unknown key 'comment.macro'"},
      {"[comment]\nmacros = \"LUA_API\"\n", "p.toml:2: comment.macros must be a list of names"},
      {"[comment]\nmacros = [1]\n", "each of comment.macros must be a string"},
      {"[comment.style.c]\nopening = \"/*\"\n", "p.toml:2: unknown key 'comment.style.c.opening'"},
      {"[comment.style.c]\nwidth = \"wide\"\n", "comment.style.c.width must be an integer"},
      {"[comments]\n", "p.toml:1: unknown key 'comments': a project config has only profile and the [engine], [lora], [comment], [[backend]] and [remote] tables"},
      {"[[backend]]\nurl = \"gopher://x\"\n", "p.toml:2: backend URL must start with http:// or https://"},
  };
  for (const auto& [body, expected] : cases) {
    std::string bad = dir.Write("p.toml", body);
    EXPECT_NE(ConfigUsageError(bad).find(expected), std::string::npos) << body << " -> " << ConfigUsageError(bad);
  }
}

}  // namespace
}  // namespace scale::settings
