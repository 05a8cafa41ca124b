// Worked examples for the CodeXGLUE smoothed BLEU-4. Expected values were derived by hand where
// short (derivations below) and cross-checked with an independent Python re-creation of
// smooth_bleu.py (bench/smooth_bleu_ref.py) for the longer ones.
#include "eval/bleu.h"

#include <cmath>
#include <string>

#include <gtest/gtest.h>

namespace scale::eval {
namespace {

std::vector<std::string> Tok(std::string_view s) { return NormalizeBleu(s); }

TEST(SplitPuncts, WordRunsAndSinglePunctuation) {
  EXPECT_EQ(SplitPuncts("get_name(x) -> y, z."), "get_name ( x ) - > y , z .");
  EXPECT_EQ(SplitPuncts("  what's   1.5  "), "what ' s 1 . 5");
  EXPECT_EQ(SplitPuncts(""), "");
  EXPECT_EQ(SplitPuncts("café naïve"), "café naïve");  // Latin-1 letters are \w in Python
  EXPECT_EQ(SplitPuncts("a→b"), "a → b");              // arrows are not
}

TEST(NormalizeBleu, NistRules) {
  // Underscore is in rule 1's class [\[-\`], so identifiers split; '&quot;' is unescaped first.
  EXPECT_EQ(Tok("get_name"), (std::vector<std::string>{"get", "_", "name"}));
  EXPECT_EQ(Tok("a&quot;b &amp;lt; 1,000 3-4"),
            (std::vector<std::string>{"a", "\"", "b", "&", "lt", ";", "1,000", "3", "-", "4"}));
  EXPECT_EQ(Tok("End.Next"), (std::vector<std::string>{"end", ".", "next"}));
  EXPECT_EQ(Tok("line-\nbreak\nhere <skipped>"), (std::vector<std::string>{"linebreak", "here"}));
}

TEST(SentenceBleu, IdenticalIsExactly100) {
  // All clipped counts equal the guesses: log(c/c) = 0 for n=1, log((c+1)/(c+1)) = 0 for n>=2,
  // and the brevity term is 1 - (r+1)/(c+1) = 0. So exactly 1, even below four tokens (orders with
  // no n-grams contribute log(1/1)).
  EXPECT_DOUBLE_EQ(SentenceBleu("Returns the sum of two numbers.", "Returns the sum of two numbers."), 1.0);
  EXPECT_DOUBLE_EQ(SentenceBleu("add", "add"), 1.0);
}

TEST(SentenceBleu, CaseIsIgnored) {
  EXPECT_DOUBLE_EQ(SentenceBleu("returns the value", "Returns The VALUE"), 1.0);
}

TEST(SentenceBleu, WorkedPartialMatch) {
  // ref: returns the sum of two integers (6 tokens); pred: return the sum of two numbers (6).
  // 1-grams 4/6 (the, sum, of, two); 2-grams (3+1)/(5+1); 3-grams (2+1)/(4+1); 4-grams (1+1)/(3+1);
  // BP term 1 - 7/7 = 0.  BLEU = (4/6 * 4/6 * 3/5 * 2/4)^(1/4) = (2/15)^(1/4) = 0.604275079...
  BleuStats s = SentenceBleuPrepared({"returns the sum of two integers"}, "return the sum of two numbers");
  EXPECT_EQ(s.test_len, 6);
  EXPECT_EQ(s.ref_len, 6);
  EXPECT_EQ(s.guess, (std::array<int, 4>{6, 5, 4, 3}));
  EXPECT_EQ(s.correct, (std::array<int, 4>{4, 3, 2, 1}));
  EXPECT_NEAR(s.score, std::pow(2.0 / 15.0, 0.25), 1e-15);
  EXPECT_NEAR(100 * SentenceBleu("Returns the sum of two integers", "Return the sum of two numbers"),
              60.42750794713536, 1e-12);
}

TEST(SentenceBleu, EmptyPredictionIsExpMinusRefLength) {
  // No candidate n-grams: every order gives log(0+min)-log(0+min) = 0 or log(1)-log(1) = 0, so only
  // the brevity term remains: 1 - (4+1)/(0+1) = -4 for the 4 reference tokens "returns the value .".
  EXPECT_NEAR(SentenceBleu("Returns the value .", ""), std::exp(-4.0), 1e-15);
  EXPECT_NEAR(100 * SentenceBleu("Returns the value .", ""), 1.8315638888734178, 1e-12);
}

TEST(SentenceBleu, EmptyReference) {
  // 2 candidate tokens, 0 unigram matches: log(DBL_MIN) - log(2) dominates, BP term min(0, 1-1/3)=0.
  // (log(DBL_MIN) - 3 log 2) / 4 = -177.45... -> 8.636e-78.
  double s = SentenceBleu("", "returns x");
  EXPECT_GT(s, 0.0);
  EXPECT_NEAR(100 * s, 8.636168555094742e-76, 1e-85);
  // Both empty: every term is 0, so the script scores a perfect 100.
  EXPECT_DOUBLE_EQ(SentenceBleu("", ""), 1.0);
  EXPECT_DOUBLE_EQ(SentenceBleu("   ", "\t\n"), 1.0);
}

TEST(SentenceBleu, PunctuationOnly) {
  EXPECT_DOUBLE_EQ(SentenceBleu("...", "..."), 1.0);
  // "!!" vs "?": no unigram match, same magnitude as the empty-reference case.
  EXPECT_NEAR(100 * SentenceBleu("?", "!!"), 8.636168555094742e-76, 1e-85);
}

TEST(SentenceBleu, UnderscoreAndEntities) {
  // Python re-creation values: underscore splits ("get _ name"); '&quot;' reaches normalize()
  // already split by SplitPuncts ("& quot ;") so it is NOT unescaped in the CodeXGLUE pipeline.
  EXPECT_NEAR(100 * SentenceBleu("get_name returns the name", "get name returns name"), 36.01528830842353, 1e-12);
  EXPECT_NEAR(100 * SentenceBleu("Returns \"foo\"", "Returns &quot;foo&quot;"), 16.515821590069034, 1e-12);
  EXPECT_NEAR(100 * SentenceBleu("Version 1.5-beta, see x.y", "version 1.5 - beta see x . y"), 74.26141117870938,
              1e-12);
}

TEST(SentenceBleu, ShortReferenceLongPredictionHasNoBrevityPenalty) {
  // ref "a" (1), pred 8 tokens: 1-gram 1/8; n>=2: (0+1)/(7+1), 1/7, 1/6; BP term min(0, 1-2/9)=0.
  // (1/8 * 1/8 * 1/7 * 1/6)^(1/4) = 0.13888095170...
  EXPECT_NEAR(SentenceBleu("a", "a b c d e f g h"), std::pow(1.0 / (8 * 8 * 7 * 6), 0.25), 1e-15);
}

TEST(SentenceBleu, VeryLong) {
  std::string ref;
  std::string pred;
  for (int i = 0; i < 500; ++i) ref += "w" + std::to_string(i % 50) + " ";
  for (int i = 0; i < 600; ++i) pred += "w" + std::to_string(i % 40) + " ";
  EXPECT_NEAR(100 * SentenceBleu(ref, pred), 64.34670037929064, 1e-9);
}

TEST(SentenceBleu, ShortestReferenceIsTheEffectiveLength) {
  // refs of 6 and 2 tokens; "the cat" matches every n-gram and r = 2 = c, so exactly 1.
  EXPECT_DOUBLE_EQ(SentenceBleuMulti({"the cat sat on the mat", "a cat"}, "the cat"), 1.0);
}

TEST(CorpusBleu, MeanTimes100) {
  std::vector<std::string> refs = {"add", "Returns the sum of two integers", "Returns the value ."};
  std::vector<std::string> preds = {"add", "Return the sum of two numbers", ""};
  double expected = (1.0 + std::pow(2.0 / 15.0, 0.25) + std::exp(-4.0)) * 100.0 / 3.0;
  EXPECT_NEAR(CorpusBleu(refs, preds), expected, 1e-12);
  EXPECT_EQ(CorpusBleu({}, {}), 0.0);
}

}  // namespace
}  // namespace scale::eval
