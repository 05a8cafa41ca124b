// Safety's decisions on scripted trips: rollbacks count and scale the rate down, the next one past
// --max-rollbacks is a halt, warnings never stop a run, and the counters survive a checkpoint.
#include "train/safety.h"

#include <gtest/gtest.h>

namespace scale::train {
namespace {

Trip Tripped(BreakerRule rule, BreakerAction action, int step) {
  Trip t;
  t.rule = rule;
  t.action = action;
  t.step = step;
  t.reason = "test";
  return t;
}

Checkpoint GoodAt(int step) {
  Checkpoint c;
  c.trainer.steps = step;
  c.run = {{"breaker", {{"state", {{"loss_seen", 4}, {"loss_ema", 2.5}}}}}};
  return c;
}

TEST(Safety, RollbacksScaleTheRateThenAHaltOnceUsedUp) {
  SafetyOptions o;
  o.max_rollbacks = 2;
  o.rollback_lr_factor = 0.5;
  Safety s(o);
  s.Remember(GoodAt(8));
  const Trip spike = Tripped(BreakerRule::kSpike, BreakerAction::kRollback, 11);
  SafetyVerdict v = s.Judge({spike});
  EXPECT_EQ(v.decision, SafetyDecision::kRollback);
  EXPECT_EQ(s.lr_scale(), 0.5);
  ASSERT_EQ(v.events.size(), 1u);
  EXPECT_EQ(v.events[0]["to_step"], 8);
  EXPECT_EQ(v.events[0]["rollbacks"], 1);
  EXPECT_NE(v.warnings[0].find("rolling back to step 8"), std::string::npos) << v.warnings[0];
  EXPECT_EQ(s.Judge({spike}).decision, SafetyDecision::kRollback);
  EXPECT_EQ(s.lr_scale(), 0.25);
  v = s.Judge({spike});
  EXPECT_EQ(v.decision, SafetyDecision::kHalt);
  EXPECT_EQ(s.rollbacks(), 2);
  EXPECT_EQ(s.lr_scale(), 0.25) << "a halt lowers nothing";
  EXPECT_EQ(v.events[0]["action"], "halt");
  EXPECT_EQ(v.events[0]["asked"], "rollback");
  EXPECT_NE(v.halt_reason.find("spike at step 11"), std::string::npos) << v.halt_reason;
}

TEST(Safety, WarningsGoOnAndTheStrongestActionWins) {
  Safety s{SafetyOptions{}};
  s.Remember(GoodAt(0));
  const Trip grad = Tripped(BreakerRule::kGrad, BreakerAction::kWarn, 3);
  SafetyVerdict v = s.Judge({grad});
  EXPECT_EQ(v.decision, SafetyDecision::kContinue);
  EXPECT_EQ(v.warnings.size(), 1u);
  v = s.Judge({grad, Tripped(BreakerRule::kMemory, BreakerAction::kHalt, 3)});
  EXPECT_EQ(v.decision, SafetyDecision::kHalt);
  EXPECT_EQ(v.events.size(), 2u);
  EXPECT_NE(v.halt_reason.find("memory"), std::string::npos) << v.halt_reason;
  EXPECT_EQ(s.Judge({Tripped(BreakerRule::kNan, BreakerAction::kRollback, 4), grad}).decision, SafetyDecision::kRollback);
}

TEST(Safety, CountersAndBreakerStateRoundTripAndARollbackRestoresTheGoodOnesAverages) {
  Safety s{SafetyOptions{}};
  s.Remember(GoodAt(8));
  s.Judge({Tripped(BreakerRule::kNan, BreakerAction::kRollback, 9)});
  Safety back{SafetyOptions{}};
  back.FromJson(nlohmann::json::parse(s.ToJson().dump()));
  EXPECT_EQ(back.rollbacks(), 1);
  EXPECT_EQ(back.lr_scale(), 0.5);
  s.RestoreBreakerOfGood();
  EXPECT_EQ(s.breaker().state().loss_seen, 4);
  EXPECT_EQ(s.breaker().state().loss_ema, 2.5);
  Safety fresh{SafetyOptions{}};
  fresh.FromJson(nlohmann::json::object());  // a checkpoint from before the breaker
  EXPECT_EQ(fresh.lr_scale(), 1);
  EXPECT_EQ(fresh.rollbacks(), 0);
}

}  // namespace
}  // namespace scale::train
