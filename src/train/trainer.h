// LoRA training with ggml-opt's AdamW on the CPU backend: a step is `batch` rows of gradient
// accumulation, the global gradient norm clipped, then one optimiser step; warm-up + cosine rate.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <utility>
#include <vector>

#include "train/base_model.h"
#include "train/dataset.h"
#include "train/lora.h"
#include "train/options.h"

struct ggml_backend;
struct ggml_backend_sched;
struct ggml_opt_context;
struct ggml_tensor;

namespace scale::train {

// The learning rate of optimiser step `step` (0-based) of `total`: linear warm-up over `warmup`
// steps, then cosine decay towards zero (never reaching it: ggml-opt refuses a zero rate).
double LearningRate(double peak, int step, int total, int warmup);

struct StepResult {
  double loss = 0;         // mean over the step's rows of each row's mean answer-token loss
  double grad_norm = 0;    // global L2 norm of the mean gradient, before clipping
  double lr = 0;
  int64_t tokens = 0;      // tokens processed (prompt + answer)
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

 private:
  struct Graph;  // trainer.cc: one rebuilt compute graph
  double MicroStep(const Row& row, bool counts);  // counts=false: a pass that adds nothing
  void FinishStep(StepResult* result, int n_rows);
  // Forward + cross-entropy of the row's answer tokens into g (false: the row has none); FillLoss
  // sets its inputs once the graph is allocated. RowLoss and Gradient share them.
  bool BuildLoss(Graph& g, const Row& row, bool dequantize);
  void FillLoss(const Graph& g, const Row& row);

  const BaseModel& model_;
  Lora& lora_;
  TrainOptions options_;
  ggml_backend* backend_ = nullptr;
  ggml_backend_sched* sched_ = nullptr;
  ggml_opt_context* opt_ = nullptr;
  std::vector<ggml_tensor*> params_;     // every A and B
  std::vector<ggml_tensor*> grad_accs_;  // ggml-opt's accumulator of each, same order
  ggml_tensor* loss_seed_ = nullptr;     // the accumulator that seeds the backward pass (1)
  std::pair<double, double> opt_pars_{0, 0};  // (lr, weight decay) read by ggml-opt's callback
  int steps_done_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace scale::train
