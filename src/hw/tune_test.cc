// `scale hw --tune` on the generated tiny model through real llama.cpp. Timings vary from run to
// run, so only structure is asserted: every combination measured, the best is the fastest, the
// stored result is found again and applied only to flags the user did not give.
#include "hw/tune.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/error.h"
#include "util/fs.h"

namespace scale::hw {
namespace {

class TuneTest : public ::testing::Test {
 protected:
  void SetUp() override { setenv("SCALE_HOME", home.path().c_str(), 1); }
  void TearDown() override { unsetenv("SCALE_HOME"); }
  testing::TempDir home;
};

TuneOptions Small(const std::string& model) {
  TuneOptions o;
  o.model_path = model;
  o.threads = {1, 2};
  o.batch_sizes = {16, 64};
  o.prompt_tokens = 64;
  o.gen_tokens = 4;
  return o;
}

TEST_F(TuneTest, MeasuresEveryCombinationAndPicksTheFastest) {
  TuneResult r = Tune(Small(testing::TinyChatModel()));
  ASSERT_EQ(r.trials.size(), 4u);
  const TuneTrial* best = &r.trials[0];
  for (const auto& t : r.trials) {
    EXPECT_GT(t.pp_tokens_per_s, 0);
    EXPECT_GT(t.tg_tokens_per_s, 0);
    EXPECT_NEAR(t.score_s, 64 / t.pp_tokens_per_s + 4.0 * 4 / t.tg_tokens_per_s, 1e-9);
    if (t.score_s < best->score_s) best = &t;
  }
  EXPECT_EQ(r.threads, best->threads);
  EXPECT_EQ(r.batch_size, best->batch_size);
  EXPECT_EQ(r.machine, MachineKey());
  EXPECT_EQ(r.model, ModelKey(testing::TinyChatModel()));
}

TEST_F(TuneTest, StoredResultIsAppliedOnlyWhereNotGiven) {
  TuneResult r;
  r.machine = MachineKey();
  r.model = ModelKey(testing::TinyChatModel());
  r.threads = 7;
  r.batch_size = 96;
  StoreTune(r);
  auto found = LookupTune(testing::TinyChatModel());
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->threads, 7);
  EXPECT_EQ(found->batch_size, 96);
  EXPECT_FALSE(LookupTune(testing::TinyQ8Model()).has_value()) << "another file is another model";

  ProfileSettings s;
  s.model = testing::TinyChatModel();
  EXPECT_TRUE(ApplyTuned(&s));
  EXPECT_EQ(s.threads, 7);
  EXPECT_EQ(s.batch_size, 96);
  EXPECT_NE(s.applied.find("tune.json"), std::string::npos);

  ProfileSettings given;
  given.model = testing::TinyChatModel();
  given.batch_size = 512;  // the default value, but typed by the user
  ApplyTuned(&given, {"batch_size"});
  EXPECT_EQ(given.threads, 7);
  EXPECT_EQ(given.batch_size, 512);
}

TEST_F(TuneTest, DamagedTuneFileIsIgnoredNotFatal) {
  std::ofstream(home.path() / "tune.json") << "{ not json";
  EXPECT_FALSE(LookupTune(testing::TinyChatModel()).has_value());
  ProfileSettings s;
  s.model = testing::TinyChatModel();
  EXPECT_FALSE(ApplyTuned(&s));
  EXPECT_EQ(s.threads, 0);
  // Storing a new result replaces the damaged file with valid JSON.
  TuneResult r;
  r.machine = MachineKey();
  r.model = ModelKey(s.model);
  r.threads = 1;
  r.batch_size = 32;
  StoreTune(r);
  EXPECT_TRUE(LookupTune(s.model).has_value());
}

TEST_F(TuneTest, MissingModelIsAModelError) {
  try {
    Tune(Small("/nonexistent/model.gguf"));
    FAIL() << "tuned a missing model";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitModel);
  }
}

}  // namespace
}  // namespace scale::hw
