// The one llama_batch builder: owns a batch of fixed capacity and appends (token, position,
// sequence, wants-logits) rows. Every decode in scale fills its batches through this class.
#pragma once

#include <cstdint>

#include "llama.h"

namespace scale::engine {

class Batch {
 public:
  explicit Batch(int capacity);  // capacity >= 1 rows, one sequence id per row
  ~Batch();
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;

  void Clear() { batch_.n_tokens = 0; }
  // Appends one row and returns its index (the row to read logits from when `logits`).
  // The caller keeps size() < capacity().
  int Add(llama_token token, llama_pos pos, llama_seq_id seq, bool logits);
  int size() const { return batch_.n_tokens; }
  int capacity() const { return capacity_; }
  bool full() const { return batch_.n_tokens >= capacity_; }
  bool wants_logits(int row) const { return batch_.logits[row] != 0; }
  const llama_batch& get() const { return batch_; }

 private:
  llama_batch batch_;
  int capacity_;
};

}  // namespace scale::engine
