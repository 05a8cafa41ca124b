// `scale eval --score`: scores predictions made elsewhere, as given (no first-paragraph cut), so
// numbers reproduce CodeXGLUE's evaluator on the same files.
//   JSONL: one object per line with "prediction" and "reference" (or "references": [..]); optional
//          "id". Every line is a row.
//   TXT:   CodeXGLUE's "idx<TAB>text" prediction file + --ref gold file of the same form. As in
//          smooth_bleu.py's computeMaps: a prediction line without a tab predicts ""; a later line
//          with the same idx replaces an earlier one; gold lines are grouped by idx (several =
//          several references), in order of first appearance; gold ids without a prediction are
//          not scored.
#pragma once

#include <filesystem>
#include <vector>

#include "eval/runner.h"

namespace scale::eval {

// Throws Error(kExitInput) for unreadable files, bad JSON, a row without prediction/reference, a gold
// line that is not exactly "idx<TAB>text", or when nothing can be scored.
std::vector<RowResult> ScorePredictionsJsonl(const std::filesystem::path& path);
std::vector<RowResult> ScorePredictionPairs(const std::filesystem::path& predictions, const std::filesystem::path& gold);

}  // namespace scale::eval
