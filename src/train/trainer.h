// LoRA training on ggml's CPU backend: a step is `batch` rows of gradient accumulation, the global
// gradient norm clipped, then one AdamW step on the host (adamw.h); warm-up + cosine rate.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "train/base_model.h"
#include "train/dataset.h"
#include "train/lora.h"
#include "train/options.h"

struct ggml_backend;
struct ggml_backend_sched;
struct ggml_tensor;

namespace scale::train {

// The learning rate of optimiser step `step` (0-based) of `total`: linear warm-up over `warmup`
// steps, then cosine decay towards zero (never reaching it: a floor of 1e-3 of the peak).
double LearningRate(double peak, int step, int total, int warmup);

struct StepResult {
  double loss = 0;         // mean over the step's rows of each row's mean answer-token loss
  double grad_norm = 0;    // global L2 norm of the mean gradient, before clipping
  double lr = 0;
  int64_t tokens = 0;      // tokens processed (prompt + answer)
};

// What a resumed run needs from the trainer besides the adapter's values: the optimiser state
// (AdamW moments in Lora::Values order, steps done) and the dropout generator (textual state).
struct TrainerState {
  int steps = 0;
  std::vector<float> m, v;
  std::string rng;
};

class Trainer {
 public:
  // Marks the adapter trainable. threads: 0 = physical cores.
  Trainer(const BaseModel& model, Lora& lora, const TrainOptions& options);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // One optimiser step over these rows (options.batch of them, fewer at the end of the data).
  StepResult Step(const std::vector<const Row*>& rows, double lr);

  // Mean answer-token loss over rows (no dropout, no gradient).
  double EvalLoss(const std::vector<Row>& rows);
  // Mean answer-token cross-entropy of one row (forward only).
  double RowLoss(const Row& row);
  // Logits [n_tokens][n_vocab] for every position (forward only): the cross-check with llama.cpp.
  std::vector<float> Logits(const std::vector<int32_t>& tokens);
  // d(RowLoss)/d(every adapter value), in lora.pairs() order, A then B: the gradient check.
  std::vector<float> Gradient(const Row& row);

  int optimizer_steps() const { return steps_done_; }
  TrainerState State() const;
  // Continues from a saved state. Throws Error(kExitInput) when its sizes are not this adapter's.
  void Restore(const TrainerState& state);

 private:
  struct Graph;  // trainer.cc: one rebuilt compute graph
  // Forward + backward of one row; adds d(row loss)/d(every adapter value) into grad (Lora::Values
  // order) and returns the row's loss (0 for a row without answer tokens: it adds nothing).
  double Backward(const Row& row, bool dropout, std::vector<float>* grad);
  void FinishStep(StepResult* result, int n_rows);
  // Forward + cross-entropy of the row's answer tokens into g (false: the row has none); FillLoss
  // sets its inputs once the graph is allocated (dropout masks drawn from rng_ when built with them).
  bool BuildLoss(Graph& g, const Row& row, bool dequantize, bool dropout);
  void FillLoss(const Graph& g, const Row& row, bool dropout);

  const BaseModel& model_;
  Lora& lora_;
  TrainOptions options_;
  ggml_backend* backend_ = nullptr;
  ggml_backend_sched* sched_ = nullptr;
  std::vector<ggml_tensor*> params_;  // every A and B, Lora::Values order
  std::vector<float> grad_;           // the step's summed gradient, same order
  std::vector<float> m_, v_;          // AdamW moments, same order
  int steps_done_ = 0;
  std::mt19937_64 rng_;               // dropout masks
};

}  // namespace scale::train
