#include "remote/health.h"

#include <gtest/gtest.h>

namespace scale::remote {
namespace {

TEST(RemoteHealth, CircuitOpensAfterThreeFailuresAndProbesBackIn) {
  Circuit c(3, 1.0, 4.0);
  EXPECT_TRUE(c.Allows(0));
  c.Failed(0);
  c.Failed(0);
  EXPECT_TRUE(c.Allows(0));  // two failures: still in rotation
  c.Failed(10);
  EXPECT_TRUE(c.open());
  EXPECT_FALSE(c.Allows(10.5));
  EXPECT_TRUE(c.Allows(11.0));  // cooldown over: one probe
  c.Sent(11.0);
  EXPECT_FALSE(c.Allows(11.0));  // and only one
  c.Failed(11.2);                // the probe failed: twice the cooldown
  EXPECT_FALSE(c.Allows(13.1));
  EXPECT_TRUE(c.Allows(13.2));
  c.Sent(13.2);
  c.Succeeded();
  EXPECT_FALSE(c.open());
  EXPECT_TRUE(c.Allows(13.2));
  EXPECT_EQ(c.failures(), 0);
}

TEST(RemoteHealth, CooldownIsCapped) {
  Circuit c(1, 1.0, 4.0);
  double now = 0;
  c.Failed(now);
  for (int i = 0; i < 6; ++i) {
    now = c.reopens_at();
    c.Sent(now);
    c.Failed(now);
  }
  EXPECT_DOUBLE_EQ(c.reopens_at() - now, 4.0);
}

TEST(RemoteHealth, BackoffGrowsWithJitterAndHonoursRetryAfter) {
  EXPECT_DOUBLE_EQ(BackoffSeconds(1, -1, 0.0), 0.125);
  EXPECT_DOUBLE_EQ(BackoffSeconds(3, -1, 0.0), 0.5);
  EXPECT_LT(BackoffSeconds(3, -1, 0.99), 1.0);
  EXPECT_GT(BackoffSeconds(3, -1, 0.99), 0.99);
  EXPECT_DOUBLE_EQ(BackoffSeconds(20, -1, 0.0), 4.0);  // capped at 8 s before jitter
  EXPECT_DOUBLE_EQ(BackoffSeconds(1, 5.0, 0.0), 5.0);   // the server asked for more
}

TEST(RemoteHealth, RetryAfterSecondsOrHttpDate) {
  EXPECT_DOUBLE_EQ(ParseRetryAfter("3", 0), 3);
  EXPECT_DOUBLE_EQ(ParseRetryAfter("", 0), -1);
  EXPECT_DOUBLE_EQ(ParseRetryAfter("soon", 0), -1);
  EXPECT_DOUBLE_EQ(ParseRetryAfter("-4", 0), -1);
  EXPECT_DOUBLE_EQ(ParseRetryAfter("999999", 0), 3600);  // a hostile server cannot stall a run
  // Sun, 06 Nov 1994 08:49:37 GMT = 784111777
  EXPECT_DOUBLE_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", 784111770), 7);
  EXPECT_DOUBLE_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", 784111800), 0);
}

}  // namespace
}  // namespace scale::remote
