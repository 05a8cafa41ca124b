#include "engine/batch.h"

#include <algorithm>

namespace scale::engine {

Batch::Batch(int capacity) : capacity_(std::max(1, capacity)) {
  batch_ = llama_batch_init(capacity_, 0, 1);
}

Batch::~Batch() { llama_batch_free(batch_); }

int Batch::Add(llama_token token, llama_pos pos, llama_seq_id seq, bool logits) {
  const int i = batch_.n_tokens++;
  batch_.token[i] = token;
  batch_.pos[i] = pos;
  batch_.n_seq_id[i] = 1;
  batch_.seq_id[i][0] = seq;
  batch_.logits[i] = logits ? 1 : 0;
  return i;
}

}  // namespace scale::engine
