// `scale hw --tune`: the choice between trials with scripted timings (which one wins, and why),
// then on the generated tiny model through real llama.cpp, where timings vary and only structure
// is asserted; the stored result is found again and applied only to flags the user did not give.
#include "hw/tune.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <utility>
#include <vector>

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

// Scripted timings: {threads, batch} -> {prompt seconds, generation seconds}.
TuneProbe Scripted(std::map<std::pair<int, int>, engine::DecodeSpeed> times, std::vector<std::pair<int, int>>* asked) {
  return [times, asked](int threads, int batch) {
    asked->emplace_back(threads, batch);
    return times.at({threads, batch});
  };
}

TEST_F(TuneTest, TheTrialFastestForATypicalRequestWins) {
  std::vector<std::pair<int, int>> asked;
  // 2 threads at batch 64 is slowest at prompts but fastest at generation, which a typical request
  // (4 x gen_tokens out) spends most of its time in: it wins over the fastest prompt reader.
  TuneResult r = Tune(Small("unused.gguf"), Scripted({{{1, 16}, {0.5, 2.0}},
                                                      {{1, 64}, {0.1, 2.0}},
                                                      {{2, 16}, {0.5, 1.0}},
                                                      {{2, 64}, {0.9, 0.5}}},
                                                     &asked));
  EXPECT_EQ(asked, (std::vector<std::pair<int, int>>{{1, 16}, {1, 64}, {2, 16}, {2, 64}}));
  ASSERT_EQ(r.trials.size(), 4u);
  EXPECT_EQ(r.threads, 2);
  EXPECT_EQ(r.batch_size, 64);
  EXPECT_DOUBLE_EQ(r.pp_tokens_per_s, 64 / 0.9);  // the winner's own speeds are reported
  EXPECT_DOUBLE_EQ(r.tg_tokens_per_s, 4 / 0.5);
  EXPECT_LT(r.trials[3].score_s, r.trials[1].score_s);
  EXPECT_EQ(r.machine, MachineKey());
  EXPECT_EQ(r.model, ModelKey("unused.gguf"));
}

TEST_F(TuneTest, TiesGoToFewerThreadsThenSmallerBatches) {
  std::vector<std::pair<int, int>> asked;
  TuneOptions o = Small("unused.gguf");
  o.threads = {4, 1};  // the order given is the order tried
  TuneResult r = Tune(o, Scripted({{{4, 16}, {0.2, 0.2}},
                                   {{4, 64}, {0.2, 0.2}},
                                   {{1, 16}, {0.2, 0.2}},
                                   {{1, 64}, {0.2, 0.2}}},
                                  &asked));
  EXPECT_EQ(asked.front(), std::make_pair(4, 16));
  EXPECT_EQ(r.threads, 1) << "equal scores: fewer threads leave more of the machine free";
  EXPECT_EQ(r.batch_size, 16);
  o.batch_sizes.clear();
  EXPECT_THROW(Tune(o, Scripted({}, &asked)), Error);
}

TEST_F(TuneTest, MeasuresEveryCombinationOnARealModel) {
  TuneResult r = Tune(Small(testing::TinyChatModel()));
  ASSERT_EQ(r.trials.size(), 4u);
  const TuneTrial* best = &r.trials[0];
  for (const auto& t : r.trials) {
    EXPECT_GT(t.pp_tokens_per_s, 0);
    EXPECT_GT(t.tg_tokens_per_s, 0);
    EXPECT_GT(t.score_s, 0);
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

  settings::Layers layers;
  layers[size_t(settings::Source::kTune)] = TunedLayer(testing::TinyChatModel());
  settings::Resolved s = settings::Resolve(layers);
  EXPECT_TRUE(s.From(settings::Source::kTune));
  EXPECT_EQ(s.params.threads, 7);
  EXPECT_EQ(s.params.batch_size, 96);
  EXPECT_NE(s.origin.at("batch_size").find("tune.json"), std::string::npos);

  layers[size_t(settings::Source::kFlag)]["batch_size"] = {"512", "-b"};  // the default value, but typed by the user
  settings::Resolved given = settings::Resolve(layers);
  EXPECT_EQ(given.params.threads, 7);
  EXPECT_EQ(given.params.batch_size, 512);
}

TEST_F(TuneTest, DamagedTuneFileIsIgnoredNotFatal) {
  std::ofstream(home.path() / "tune.json") << "{ not json";
  EXPECT_FALSE(LookupTune(testing::TinyChatModel()).has_value());
  const std::string model = testing::TinyChatModel();
  EXPECT_TRUE(TunedLayer(model).empty());
  settings::Layers layers;
  layers[size_t(settings::Source::kTune)] = TunedLayer(model);
  EXPECT_EQ(settings::Resolve(layers).params.threads, 0);
  // Storing a new result replaces the damaged file with valid JSON.
  TuneResult r;
  r.machine = MachineKey();
  r.model = ModelKey(model);
  r.threads = 1;
  r.batch_size = 32;
  StoreTune(r);
  EXPECT_TRUE(LookupTune(model).has_value());
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
