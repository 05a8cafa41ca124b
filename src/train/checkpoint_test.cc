// The checkpoint file of `scale train --resume`: a round trip keeps every bit; a torn, truncated,
// edited or misnamed file is skipped in favour of the previous whole one; the data order and the
// trainer continue exactly from a saved state (REAL stories260K through ggml).
#include "train/checkpoint.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "train/base_model.h"
#include "train/lora.h"
#include "util/error.h"
#include "util/fs.h"

namespace scale::train {
namespace {

using scale::testing::TempDir;

Checkpoint Sample(int step, float shift) {
  Checkpoint c;
  c.trainer.steps = step;
  c.params = {1.5f + shift, -2.25f, 3e-8f, 0.0f};
  c.trainer.m = {0.1f, 0.2f, 0.3f, shift};
  c.trainer.v = {1e-9f, 2e-9f, 3e-9f, 4e-9f};
  c.trainer.rng = "dropout generator";
  RowOrder order(5, 7);
  for (int i = 0; i < step; ++i) order.Next();
  c.data = order.state();
  c.run = {{"metrics", {{"tokens", 100 * step}}}, {"log_bytes", 42}};
  return c;
}

bool SameBits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TEST(TrainCheckpoint, RoundTripKeepsEveryBit) {
  TempDir dir("ckpt");
  const Checkpoint c = Sample(3, 0.125f);
  WriteCheckpoint(dir.file(CheckpointStateName(3)), c);
  std::string why;
  const auto back = ReadCheckpoint(dir.file(CheckpointStateName(3)), &why);
  ASSERT_TRUE(back.has_value()) << why;
  EXPECT_EQ(back->trainer.steps, 3);
  EXPECT_TRUE(SameBits(back->params, c.params));
  EXPECT_TRUE(SameBits(back->trainer.m, c.trainer.m));
  EXPECT_TRUE(SameBits(back->trainer.v, c.trainer.v));
  EXPECT_EQ(back->trainer.rng, c.trainer.rng);
  EXPECT_EQ(back->data.order, c.data.order);
  EXPECT_EQ(back->data.next, c.data.next);
  EXPECT_EQ(back->data.epoch, c.data.epoch);
  EXPECT_EQ(back->data.rng, c.data.rng);
  EXPECT_EQ(back->run, c.run);
  EXPECT_EQ(CheckpointStateName(3), "checkpoint-000003.state");
  EXPECT_EQ(CheckpointAdapterName(12), "checkpoint-000012.gguf");
}

TEST(TrainCheckpoint, TornOrEditedCheckpointIsSkippedForThePreviousOne) {
  TempDir dir("ckpt");
  const std::filesystem::path run = dir.path();
  WriteCheckpoint(run / CheckpointStateName(3), Sample(3, 0));
  WriteCheckpoint(run / CheckpointStateName(6), Sample(6, 1));
  const std::string whole = ReadFile(run / CheckpointStateName(6));
  ASSERT_EQ(LatestCheckpoint(run)->trainer.steps, 6);

  // Torn: only a prefix reached the disk.
  for (size_t keep : {size_t{0}, size_t{10}, whole.size() / 2, whole.size() - 1}) {
    WriteFileAtomic(run / CheckpointStateName(6), whole.substr(0, keep));
    std::string why;
    EXPECT_FALSE(ReadCheckpoint(run / CheckpointStateName(6), &why).has_value()) << keep;
    EXPECT_FALSE(why.empty());
    const auto latest = LatestCheckpoint(run);
    ASSERT_TRUE(latest.has_value());
    EXPECT_EQ(latest->trainer.steps, 3) << "a torn step-6 file must fall back to step 3 (kept " << keep << " bytes)";
  }
  // Edited: one bit of one value flipped.
  std::string edited = whole;
  edited[edited.size() - 70] ^= 0x01;
  WriteFileAtomic(run / CheckpointStateName(6), edited);
  EXPECT_EQ(LatestCheckpoint(run)->trainer.steps, 3);
  // A whole file under another step's name, and a stray file of another kind.
  WriteFileAtomic(run / CheckpointStateName(9), ReadFile(run / CheckpointStateName(3)));
  WriteFileAtomic(run / "checkpoint-000012.state.tmp", whole);
  WriteFileAtomic(run / CheckpointStateName(6), whole);
  EXPECT_EQ(LatestCheckpoint(run)->trainer.steps, 6);

  // Nothing whole: none.
  TempDir empty("ckpt");
  EXPECT_FALSE(LatestCheckpoint(empty.path()).has_value());
  WriteFileAtomic(empty.path() / CheckpointStateName(1), "SCLTRN01 but nothing else");
  EXPECT_FALSE(LatestCheckpoint(empty.path()).has_value());
}

TEST(TrainCheckpoint, RemoveCheckpointStatesLeavesTheAdapters) {
  TempDir dir("ckpt");
  WriteCheckpoint(dir.file(CheckpointStateName(3)), Sample(3, 0));
  WriteFileAtomic(dir.file(CheckpointAdapterName(3)), "adapter");
  RemoveCheckpointStates(dir.path());
  EXPECT_FALSE(std::filesystem::exists(dir.file(CheckpointStateName(3))));
  EXPECT_TRUE(std::filesystem::exists(dir.file(CheckpointAdapterName(3))));
}

TEST(TrainRowOrder, RestoredOrderContinuesTheSameRowsAcrossEpochs) {
  RowOrder a(7, 11);
  for (int i = 0; i < 10; ++i) a.Next();  // into the second epoch
  const RowOrder::State s = a.state();
  EXPECT_EQ(s.epoch, 1);
  EXPECT_EQ(s.next, 3u);
  RowOrder b(7, 999);  // another seed: everything comes from the state
  b.Restore(s);
  for (int i = 0; i < 30; ++i) EXPECT_EQ(a.Next(), b.Next()) << i;
  RowOrder::State bad = s;
  bad.order[0] = bad.order[1];
  EXPECT_THROW(b.Restore(bad), Error);
  RowOrder c(8, 11);
  EXPECT_THROW(c.Restore(s), Error) << "a state over 7 rows is not an order of 8";
}

std::vector<Row> SomeRows() {
  std::vector<Row> rows;
  for (int i = 0; i < 3; ++i) {
    Row r;
    for (int t = 0; t < 12; ++t) r.tokens.push_back(1 + (37 * (i + 1) * (t + 3)) % 500);
    r.n_prompt = 5;
    rows.push_back(r);
  }
  return rows;
}

TEST(TrainCheckpoint, RestoredTrainerContinuesBitForBit) {
  // Dropout on and weight decay on: every piece of state (values, moments, step count for the
  // bias correction, the dropout generator) has to come back for the bits to match.
  const auto base = BaseModel::Load(scale::testing::StoriesModel());
  LoraOptions lo;
  lo.dropout = 0.2f;
  lo.rank = 4;
  TrainOptions o;
  o.lora = lo;
  o.threads = 2;
  o.batch = 2;
  o.weight_decay = 0.05;
  const auto rows = SomeRows();
  auto step = [&](Trainer& t, int s) { t.Step({&rows[s % 3], &rows[(s + 1) % 3]}, 1e-2 / (s + 1)); };

  auto lora = Lora::Create(*base, lo);
  Trainer straight(*base, *lora, o);
  Checkpoint saved;
  for (int s = 0; s < 6; ++s) {
    step(straight, s);
    if (s == 2) {
      saved.trainer = straight.State();
      saved.params = lora->Values();
    }
  }
  TempDir dir("ckpt");
  WriteCheckpoint(dir.file(CheckpointStateName(3)), saved);
  std::string why;
  const auto back = ReadCheckpoint(dir.file(CheckpointStateName(3)), &why);
  ASSERT_TRUE(back.has_value()) << why;

  auto lora2 = Lora::Create(*base, lo);
  Trainer resumed(*base, *lora2, o);
  lora2->SetValues(back->params);
  resumed.Restore(back->trainer);
  EXPECT_EQ(resumed.optimizer_steps(), 3);
  for (int s = 3; s < 6; ++s) step(resumed, s);
  EXPECT_TRUE(SameBits(lora->Values(), lora2->Values()));
  EXPECT_TRUE(SameBits(straight.State().m, resumed.State().m));
  EXPECT_EQ(straight.State().rng, resumed.State().rng);

  // And a state for another adapter shape is refused, not half-applied.
  LoraOptions other = lo;
  other.rank = 2;
  auto small = Lora::Create(*base, other);
  Trainer t3(*base, *small, o);
  EXPECT_THROW(t3.Restore(back->trainer), Error);
  EXPECT_THROW(small->SetValues(back->params), Error);
}

}  // namespace
}  // namespace scale::train
