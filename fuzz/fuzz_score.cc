// libFuzzer target: `scale eval --score` readers on arbitrary files: eval::ScorePredictionsJsonl
// (JSON lines) on the whole input, and eval::ScorePredictionPairs (CodeXGLUE "idx<TAB>text") on
//   PREDICTIONS "\n=====\n" GOLD
// Files are written to fixed per-process paths in /tmp.
//
// Invariants: nothing but scale::Error escapes, no sanitizer report; scores are finite and within
// [0, 100] (BLEU/ROUGE as percentages) or [0, 1].
#include <cmath>
#include <string>

#include "eval/metrics.h"
#include "eval/score_file.h"
#include "fuzz_util.h"
#include "util/error.h"

namespace {

void CheckRows(const std::vector<scale::eval::RowResult>& rows) {
  std::vector<scale::eval::RowScore> scores;
  for (const auto& row : rows) {
    const scale::eval::RowScore& s = row.score;
    for (double v : {s.bleu, s.rouge_l, s.rouge_2}) {
      FUZZ_CHECK(std::isfinite(v) && v >= 0 && v <= 100.0000001,
                 "score out of [0, 100]: " + std::to_string(v) + " for '" + scale::fuzz::Excerpt(row.prediction) + "'");
    }
    FUZZ_CHECK(s.length >= 0, "negative length");
    scores.push_back(s);
    // What --score writes out (report.cc dumps with the replace handler): must not throw.
    (void)scale::eval::RowToJson(row).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  (void)scale::eval::Summarize(scores);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace scale;
  using namespace scale::fuzz;
  static const std::string jsonl = TempPath("score") + ".jsonl";
  static const std::string pred = TempPath("score-pred") + ".txt";
  static const std::string gold = TempPath("score-gold") + ".txt";
  static TempFileCleanup c1{jsonl}, c2{pred}, c3{gold};
  std::string_view input(reinterpret_cast<const char*>(data), size);
  WriteFileOrDie(jsonl, input);
  try {
    CheckRows(eval::ScorePredictionsJsonl(jsonl));
  } catch (const Error&) {
  }
  auto [p, g] = SplitOnce(input, "\n=====\n");
  WriteFileOrDie(pred, p);
  WriteFileOrDie(gold, g);
  try {
    CheckRows(eval::ScorePredictionPairs(pred, gold));
  } catch (const Error&) {
  }
  return 0;
}
