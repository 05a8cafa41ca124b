// Per-row scores and their summary (what every eval report shows), and the paired bootstrap used
// by --compare. All metric values are on a 0-100 scale, like CodeXGLUE's BLEU.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace scale::eval {

struct RowScore {
  double bleu = 0;     // smoothed sentence BLEU-4 x 100 (bleu.h)
  double rouge_l = 0;  // ROUGE-L F1 x 100
  double rouge_2 = 0;  // ROUGE-2 F1 x 100
  int length = 0;      // prediction length in BLEU tokens
  bool empty = false;  // the scored prediction is empty (model said nothing usable)
  bool failed = false; // no answer at all (engine error, timeout, context full)
};

// Scores one row. A failed row is scored as an empty prediction (it still counts in the means, as a
// missing prediction does in CodeXGLUE).
RowScore ScoreRow(const std::string& reference, const std::string& prediction, bool failed);
// Several references (CodeXGLUE gold files may repeat an id): BLEU against all of them (shortest
// reference length, max n-gram counts), ROUGE the best F1 over them.
RowScore ScoreRowMulti(const std::vector<std::string>& references, const std::string& prediction);

struct Summary {
  size_t rows = 0;
  double bleu = 0;
  double rouge_l = 0;
  double rouge_2 = 0;
  double mean_length = 0;
  size_t empty = 0;   // includes failed rows
  size_t failed = 0;
};
Summary Summarize(const std::vector<RowScore>& scores);

// Which metric of a RowScore ("bleu", "rouge_l", "rouge_2", "length").
double MetricValue(const RowScore& score, const std::string& metric);
const std::vector<std::string>& MetricNames();

struct Difference {
  double mean_a = 0;
  double mean_b = 0;
  double diff = 0;     // mean_b - mean_a
  double ci_low = 0;   // paired bootstrap percentile interval of the mean difference
  double ci_high = 0;
};

// Paired bootstrap over rows: `resamples` times draw n row indices with replacement (std::mt19937_64
// seeded with `seed`, so the same inputs give the same interval everywhere), take the mean of
// b[i] - a[i] over the draw, and report the 2.5th / 97.5th percentiles (for confidence 0.95).
// a and b must have the same, non-zero length.
Difference PairedBootstrap(const std::vector<double>& a, const std::vector<double>& b, int resamples = 1000,
                           uint64_t seed = 20240601, double confidence = 0.95);

}  // namespace scale::eval
