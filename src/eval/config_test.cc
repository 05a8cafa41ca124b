#include "eval/config.h"

#include <gtest/gtest.h>

#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale::eval {
namespace {

TEST(LoadEvalConfig, ReadsEveryKeyAndResolvesPaths) {
  testing::TempDir dir;
  std::string path = dir.Write("cfg/b.toml", R"(
name = "with-lora"
model = "models/m.gguf"
lora = ["a.gguf:0.5", "/abs/b.gguf"]
templates = "../scale-cfg"
format = "chatml"
ctx_size = 2048
parallel = 4
time_limit = 2.5
[sampling]
temperature = 0.7
top_k = 20
seed = 9
max_tokens = 64
)");
  EvalConfig c = LoadEvalConfig(path);
  std::string base = dir.file("cfg");
  EXPECT_EQ(c.name, "with-lora");
  EXPECT_EQ(c.model, base + "/models/m.gguf");
  EXPECT_EQ(c.loras, (std::vector<std::string>{base + "/a.gguf:0.5", "/abs/b.gguf"}));
  EXPECT_EQ(c.templates, dir.file("scale-cfg"));
  EXPECT_EQ(c.format, "chatml");
  EXPECT_EQ(c.ctx_size, 2048);
  EXPECT_EQ(c.parallel, 4);
  EXPECT_DOUBLE_EQ(c.time_limit_s, 2.5);
  engine::SamplingParams s;
  ApplySampling(c, &s);
  EXPECT_FLOAT_EQ(s.temperature, 0.7f);
  EXPECT_EQ(s.top_k, 20);
  EXPECT_EQ(s.seed, 9u);
  EXPECT_EQ(s.max_tokens, 64);
  EXPECT_FLOAT_EQ(s.top_p, 1.0f);  // untouched
  nlohmann::json j = ConfigJson(c);
  EXPECT_EQ(j["sampling"]["max_tokens"], 64);
  EXPECT_FALSE(j["sampling"].contains("top_p"));
}

TEST(LoadEvalConfig, DefaultsAndErrors) {
  testing::TempDir dir;
  EvalConfig c = LoadEvalConfig(dir.Write("plain.toml", "format = \"raw\"\n"));
  EXPECT_EQ(c.name, "plain");
  EXPECT_TRUE(c.model.empty());
  auto code_of = [&](const std::string& text) {
    try {
      LoadEvalConfig(dir.Write("bad.toml", text));
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("bad.toml"), std::string::npos) << e.what();
      return e.exit_code();
    }
    return 0;
  };
  EXPECT_EQ(code_of("modle = \"typo.gguf\"\n"), kExitUsage);
  EXPECT_EQ(code_of("[sampling]\ntemprature = 1\n"), kExitUsage);
  EXPECT_EQ(code_of("ctx_size = \"big\"\n"), kExitUsage);
  EXPECT_EQ(code_of("name = \n"), kExitUsage);
  EXPECT_EQ(code_of("[sampling]\nmax_tokens = 0\n"), kExitUsage);
}

}  // namespace
}  // namespace scale::eval
