// `scale distill --stats`: what a training JSONL holds. Every line goes through the trainer's own
// row parser (train::ParseRow), so a file these stats accept is one `scale train --data` reads.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "train/dataset.h"

namespace scale::distill {

struct LengthBucket {
  int64_t low = 0, high = 0;  // answers with low <= length <= high
  int rows = 0;
};

struct DataStats {
  std::string unit = "characters";  // or "tokens" (with a model's tokenizer)
  int rows = 0;
  int train_rows = 0, eval_rows = 0, unsplit_rows = 0;  // "split" train / eval / absent
  int files = 0, train_files = 0, eval_files = 0;       // distinct meta.root/meta.source
  int files_in_both = 0;                                // files with rows in both splits (0 for a harvest)
  int rows_without_meta = 0;
  std::map<std::string, int> languages;  // meta.language
  std::map<std::string, int> origins;    // meta.from ("harvest", ...)
  std::map<std::string, int> roots;      // meta.root
  std::map<std::string, int> templates;  // meta.template_sha256 (first 12 digits)
  int64_t answer_total = 0, prompt_total = 0;
  int64_t answer_max = 0, prompt_max = 0;
  std::vector<LengthBucket> histogram;   // answer lengths, doubling buckets
};

// Reads `path` (JSON lines). With `tokenizer`, lengths are the trainer's token counts (prompt in
// the chat template, answer + end of turn); without, UTF-8 characters of the texts. Throws the
// loader's Error(kExitInput, "path:line: why") for a bad line.
DataStats ComputeStats(const std::string& path, const train::Tokenizer* tokenizer);

nlohmann::json StatsJson(const DataStats& stats);
// A report with text bars for the histogram.
std::string StatsText(const DataStats& stats);

}  // namespace scale::distill
