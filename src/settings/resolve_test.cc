// The precedence rule, tested once: flag > env > project config > profile > tune > default, for
// every combination of sources, plus the record of where each value came from and the errors.
#include "settings/resolve.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "util/error.h"

namespace scale::settings {
namespace {

Layer& Of(Layers& layers, Source s) { return layers[static_cast<size_t>(s)]; }

TEST(SettingsResolve, TheHighestSourceWinsInEveryCombination) {
  // Source i (tune = 1 ... flag = 5) sets ctx_size to 100 * i; the winner is the highest one set.
  for (unsigned mask = 0; mask < (1u << 5); ++mask) {
    Layers layers;
    int expected = 0;  // the default
    Source winner = Source::kDefault;
    for (int i = 1; i <= 5; ++i) {
      if ((mask & (1u << (i - 1))) == 0) continue;
      const Source s = static_cast<Source>(i);
      Of(layers, s)["ctx_size"] = {std::to_string(100 * i), SourceName(s)};
      expected = 100 * i;
      winner = s;
    }
    Resolved r = Resolve(layers);
    EXPECT_EQ(r.params.ctx_size, expected) << "mask " << mask;
    EXPECT_EQ(r.source.at("ctx_size"), winner) << "mask " << mask;
    EXPECT_EQ(r.origin.at("ctx_size"), winner == Source::kDefault ? "" : SourceName(winner)) << "mask " << mask;
  }
}

TEST(SettingsResolve, NamedCases) {
  struct Case {
    const char* what;
    std::vector<std::pair<Source, std::string>> threads;  // who sets threads, to what
    int want;
  };
  const std::vector<Case> cases = {
      {"nothing set: the default", {}, 0},
      {"tune alone", {{Source::kTune, "7"}}, 7},
      {"a profile beats tune", {{Source::kTune, "7"}, {Source::kProfile, "2"}}, 2},
      {".scale.toml beats the profile", {{Source::kProfile, "2"}, {Source::kProjectConfig, "3"}}, 3},
      {"the environment beats files", {{Source::kProjectConfig, "3"}, {Source::kEnv, "4"}}, 4},
      {"a flag beats everything", {{Source::kEnv, "4"}, {Source::kFlag, "1"}, {Source::kTune, "7"}}, 1},
      {"a flag equal to the default still wins", {{Source::kTune, "7"}, {Source::kFlag, "0"}}, 0},
  };
  for (const Case& c : cases) {
    Layers layers;
    for (const auto& [source, text] : c.threads) Of(layers, source)["threads"] = {text, "x"};
    EXPECT_EQ(Resolve(layers).params.threads, c.want) << c.what;
  }
}

TEST(SettingsResolve, RecordsWhereEachValueCameFrom) {
  Layers layers;
  Of(layers, Source::kFlag)["ctx_size"] = {"384", "--ctx-size"};
  Of(layers, Source::kTune)["batch_size"] = {"96", "tune.json"};
  Of(layers, Source::kProfile)["cache_type"] = {"q8_0", "small.toml:4"};
  Resolved r = Resolve(layers);
  EXPECT_TRUE(r.From(Source::kTune));
  EXPECT_FALSE(r.From(Source::kEnv));
  EXPECT_EQ(r.params.cache_type, engine::KvCacheType::kQ8_0);
  std::vector<std::string> lines = r.Describe();
  ASSERT_EQ(lines.size(), 3u) << "defaults are not listed";
  EXPECT_EQ(lines[0], "ctx_size = 384 (flag --ctx-size)");
  EXPECT_EQ(lines[1], "batch_size = 96 (tune.json tune.json)");
  EXPECT_EQ(lines[2], "cache_type = q8_0 (profile small.toml:4)");
}

TEST(SettingsResolve, BadValuesNameTheirOrigin) {
  Layers layers;
  Of(layers, Source::kFlag)["format"] = {"vicuna", "--format"};
  try {
    Resolve(layers);
    ADD_FAILURE() << "accepted an unknown format";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_EQ(std::string(e.what()).rfind("--format must be \"auto\", \"chatml\"", 0), 0u) << e.what();
    EXPECT_NE(std::string(e.what()).find("(got 'vicuna')"), std::string::npos) << e.what();
  }
  Layers unknown;
  Of(unknown, Source::kProjectConfig)["ctx"] = {"1", ".scale.toml:2"};
  EXPECT_THROW(Resolve(unknown), Error);
}

TEST(SettingsResolve, EnvironmentUsesScalePrefixedNames) {
  setenv("SCALE_CTX_SIZE", "77", 1);
  setenv("SCALE_THREADS", "", 1);  // empty = unset, as for SCALE_MODEL
  Layer env = EnvLayer();
  unsetenv("SCALE_CTX_SIZE");
  unsetenv("SCALE_THREADS");
  ASSERT_TRUE(env.count("ctx_size"));
  EXPECT_EQ(env.at("ctx_size").text, "77");
  EXPECT_EQ(env.at("ctx_size").origin, "$SCALE_CTX_SIZE");
  EXPECT_FALSE(env.count("threads"));
}

}  // namespace
}  // namespace scale::settings
