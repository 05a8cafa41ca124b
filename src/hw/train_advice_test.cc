// `scale hw`'s training advice, computed for machines described as HwInfo values and profiles
// written here, against an empty model cache (so the shape comes from the catalogue's numbers).
#include "hw/train_advice.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "models/catalogue.h"
#include "testing/temp_dir.h"

namespace scale::hw {
namespace {

constexpr uint64_t kGiB = 1ull << 30;

HwInfo WithRam(uint64_t available) {
  HwInfo hw;
  hw.cpu.physical_cores = hw.cpu.logical_cores = 4;
  hw.ram_total = hw.ram_available = available;
  return hw;
}

class TrainAdviceTest : public ::testing::Test {
 protected:
  void SetUp() override { setenv("SCALE_HOME", home_.path().c_str(), 1); }  // nothing cached
  void TearDown() override { unsetenv("SCALE_HOME"); }
  testing::TempDir home_;
  testing::TempDir dir_;
};

TEST_F(TrainAdviceTest, UsesTheCatalogueShapeAndTheProfilesTrainTable) {
  Profile p = LoadProfile(dir_.Write("t.toml", "[model]\ncatalogue = \"qwen2.5-coder-0.5b\"\n[train]\nrank = 4\nctx = 128\n"));
  TrainAdvice a = AdviseTraining(p, WithRam(64 * kGiB));
  ASSERT_TRUE(a.available) << a.why_not;
  const models::CatalogueEntry& e = *models::FindCatalogueEntry("qwen2.5-coder-0.5b");
  EXPECT_EQ(a.shape.architecture, "qwen2");
  EXPECT_EQ(a.shape.n_layer, int(e.n_layer));
  EXPECT_EQ(a.shape.n_vocab, int(e.vocab_size));
  EXPECT_EQ(a.shape.weight_bytes, e.file_bytes);
  EXPECT_NE(a.shape_from.find("catalogue entry qwen2.5-coder-0.5b"), std::string::npos) << a.shape_from;
  EXPECT_EQ(a.options.lora.rank, 4);
  EXPECT_EQ(a.memory.total, train::EstimateMemory(a.shape, p.train).total);
  EXPECT_TRUE(a.fits);

  std::vector<std::string> lines = ExplainTraining(a);
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  EXPECT_NE(all.find("--rank 4"), std::string::npos) << all;
  EXPECT_NE(all.find("--ctx 128"), std::string::npos) << all;
  EXPECT_NE(all.find("= total"), std::string::npos) << all;
  EXPECT_NE(lines.back().find("fits:"), std::string::npos) << all;
  nlohmann::json j = TrainAdviceJson(a);
  EXPECT_EQ(j["settings"]["rank"], 4);
  EXPECT_EQ(j["memory"]["total"].get<uint64_t>(), a.memory.total);
  EXPECT_TRUE(j["fits"].get<bool>());
}

TEST_F(TrainAdviceTest, SaysWhenItDoesNotFit) {
  Profile p = LoadProfile(dir_.Write("t.toml", "[model]\ncatalogue = \"qwen2.5-coder-0.5b\"\n"));
  TrainAdvice a = AdviseTraining(p, WithRam(1 * kGiB));  // less than the weights plus the logits
  ASSERT_TRUE(a.available);
  EXPECT_FALSE(a.fits);
  EXPECT_NE(ExplainTraining(a).back().find("does not fit"), std::string::npos);
  EXPECT_FALSE(TrainAdviceJson(a)["fits"].get<bool>());
}

TEST_F(TrainAdviceTest, SkipsAModelScaleTrainCannotTrain) {
  Profile p = LoadProfile(dir_.Write("t.toml", "[model]\ncatalogue = \"phi-3-mini-4k\"\n"));
  TrainAdvice a = AdviseTraining(p, WithRam(64 * kGiB));
  EXPECT_FALSE(a.available);
  EXPECT_NE(a.why_not.find("not a llama or qwen2 model"), std::string::npos) << a.why_not;
  std::vector<std::string> lines = ExplainTraining(a);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("no advice"), std::string::npos);
  EXPECT_FALSE(TrainAdviceJson(a)["available"].get<bool>());
}

}  // namespace
}  // namespace scale::hw
