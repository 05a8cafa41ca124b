// ROUGE-L and ROUGE-2 F1 for one prediction against one reference, on the tokenisation of Google's
// rouge_score package (lower-case, maximal runs of letters/digits, everything else a separator;
// no stemming). Scores are in [0, 1]; 0 when either side has no tokens (or no bigrams for ROUGE-2).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace scale::eval {

std::vector<std::string> RougeTokens(std::string_view text);

struct RougeScore {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
};

// Longest common subsequence of tokens: P = lcs/|pred|, R = lcs/|ref|, F1 = 2PR/(P+R).
RougeScore RougeL(std::string_view reference, std::string_view prediction);
// Clipped bigram overlap: P = overlap/#pred bigrams, R = overlap/#ref bigrams.
RougeScore Rouge2(std::string_view reference, std::string_view prediction);

// Exposed for tests: LCS length of two token sequences.
size_t LcsLength(const std::vector<std::string>& a, const std::vector<std::string>& b);

}  // namespace scale::eval
