// Smoothed sentence BLEU-4 exactly as CodeXGLUE's code-to-text evaluator (evaluator/smooth_bleu.py,
// itself adapted from MOSES' bleu.py) computes it, so numbers compare with published results.
//
// The pipeline, per row: text -> strip, lower-case -> SplitPuncts (runs of word characters, and
// every other non-space character on its own) -> NormalizeBleu (NIST mteval-v11a tokenisation,
// &quot; &amp; &lt; &gt; unescaped, lower-case) -> n-gram counts 1..4 -> sentence score with +1
// smoothing on numerator and denominator for n >= 2 and brevity penalty
// exp(min(0, 1 - (r+1)/(c+1))) against the SHORTEST reference (the script's eff_ref_len). The corpus
// score is the mean sentence score x 100. Consequences worth knowing (tested in bleu_test.cc):
// an identical prediction scores 100; an empty prediction scores 100*exp(-r) (not 0); an empty
// prediction against an empty reference scores 100.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace scale::eval {

// ' '.join(re.findall(r"[\w]+|[^\s\w]", text)) with Python's Unicode \w and \s (see bleu.cc for the
// non-ASCII approximation: letters/digits of any script are word characters).
std::string SplitPuncts(std::string_view text);

// smooth_bleu.normalize(): the token list BLEU counts.
std::vector<std::string> NormalizeBleu(std::string_view text);

// Lower-cases ASCII and the cased letters of Latin-1, Latin Extended-A, Greek and Cyrillic.
std::string LowerUtf8(std::string_view text);

// What one sentence contributes (kept for corpus statistics and for tests to check the pieces).
struct BleuStats {
  int test_len = 0;              // candidate tokens
  int ref_len = 0;               // effective reference length (shortest reference)
  std::array<int, 4> guess{};    // candidate n-grams of order 1..4
  std::array<int, 4> correct{};  // of those, clipped matches
  double score = 0;              // sentence BLEU in [0, 1]
};

// Sentence BLEU of an already prepared hypothesis against prepared references (the strings
// smooth_bleu.bleu() receives). At least one reference is required.
BleuStats SentenceBleuPrepared(const std::vector<std::string>& refs, std::string_view hyp);

// The CodeXGLUE per-row score in [0, 1]: raw texts go through strip + lower + SplitPuncts first
// (computeMaps()), then SentenceBleuPrepared.
double SentenceBleu(std::string_view reference, std::string_view prediction);
double SentenceBleuMulti(const std::vector<std::string>& references, std::string_view prediction);

// Mean of SentenceBleu over rows x 100 (bleuFromMaps()[0]). Empty input gives 0.
double CorpusBleu(const std::vector<std::string>& references, const std::vector<std::string>& predictions);

}  // namespace scale::eval
