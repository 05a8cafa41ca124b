// StopFilter: exact cuts at stop strings across pieces, nothing partial ever released, UTF-8 safe.
#include "engine/stop_filter.h"

#include <gtest/gtest.h>

namespace scale::engine {
namespace {

// Feeds pieces one by one and returns everything released (as a caller streaming would see it).
std::string Stream(StopFilter& f, const std::vector<std::string>& pieces, std::vector<std::string>* out = nullptr) {
  std::string all;
  for (const auto& p : pieces) {
    std::string r = f.Feed(p);
    if (out) out->push_back(r);
    all += r;
  }
  return all;
}

TEST(StopFilterTest, CutsRightBeforeStopInsideOnePiece) {
  StopFilter f({"END"});
  EXPECT_EQ(Stream(f, {"abc", "xyENDzz"}), "abcxy");
  EXPECT_TRUE(f.stopped());
  EXPECT_EQ(f.Feed("more"), "");
  EXPECT_EQ(f.Finish(), "");
}

TEST(StopFilterTest, StopSpanningPiecesIsHeldBackThenCut) {
  StopFilter f({"<|im_end|>"});
  std::vector<std::string> released;
  std::string all = Stream(f, {"Hello <|", "im_", "end|> tail"}, &released);
  EXPECT_EQ(all, "Hello ");
  EXPECT_EQ(released[0], "Hello ");  // "<|" waits: it may start the stop string
  EXPECT_EQ(released[1], "");
  EXPECT_TRUE(f.stopped());
}

TEST(StopFilterTest, HeldTextIsReleasedWhenItTurnsOutNotToBeAStop) {
  StopFilter f({"<|im_end|>"});
  std::vector<std::string> released;
  std::string all = Stream(f, {"a <|", "im_x"}, &released);
  EXPECT_EQ(released[0], "a ");
  EXPECT_EQ(all, "a <|im_x");
  EXPECT_FALSE(f.stopped());
  EXPECT_EQ(f.Finish(), "");
}

TEST(StopFilterTest, FinishReleasesAPartialPrefixThatNeverCompleted) {
  StopFilter f({"STOP"});
  EXPECT_EQ(f.Feed("abcST"), "abc");
  EXPECT_EQ(f.Finish(), "ST");
}

TEST(StopFilterTest, EarliestOfSeveralStopsWins) {
  StopFilter f({"zz", "b"});
  EXPECT_EQ(f.Feed("aaab zz"), "aaa");
}

TEST(StopFilterTest, NoStopsPassesEverything) {
  StopFilter f({});
  EXPECT_EQ(Stream(f, {"a", "b", "c"}), "abc");
  StopFilter g({""});  // empty stop strings are ignored, not "stop immediately"
  EXPECT_EQ(g.Feed("xyz"), "xyz");
}

TEST(StopFilterTest, NeverSplitsAMultiByteCharacter) {
  const std::string euro = "\xE2\x82\xAC";  // U+20AC, three bytes
  StopFilter f({});
  EXPECT_EQ(f.Feed("a" + euro.substr(0, 1)), "a");
  EXPECT_EQ(f.Feed(euro.substr(1, 1)), "");
  EXPECT_EQ(f.Feed(euro.substr(2, 1) + "b"), euro + "b");
}

TEST(StopFilterTest, FinishDropsACharacterThatCanNeverComplete) {
  StopFilter f({});
  EXPECT_EQ(f.Feed("ok\xF0\x9F"), "ok");  // first half of a 4-byte emoji
  EXPECT_EQ(f.Finish(), "");
}

TEST(StopFilterTest, IncompleteUtf8Tail) {
  EXPECT_EQ(IncompleteUtf8Tail(""), 0u);
  EXPECT_EQ(IncompleteUtf8Tail("abc"), 0u);
  EXPECT_EQ(IncompleteUtf8Tail("a\xC3"), 1u);
  EXPECT_EQ(IncompleteUtf8Tail("a\xC3\xA9"), 0u);
  EXPECT_EQ(IncompleteUtf8Tail("\xE2\x82"), 2u);
  EXPECT_EQ(IncompleteUtf8Tail("\xF0\x9F\x98"), 3u);
  EXPECT_EQ(IncompleteUtf8Tail("\xF0\x9F\x98\x80"), 0u);
}

}  // namespace
}  // namespace scale::engine
