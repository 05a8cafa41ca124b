// The breaker's rules on scripted metrics: each one trips on its failure with its default action
// and a reason carrying the numbers, and none trips on the noise of a healthy run.
#include "train/breaker.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "util/error.h"

namespace scale::train {
namespace {

StepMetrics Healthy(int step, double loss = 2.0, double grad = 1.5, double tps = 1000) {
  StepMetrics m;
  m.step = step;
  m.loss = loss;
  m.grad_norm = grad;
  m.tokens_per_second = tps;
  m.rss_bytes = 100u << 20;
  return m;
}

// Feeds `n` steady healthy steps (1..n) and expects nothing to trip.
void WarmUp(Breaker* b, int n) {
  for (int i = 1; i <= n; ++i) ASSERT_TRUE(b->OnStep(Healthy(i)).empty()) << "step " << i;
}

TEST(Breaker, DefaultsAreTheDocumentedOnes) {
  const BreakerOptions o;
  EXPECT_EQ(BreakerActionsString(o), "nan=rollback,spike=rollback,grad=warn,eval=halt,memory=halt,throughput=warn");
}

TEST(Breaker, HealthyNoisyRunTripsNothing) {
  // A run whose loss falls from 6 to 1 with +-30% batch noise, a gradient norm wandering over a
  // factor of 4, throughput jittering by +-35% and a held-out loss that wobbles by 3% near its floor.
  BreakerOptions o;
  o.memory_budget = 1ull << 30;
  Breaker b(o);
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-1, 1);
  int trips = 0;
  for (int step = 1; step <= 2000; ++step) {
    const double trend = 1 + 5 * std::exp(-step / 200.0);
    StepMetrics m = Healthy(step, trend * (1 + 0.3 * u(rng)), 2 * std::exp(0.7 * u(rng)), 1000 * (1 + 0.35 * u(rng)));
    m.rss_bytes = (500u << 20) + static_cast<uint64_t>(50e6 * (1 + u(rng)));
    trips += static_cast<int>(b.OnStep(m).size());
    if (step % 50 == 0) trips += static_cast<int>(b.OnEval(step, std::max(1.0, trend) * (1 + 0.03 * u(rng))).size());
  }
  EXPECT_EQ(trips, 0);
}

TEST(Breaker, NanOrInfinityInLossOrGradientTrips) {
  Breaker b{BreakerOptions{}};
  // No warm-up for broken numbers: the very first step counts.
  auto t = b.OnStep(Healthy(1, std::nan("")));
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].rule, BreakerRule::kNan);
  EXPECT_EQ(t[0].action, BreakerAction::kRollback);
  EXPECT_EQ(t[0].step, 1);
  EXPECT_NE(t[0].reason.find("nan"), std::string::npos) << t[0].reason;
  t = b.OnStep(Healthy(2, 2.0, std::numeric_limits<double>::infinity()));
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].rule, BreakerRule::kNan);
  EXPECT_EQ(b.state().loss_seen, 0) << "broken steps are not averaged in";
  t = b.OnEval(2, std::nan(""));
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].rule, BreakerRule::kNan);
  const nlohmann::json e = TripEvent(t[0]);
  EXPECT_EQ(e["event"], "breaker");
  EXPECT_EQ(e["rule"], "nan");
  EXPECT_EQ(e["action"], "rollback");
  EXPECT_TRUE(e["value"].is_null()) << e.dump();
}

TEST(Breaker, LossSpikeTripsAfterWarmUpOnly) {
  Breaker b{BreakerOptions{}};
  // During warm-up a high loss is only averaged in.
  EXPECT_TRUE(b.OnStep(Healthy(1, 2.0)).empty());
  EXPECT_TRUE(b.OnStep(Healthy(2, 20.0)).empty());
  Breaker c{BreakerOptions{}};
  WarmUp(&c, 10);
  EXPECT_TRUE(c.OnStep(Healthy(11, 5.9)).empty()) << "2.95x the average is under the 3x default";
  Breaker e{BreakerOptions{}};
  WarmUp(&e, 10);
  auto t = e.OnStep(Healthy(11, 7.0));
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].rule, BreakerRule::kSpike);
  EXPECT_EQ(t[0].action, BreakerAction::kRollback);
  EXPECT_NEAR(t[0].limit, 3 * t[0].baseline, 1e-12);
  EXPECT_NE(t[0].reason.find("loss 7 is"), std::string::npos) << t[0].reason;
  BreakerOptions tight;
  tight.spike_factor = 1.5;
  Breaker d(tight);
  WarmUp(&d, 5);
  EXPECT_EQ(d.OnStep(Healthy(6, 3.1)).size(), 1u);
}

TEST(Breaker, GradientNormTripsAndOnlyWarnsByDefault) {
  Breaker b{BreakerOptions{}};
  WarmUp(&b, 5);
  EXPECT_TRUE(b.OnStep(Healthy(6, 2.0, 14.0)).empty()) << "9.3x is under 10x";
  Breaker c{BreakerOptions{}};
  WarmUp(&c, 5);
  auto t = c.OnStep(Healthy(6, 2.0, 16.0));
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].rule, BreakerRule::kGrad);
  EXPECT_EQ(t[0].action, BreakerAction::kWarn);
  EXPECT_EQ(Strongest(t), BreakerAction::kWarn);
}

TEST(Breaker, EvalRegressionForPatienceEvaluationsHalts) {
  Breaker b{BreakerOptions{}};
  EXPECT_TRUE(b.OnEval(0, 5.0).empty());
  EXPECT_TRUE(b.OnEval(10, 3.0).empty());
  EXPECT_TRUE(b.OnEval(20, 3.1).empty()) << "within 5% of the best";
  EXPECT_TRUE(b.OnEval(30, 3.5).empty());
  EXPECT_TRUE(b.OnEval(40, 3.6).empty());
  EXPECT_TRUE(b.OnEval(50, 3.05).empty()) << "back within tolerance: the count starts again";
  EXPECT_TRUE(b.OnEval(60, 3.5).empty());
  EXPECT_TRUE(b.OnEval(70, 3.5).empty());
  auto t = b.OnEval(80, 3.7);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].rule, BreakerRule::kEval);
  EXPECT_EQ(t[0].action, BreakerAction::kHalt);
  EXPECT_EQ(t[0].baseline, 3.0);
  EXPECT_NE(t[0].reason.find("step 10"), std::string::npos) << t[0].reason;
}

TEST(Breaker, MemoryTripsOnceWhenAboveABudgetAndNeverWithoutOne) {
  Breaker none{BreakerOptions{}};
  StepMetrics big = Healthy(1);
  big.rss_bytes = 64ull << 30;
  EXPECT_TRUE(none.OnStep(big).empty());
  BreakerOptions o;
  o.memory_budget = 1ull << 30;
  Breaker b(o);
  StepMetrics m = Healthy(1);
  m.rss_bytes = (1ull << 30) - 1;
  EXPECT_TRUE(b.OnStep(m).empty());
  m.step = 2;
  m.rss_bytes = (1ull << 30) + (1u << 20);
  auto t = b.OnStep(m);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].rule, BreakerRule::kMemory);
  EXPECT_EQ(t[0].action, BreakerAction::kHalt);
  m.step = 3;
  EXPECT_TRUE(b.OnStep(m).empty()) << "still over: said once";
}

TEST(Breaker, ThroughputTripsOnlyWhenSlowForSeveralStepsInARow) {
  Breaker b{BreakerOptions{}};
  WarmUp(&b, 10);
  int step = 11;
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(b.OnStep(Healthy(step++, 2.0, 1.5, 300)).empty());
  EXPECT_TRUE(b.OnStep(Healthy(step++)).empty()) << "a normal step in between resets the count";
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(b.OnStep(Healthy(step++, 2.0, 1.5, 300)).empty());
  auto t = b.OnStep(Healthy(step++, 2.0, 1.5, 300));
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].rule, BreakerRule::kThroughput);
  EXPECT_EQ(t[0].action, BreakerAction::kWarn);
  EXPECT_NEAR(t[0].baseline, 1000, 1e-9) << "slow steps do not drag the average down";
}

TEST(Breaker, FlagsSetActionsAndOffDisablesEverything) {
  BreakerOptions o;
  ApplyBreakerFlag("grad=halt", &o);
  ApplyBreakerFlag("spike=warn,throughput=off", &o);
  EXPECT_EQ(BreakerActionsString(o), "nan=rollback,spike=warn,grad=halt,eval=halt,memory=halt,throughput=off");
  BreakerOptions back;
  ApplyBreakerFlag(BreakerActionsString(o), &back);
  EXPECT_EQ(back.actions, o.actions);
  ApplyBreakerFlag("off", &o);
  Breaker b(o);
  EXPECT_TRUE(b.OnStep(Healthy(1, std::nan(""))).empty());
  EXPECT_THROW(ApplyBreakerFlag("bogus=warn", &o), Error);
  EXPECT_THROW(ApplyBreakerFlag("nan=explode", &o), Error);
  EXPECT_THROW(ApplyBreakerFlag("nan", &o), Error);
}

TEST(Breaker, StateRoundTripsThroughJson) {
  Breaker b{BreakerOptions{}};
  WarmUp(&b, 7);
  b.OnEval(7, 2.5);
  const BreakerState s = BreakerStateFromJson(nlohmann::json::parse(BreakerStateJson(b.state()).dump()));
  EXPECT_EQ(s.loss_ema, b.state().loss_ema);
  EXPECT_EQ(s.loss_seen, 7);
  EXPECT_TRUE(s.have_best);
  EXPECT_EQ(s.best_eval_step, 7);
  EXPECT_EQ(BreakerStateFromJson(nlohmann::json()).loss_seen, 0);
}

TEST(Breaker, AllFiniteFindsNanAndInfinity) {
  EXPECT_TRUE(AllFinite({0.0f, -1.0f, 3e38f}));
  EXPECT_FALSE(AllFinite({0.0f, std::nanf("")}));
  EXPECT_FALSE(AllFinite({std::numeric_limits<float>::infinity()}));
}

}  // namespace
}  // namespace scale::train
