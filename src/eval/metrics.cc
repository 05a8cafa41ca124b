#include "eval/metrics.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "eval/bleu.h"
#include "eval/rouge.h"
#include "util/error.h"

namespace scale::eval {

RowScore ScoreRow(const std::string& reference, const std::string& prediction, bool failed) {
  RowScore s;
  s.failed = failed;
  const std::string& pred = failed ? std::string() : prediction;
  s.bleu = 100.0 * SentenceBleu(reference, pred);
  s.rouge_l = 100.0 * RougeL(reference, pred).f1;
  s.rouge_2 = 100.0 * Rouge2(reference, pred).f1;
  s.length = static_cast<int>(NormalizeBleu(SplitPuncts(LowerUtf8(pred))).size());
  s.empty = failed || s.length == 0;
  return s;
}

RowScore ScoreRowMulti(const std::vector<std::string>& references, const std::string& prediction) {
  if (references.size() == 1) return ScoreRow(references[0], prediction, false);
  RowScore s;
  s.bleu = 100.0 * SentenceBleuMulti(references, prediction);
  for (const std::string& ref : references) {
    s.rouge_l = std::max(s.rouge_l, 100.0 * RougeL(ref, prediction).f1);
    s.rouge_2 = std::max(s.rouge_2, 100.0 * Rouge2(ref, prediction).f1);
  }
  s.length = static_cast<int>(NormalizeBleu(SplitPuncts(LowerUtf8(prediction))).size());
  s.empty = s.length == 0;
  return s;
}

Summary Summarize(const std::vector<RowScore>& scores) {
  Summary s;
  s.rows = scores.size();
  if (scores.empty()) return s;
  // BLEU: sum of the 0-1 sentence scores, then x 100 / n, in row order like bleuFromMaps().
  double bleu_total = 0;
  double rl = 0;
  double r2 = 0;
  double len = 0;
  for (const RowScore& r : scores) {
    bleu_total += r.bleu / 100.0;
    rl += r.rouge_l;
    r2 += r.rouge_2;
    len += r.length;
    if (r.empty) ++s.empty;
    if (r.failed) ++s.failed;
  }
  double n = static_cast<double>(scores.size());
  s.bleu = bleu_total * 100.0 / n;
  s.rouge_l = rl / n;
  s.rouge_2 = r2 / n;
  s.mean_length = len / n;
  return s;
}

const std::vector<std::string>& MetricNames() {
  static const std::vector<std::string> kNames = {"bleu", "rouge_l", "rouge_2", "length"};
  return kNames;
}

double MetricValue(const RowScore& score, const std::string& metric) {
  if (metric == "bleu") return score.bleu;
  if (metric == "rouge_l") return score.rouge_l;
  if (metric == "rouge_2") return score.rouge_2;
  if (metric == "length") return score.length;
  throw Error(kExitUsage, "unknown metric: " + metric);
}

Difference PairedBootstrap(const std::vector<double>& a, const std::vector<double>& b, int resamples, uint64_t seed,
                           double confidence) {
  if (a.size() != b.size() || a.empty()) throw Error(kExitUsage, "paired bootstrap needs two equal, non-empty samples");
  if (resamples < 1) throw Error(kExitUsage, "paired bootstrap needs at least one resample");
  const size_t n = a.size();
  Difference d;
  std::vector<double> diffs(n);
  for (size_t i = 0; i < n; ++i) {
    d.mean_a += a[i];
    d.mean_b += b[i];
    diffs[i] = b[i] - a[i];
  }
  d.mean_a /= static_cast<double>(n);
  d.mean_b /= static_cast<double>(n);
  d.diff = d.mean_b - d.mean_a;
  // mt19937_64's output sequence is fixed by the standard; indices use rejection sampling rather
  // than std::uniform_int_distribution (whose algorithm differs between standard libraries).
  std::mt19937_64 rng(seed);
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  std::vector<double> means(static_cast<size_t>(resamples));
  for (int r = 0; r < resamples; ++r) {
    double total = 0;
    for (size_t k = 0; k < n; ++k) {
      uint64_t x;
      do {
        x = rng();
      } while (x >= limit);
      total += diffs[x % n];
    }
    means[static_cast<size_t>(r)] = total / static_cast<double>(n);
  }
  std::sort(means.begin(), means.end());
  double tail = (1.0 - confidence) / 2.0;
  auto lo = static_cast<size_t>(std::floor(tail * resamples));
  auto hi = static_cast<size_t>(std::ceil((1.0 - tail) * resamples)) - 1;
  d.ci_low = means[std::min(lo, means.size() - 1)];
  d.ci_high = means[std::min(hi, means.size() - 1)];
  return d;
}

}  // namespace scale::eval
