// Worked ROUGE examples, derived by hand in the comments.
#include "eval/rouge.h"

#include <gtest/gtest.h>

namespace scale::eval {
namespace {

TEST(RougeTokens, LowerCaseAlphanumericRuns) {
  EXPECT_EQ(RougeTokens("get_name(X) -> Y2, z."), (std::vector<std::string>{"get", "name", "x", "y2", "z"}));
  EXPECT_TRUE(RougeTokens(" ... ").empty());
}

TEST(Rouge, WorkedPartialMatch) {
  // ref [returns the sum of two integers], pred [return the sum of two numbers]:
  // LCS = the sum of two (4): P = R = 4/6, F1 = 2/3. Bigrams 5 each, 3 shared: P = R = F1 = 0.6.
  RougeScore l = RougeL("Returns the sum of two integers", "Return the sum of two numbers");
  EXPECT_DOUBLE_EQ(l.precision, 4.0 / 6.0);
  EXPECT_DOUBLE_EQ(l.recall, 4.0 / 6.0);
  EXPECT_DOUBLE_EQ(l.f1, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(Rouge2("Returns the sum of two integers", "Return the sum of two numbers").f1, 0.6);
}

TEST(Rouge, ReorderedWords) {
  // LCS of "the cat sat on the mat" / "the cat on the mat sat" = the cat on the mat (5): F1 = 5/6.
  // Shared bigrams: the cat, on the, the mat = 3 of 5 each: F1 = 0.6.
  EXPECT_NEAR(RougeL("the cat sat on the mat", "the cat on the mat sat").f1, 5.0 / 6.0, 1e-15);
  EXPECT_NEAR(Rouge2("the cat sat on the mat", "the cat on the mat sat").f1, 0.6, 1e-15);
}

TEST(Rouge, ClippedCounts) {
  // ref "a a b", pred "a a a a". LCS = 2: P = 1/2, R = 2/3, F1 = (2/3)/(7/6) = 4/7.
  // Bigrams: pred (a a) x3, ref (a a) x1 + (a b): overlap min(3,1) = 1: P = 1/3, R = 1/2, F1 = 0.4.
  EXPECT_NEAR(RougeL("a a b", "a a a a").f1, 4.0 / 7.0, 1e-15);
  RougeScore r2 = Rouge2("a a b", "a a a a");
  EXPECT_NEAR(r2.precision, 1.0 / 3.0, 1e-15);
  EXPECT_NEAR(r2.recall, 0.5, 1e-15);
  EXPECT_NEAR(r2.f1, 0.4, 1e-15);
}

TEST(Rouge, EmptySidesScoreZero) {
  EXPECT_EQ(RougeL("", "something").f1, 0.0);
  EXPECT_EQ(RougeL("something", "").f1, 0.0);
  EXPECT_EQ(RougeL("", "").f1, 0.0);
  EXPECT_EQ(Rouge2("one", "one").f1, 0.0);  // a single token has no bigram
  EXPECT_EQ(RougeL("Same Words", "same words!").f1, 1.0);
}

TEST(Rouge, LcsLength) {
  EXPECT_EQ(LcsLength({"a", "b", "c", "d"}, {"b", "d"}), 2u);
  EXPECT_EQ(LcsLength({}, {"x"}), 0u);
}

}  // namespace
}  // namespace scale::eval
