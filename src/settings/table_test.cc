// The settings table itself: every row is complete and consistent, so a new row cannot forget its
// help, give a default its own check refuses, or reuse a flag, key or environment name.
#include "settings/table.h"

#include <gtest/gtest.h>

#include <set>

#include "util/error.h"

namespace scale::settings {
namespace {

TEST(SettingsTable, EveryRowHasHelpAValidDefaultAndUniqueSpellings) {
  const Params defaults;
  std::set<std::string> names, flags, envs;
  ASSERT_GE(Table().size(), 14u);
  for (const Setting& s : Table()) {
    SCOPED_TRACE(s.name);
    EXPECT_TRUE(names.insert(s.name).second) << "duplicate name";
    EXPECT_TRUE(flags.insert(LongFlag(s)).second) << "duplicate flag";
    EXPECT_TRUE(envs.insert(EnvName(s)).second) << "duplicate environment name";
    EXPECT_GT(std::string(s.help).size(), 5u) << "no help";
    EXPECT_NE(s.commands & kModelCommands, 0u) << "no command uses it";
    // The flag is the key with dashes: --ctx-size <-> ctx_size, so one spelling predicts the other.
    std::string dashed = s.name;
    for (char& c : dashed) c = c == '_' ? '-' : c;
    EXPECT_EQ(LongFlag(s), "--" + dashed);
    const std::string d = Show(s, defaults);
    EXPECT_EQ(Check(s, d), "") << "default '" << d << "' refused";
    Params round;
    Store(s, d, &round);
    EXPECT_EQ(Show(s, round), d) << "text round trip";
    if (TypeOf(s) == Type::kInt || TypeOf(s) == Type::kNumber) {
      EXPECT_LT(s.min, s.max) << "a number needs a range";
    }
    EXPECT_EQ(TypeOf(s) == Type::kChoice, !Choices(s).empty());
  }
  EXPECT_EQ(Find("ctx_size"), &Table()[3]);
  EXPECT_EQ(Find("ctx"), nullptr);
}

TEST(SettingsTable, TextBecomesTheFieldsTypeOnce) {
  Params p;
  Store(*Find("cache_type"), "q8_0", &p);
  EXPECT_EQ(p.cache_type, engine::KvCacheType::kQ8_0);
  Store(*Find("format"), "llama3", &p);
  EXPECT_EQ(p.format, engine::ChatFormat::kLlama3);
  Store(*Find("rope_scaling"), "yarn", &p);
  EXPECT_EQ(p.rope_scaling, engine::RopeScaling::kYarn);
  Store(*Find("rope_scale"), "2.5", &p);
  EXPECT_FLOAT_EQ(p.rope_scale, 2.5f);
  Store(*Find("kv_unified"), "true", &p);
  EXPECT_TRUE(p.kv_unified);
  Store(*Find("gpu_layers"), "-1", &p);
  EXPECT_EQ(p.gpu_layers, -1);
  EXPECT_EQ(Show(*Find("cache_type"), p), "q8_0");
  EXPECT_EQ(EnvName(*Find("model")), "SCALE_MODEL");
  EXPECT_EQ(EnvName(*Find("ctx_size")), "SCALE_CTX_SIZE");
}

TEST(SettingsTable, RefusalsSayWhatTheValueMustBe) {
  EXPECT_EQ(Check(*Find("ctx_size"), "big"), "must be an integer");
  EXPECT_EQ(Check(*Find("ctx_size"), "12.5"), "must be an integer");
  EXPECT_EQ(Check(*Find("parallel"), "0"), "is out of range [1, 256]");
  EXPECT_EQ(Check(*Find("rope_scale"), "x"), "must be a number");
  EXPECT_EQ(Check(*Find("kv_unified"), "maybe"), "must be true or false");
  EXPECT_EQ(Check(*Find("cache_type"), "q5_1"), "must be \"f16\", \"q8_0\" or \"q4_0\"");
  EXPECT_NE(Check(*Find("format"), "vicuna").find("\"chatml\""), std::string::npos);
  EXPECT_EQ(Check(*Find("rope_scaling"), "ntk"), "must be \"none\", \"linear\", \"yarn\" or \"auto\"");
  EXPECT_EQ(Check(*Find("model"), "any/path.gguf"), "");
  Params p;
  EXPECT_THROW(Store(*Find("threads"), "many", &p), Error);
}

}  // namespace
}  // namespace scale::settings
