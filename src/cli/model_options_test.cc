// The shared model flags: parsing into ModelOptions (the settings table's flags) and mapping to
// engine::EngineParams.
#include "cli/model_options.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale::cli {
namespace {

ModelOptions Parse(std::vector<std::string> args) {
  CLI::App app("test");
  ModelOptions opts;
  AddModelOptions(&app, &opts);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them reversed
  app.parse(reversed);
  return opts;
}

TEST(ModelOptionsTest, FlagsReachEngineParams) {
  ModelOptions o = Parse({"-m", "m.gguf", "-t", "3", "-c", "1024", "-b", "64", "-P", "4", "--format", "llama3",
                          "--gpu-layers", "-1", "--rope-scaling", "yarn", "--rope-scale", "2", "--rope-freq-base",
                          "500000", "--yarn-orig-ctx", "512", "-v"});
  engine::EngineParams p = ToEngineParams(o);
  EXPECT_EQ(p.model_path, "m.gguf");
  EXPECT_EQ(p.threads, 3);
  EXPECT_EQ(p.ctx_size, 1024);
  EXPECT_EQ(p.batch_size, 64);
  EXPECT_EQ(p.parallel, 4);
  EXPECT_EQ(p.gpu_layers, -1);
  EXPECT_EQ(p.format, engine::ChatFormat::kLlama3);
  EXPECT_EQ(p.rope_scaling, engine::RopeScaling::kYarn);
  EXPECT_FLOAT_EQ(p.rope_scale, 2.0f);
  EXPECT_FLOAT_EQ(p.rope_freq_base, 500000.0f);
  EXPECT_EQ(p.yarn_orig_ctx, 512);
  EXPECT_TRUE(p.show_llama_logs);
  EXPECT_EQ(o.flags.at("threads").origin, "--threads") << "a short flag is named by its long spelling";
}

TEST(ModelOptionsTest, EveryTableSettingHasItsFlagAndOnlyGivenOnesAreRecorded) {
  CLI::App app("test");
  ModelOptions o;
  AddModelOptions(&app, &o);
  for (const settings::Setting& s : settings::Table()) {
    EXPECT_NE(app.get_option_no_throw(settings::LongFlag(s)), nullptr) << s.name;
  }
  o = Parse({"--kv-unified", "--cache-type", "q8_0"});
  EXPECT_EQ(o.flags.size(), 2u) << "defaults are not flags: a profile may still set them";
  engine::EngineParams p = ToEngineParams(Parse({"-m", "m.gguf", "--kv-unified", "--cache-type", "q4_0"}));
  EXPECT_TRUE(p.kv_unified);
  EXPECT_EQ(p.cache_type, engine::KvCacheType::kQ4_0);
}

TEST(ModelOptionsTest, SamplingFlags) {
  ModelOptions o = Parse({"--temp", "0.7", "--top-p", "0.9", "--top-k", "20", "--min-p", "0.1", "--repeat-penalty",
                          "1.1", "--seed", "5", "--max-tokens", "99", "--time-limit", "2.5"});
  EXPECT_FLOAT_EQ(o.sampling.temperature, 0.7f);
  EXPECT_FLOAT_EQ(o.sampling.top_p, 0.9f);
  EXPECT_EQ(o.sampling.top_k, 20);
  EXPECT_FLOAT_EQ(o.sampling.min_p, 0.1f);
  EXPECT_FLOAT_EQ(o.sampling.repeat_penalty, 1.1f);
  EXPECT_EQ(o.sampling.seed, 5u);
  EXPECT_EQ(o.sampling.max_tokens, 99);
  EXPECT_DOUBLE_EQ(o.time_limit_s, 2.5);
  EXPECT_THROW(Parse({"--temp", "-1"}), CLI::ValidationError);
  EXPECT_THROW(Parse({"--top-p", "1.5"}), CLI::ValidationError);
}

TEST(ModelOptionsTest, LoraFileAndOptionalScale) {
  ModelOptions o = Parse({"-m", "m.gguf", "--lora", "a.gguf", "--lora", "b.gguf:0.5", "--lora", "dir:x/c.gguf"});
  engine::EngineParams p = ToEngineParams(o);
  ASSERT_EQ(p.loras.size(), 3u);
  EXPECT_EQ(p.loras[0].path, "a.gguf");
  EXPECT_FLOAT_EQ(p.loras[0].scale, 1.0f);
  EXPECT_EQ(p.loras[1].path, "b.gguf");
  EXPECT_FLOAT_EQ(p.loras[1].scale, 0.5f);
  EXPECT_EQ(p.loras[2].path, "dir:x/c.gguf");  // ':' in a path is not a scale
}

TEST(ModelOptionsTest, BadValuesAreUsageErrors) {
  try {
    ToEngineParams(Parse({"-m", "m.gguf", "--format", "vicuna"}));
    FAIL() << "accepted an unknown format";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_NE(std::string(e.what()).find("chatml"), std::string::npos) << e.what();
  }
  try {
    ToEngineParams(Parse({"-m", "m.gguf", "--rope-scaling", "ntk"}));
    FAIL() << "accepted an unknown rope scaling";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
  }
}

TEST(ModelOptionsTest, ModelComesFromFlagThenEnvironment) {
  const char* saved = std::getenv("SCALE_MODEL");
  std::string saved_value = saved ? saved : "";
  setenv("SCALE_MODEL", "/env/model.gguf", 1);
  EXPECT_EQ(ToEngineParams(Parse({})).model_path, "/env/model.gguf");
  EXPECT_EQ(ToEngineParams(Parse({"-m", "flag.gguf"})).model_path, "flag.gguf");
  unsetenv("SCALE_MODEL");
  // With an empty model cache and no network allowed, the default model cannot be had either.
  testing::TempDir home;
  setenv("SCALE_HOME", home.path().c_str(), 1);
  setenv("SCALE_OFFLINE", "1", 1);
  try {
    ToEngineParams(Parse({}));
    FAIL() << "no model accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitModel);
    EXPECT_NE(std::string(e.what()).find("SCALE_MODEL"), std::string::npos);
  }
  unsetenv("SCALE_HOME");
  unsetenv("SCALE_OFFLINE");
  if (saved) setenv("SCALE_MODEL", saved_value.c_str(), 1);
}

}  // namespace
}  // namespace scale::cli
