// Training data for `scale train`: JSON lines of (prompt, answer), tokenized into rows whose loss
// covers the answer tokens only. Schema and split rules: docs/training.md.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/llm.h"

namespace scale::train {

// The model's tokenizer and chat template, as the engine applies them for `scale comment`
// (cli wires these to engine::LlamaEngine; tests may pass a scripted tokenizer).
struct Tokenizer {
  // add_special: BOS etc. as the model wants; parse_special: "<|im_end|>" text becomes its token.
  std::function<std::vector<int32_t>(std::string_view text, bool add_special, bool parse_special)> tokenize;
  // The prompt for these messages in the model's chat format, ending with the assistant opener.
  std::function<std::string(const std::vector<engine::Message>& messages)> format;
  int32_t end_of_turn = -1;  // appended after every answer so the model learns to stop; -1 = none
};

// One training example: tokens = prompt tokens then answer tokens (+ end of turn).
struct Row {
  std::vector<int32_t> tokens;
  int n_prompt = 0;           // tokens[0, n_prompt) are context; the loss covers the rest
  int line = 0;               // 1-based line in the JSONL file (for messages)
  bool held_out = false;      // in the evaluation split
};

struct DatasetOptions {
  int max_tokens = 512;       // rows longer than this are skipped (counted), never cut
  double holdout = 0.1;       // fraction of rows in the evaluation split when rows carry no "split"
  uint64_t seed = 1;          // the split is a pure function of (seed, row content)
};

struct Dataset {
  std::vector<Row> train;
  std::vector<Row> eval;
  int skipped_too_long = 0;
  int duplicates = 0;         // rows identical to an earlier one (dropped)
  int64_t answer_tokens = 0;  // over train + eval
};

// Reads and tokenizes `path`. Throws scale::Error(kExitInput, "path:line: why") for a line that is
// not a JSON object of the schema, and kExitInput when no usable row is left for training.
Dataset LoadDataset(const std::string& path, const Tokenizer& tokenizer, const DatasetOptions& options);

// One JSONL line parsed into a Row (exposed for tests and for `scale distill`, which writes them).
Row ParseRow(std::string_view json_line, int line, const Tokenizer& tokenizer);

}  // namespace scale::train
