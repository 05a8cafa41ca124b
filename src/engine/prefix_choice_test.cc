// The disk-cache choice as a pure function: what a run shared, priced against what sequences still
// hold. (The scheduler tests cover the same rule end to end on real KV caches.)
#include "engine/prefix_choice.h"

#include <gtest/gtest.h>

namespace scale::engine {
namespace {

Tokens Seq(std::initializer_list<int> ids) { return Tokens(ids.begin(), ids.end()); }

TEST(PrefixChoiceTest, CommonPrefixCountsLeadingTokens) {
  EXPECT_EQ(CommonPrefix(Seq({1, 2, 3}), Seq({1, 2, 4})), 2u);
  EXPECT_EQ(CommonPrefix(Seq({1, 2}), Seq({1, 2, 3})), 2u);
  EXPECT_EQ(CommonPrefix(Seq({}), Seq({1})), 0u);
  EXPECT_EQ(CommonPrefix(Seq({5}), Seq({1})), 0u);
}

TEST(PrefixChoiceTest, ThePrefixEveryGroupSharesBeatsOneGroupsLongerOne) {
  // System prompt 1 2 3 4; file A adds 5 6 (used by 3 requests, long gone); file B adds 7 8 (one
  // request), and the only sequence left holds B's prompt.
  const Tokens held = Seq({1, 2, 3, 4, 7, 8, 9});
  std::map<Tokens, int64_t> shared = {{Seq({1, 2, 3, 4, 5, 6}), 3}, {Seq({1, 2, 3, 4, 7, 8}), 1}};
  std::vector<Tokens> best = PrefixesWorthSaving({&held}, shared, 2, 1);
  ASSERT_EQ(best.size(), 1u);
  EXPECT_EQ(best[0], Seq({1, 2, 3, 4})) << "4 tokens x 4 requests beats 6 tokens x 1 request";
  // With room for two, both are kept, the longer one first (trimming for the shorter keeps it).
  std::vector<Tokens> two = PrefixesWorthSaving({&held}, shared, 2, 2);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0], Seq({1, 2, 3, 4, 7, 8}));
  EXPECT_EQ(two[1], Seq({1, 2, 3, 4}));
}

TEST(PrefixChoiceTest, ShortCutsAndUnsharedSequencesAreNeverChosen) {
  const Tokens held = Seq({1, 2, 3});
  const Tokens other = Seq({9, 9, 9});
  std::map<Tokens, int64_t> shared = {{Seq({1, 2, 8}), 5}};
  EXPECT_TRUE(PrefixesWorthSaving({&held, &other}, shared, 3, 2).empty()) << "2 common tokens < min_share 3";
  std::vector<Tokens> chosen = PrefixesWorthSaving({&held, &other}, shared, 2, 2);
  ASSERT_EQ(chosen.size(), 1u);
  EXPECT_EQ(chosen[0], Seq({1, 2}));
  EXPECT_TRUE(PrefixesWorthSaving({&held}, {}, 1, 2).empty());
}

}  // namespace
}  // namespace scale::engine
