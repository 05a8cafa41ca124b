#include "train/trainer.h"

#include <algorithm>
#include <cmath>

#include "engine/system_info.h"
#include "ggml-alloc.h"
#include "ggml-backend.h"
#include "ggml-cpu.h"
#include "ggml.h"
#include "train/adamw.h"
#include "train/forward.h"
#include "train/row_order.h"
#include "util/error.h"

namespace scale::train {
namespace {

constexpr size_t kGraphSize = 32768;  // nodes: forward + backward of the largest model

// The answer tokens of a row: the hidden state at t-1 predicts token t.
void AnswerRows(const Row& row, std::vector<int32_t>* rows, std::vector<int32_t>* labels) {
  const int first = std::max(1, row.n_prompt);
  for (size_t t = static_cast<size_t>(first); t < row.tokens.size(); ++t) {
    rows->push_back(static_cast<int32_t>(t - 1));
    labels->push_back(row.tokens[t]);
  }
}

// labels[i] of answer row i as a one-hot row of `t` [n_vocab, rows] (allocated, on the backend).
void SetOneHot(ggml_tensor* t, const std::vector<int32_t>& labels) {
  ggml_backend_tensor_memset(t, 0, 0, ggml_nbytes(t));
  const float one = 1.0f;
  for (size_t i = 0; i < labels.size(); ++i) {
    ggml_backend_tensor_set(t, &one, (static_cast<int64_t>(i) * t->ne[0] + labels[i]) * sizeof(float), sizeof(float));
  }
}

}  // namespace

double LearningRate(double peak, int step, int total, int warmup) {
  if (warmup > 0 && step < warmup) return peak * (step + 1) / warmup;
  const int decay = std::max(1, total - std::max(0, warmup));
  const double progress = std::clamp(static_cast<double>(step - std::max(0, warmup)) / decay, 0.0, 1.0);
  return std::max(peak * 0.5 * (1.0 + std::cos(M_PI * progress)), peak * 1e-3);
}

// One compute graph, rebuilt for each row: the context holds tensor metadata only (no_alloc); the
// scheduler allocates the data.
struct Trainer::Graph {
  ggml_context* ctx = nullptr;
  ggml_cgraph* gf = nullptr;
  Forward f;
  // BuildLoss: the row's answer positions and tokens, their one-hot input and the loss node.
  std::vector<int32_t> rows, labels;
  ggml_tensor* onehot = nullptr;
  ggml_tensor* loss = nullptr;
  Graph() {
    ggml_init_params p = {4 * kGraphSize * ggml_tensor_overhead() + 2 * ggml_graph_overhead_custom(kGraphSize, true),
                          nullptr, /*no_alloc=*/true};
    ctx = ggml_init(p);
    gf = ggml_new_graph_custom(ctx, kGraphSize, /*grads=*/true);
  }
  ~Graph() { ggml_free(ctx); }
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;
};

Trainer::Trainer(const BaseModel& model, Lora& lora, const TrainOptions& options)
    : model_(model), lora_(lora), options_(options), rng_(options.lora.seed ^ 0x5ca1eULL) {
  if (options_.batch < 1) throw Error(kExitUsage, "--batch must be at least 1");
  backend_ = ggml_backend_cpu_init();
  if (!backend_) throw Error(kExitModel, "cannot start ggml's CPU backend");
  ggml_backend_cpu_set_n_threads(backend_, options_.threads > 0 ? options_.threads : engine::PhysicalCores());
  sched_ = ggml_backend_sched_new(&backend_, nullptr, 1, kGraphSize, /*parallel=*/false, /*op_offload=*/false);
  lora_.MarkTrainable();
  for (const Lora::Pair& p : lora_.pairs()) {
    params_.push_back(p.a);
    params_.push_back(p.b);
  }
  // The optimiser lives here, not in ggml-opt: ggml-opt keeps AdamW's moments where its public API
  // cannot read or restore them (no exact resume), and it applies the step inside the pass that
  // completes a batch (no point to clip). One gradient pass per row, summed on the host, is the
  // same arithmetic without either limit (docs/training.md, "The optimiser").
  const size_t n = lora_.parameter_count();
  grad_.assign(n, 0.0f);
  m_.assign(n, 0.0f);
  v_.assign(n, 0.0f);
}

Trainer::~Trainer() {
  ggml_backend_sched_free(sched_);
  ggml_backend_free(backend_);
}

double Trainer::Backward(const Row& row, bool dropout, std::vector<float>* grad) {
  Graph g;
  if (!BuildLoss(g, row, options_.dequantize, dropout)) return 0;
  ggml_set_loss(g.loss);
  ggml_build_forward_expand(g.gf, g.loss);
  ggml_build_backward_expand(g.ctx, g.gf, nullptr);
  for (ggml_tensor* p : params_) {
    if (ggml_tensor* gp = ggml_graph_get_grad(g.gf, p)) ggml_set_output(gp);
  }
  ggml_backend_sched_reset(sched_);
  if (!ggml_backend_sched_alloc_graph(sched_, g.gf)) throw Error(kExitModel, "not enough memory for the graph");
  ggml_graph_reset(g.gf);  // the loss's own gradient = 1, every other gradient 0
  FillLoss(g, row, dropout);
  ggml_backend_sched_graph_compute(sched_, g.gf);
  float loss = 0;
  ggml_backend_tensor_get(g.loss, &loss, 0, sizeof(float));
  std::vector<float> part;
  size_t at = 0;
  for (ggml_tensor* p : params_) {
    const size_t n = static_cast<size_t>(ggml_nelements(p));
    if (ggml_tensor* gp = ggml_graph_get_grad(g.gf, p)) {
      part.resize(n);
      ggml_backend_tensor_get(gp, part.data(), 0, ggml_nbytes(gp));
      for (size_t i = 0; i < n; ++i) (*grad)[at + i] += part[i];
    }
    at += n;
  }
  return loss;
}

StepResult Trainer::Step(const std::vector<const Row*>& rows, double lr) {
  if (rows.empty() || rows.size() > static_cast<size_t>(options_.batch)) {
    throw Error(kExitUsage, "a training step takes 1 to --batch rows");
  }
  StepResult r;
  r.lr = lr;
  std::fill(grad_.begin(), grad_.end(), 0.0f);
  for (const Row* row : rows) {
    r.loss += Backward(*row, options_.lora.dropout > 0, &grad_);
    r.tokens += static_cast<int64_t>(row->tokens.size());
  }
  r.loss /= static_cast<double>(rows.size());
  FinishStep(&r, static_cast<int>(rows.size()));
  return r;
}

void Trainer::FinishStep(StepResult* result, int n_rows) {
  // grad_ holds the sum over the step's rows; the step wants their mean, clipped.
  const double to_mean = 1.0 / n_rows;
  double sq = 0;
  for (float g : grad_) sq += (g * to_mean) * (g * to_mean);
  result->grad_norm = std::sqrt(sq);
  double factor = to_mean;
  if (options_.clip > 0 && result->grad_norm > options_.clip) factor *= options_.clip / result->grad_norm;
  for (float& g : grad_) g = static_cast<float>(g * factor);
  AdamWParams p;
  p.alpha = static_cast<float>(result->lr);
  p.wd = static_cast<float>(options_.weight_decay);
  size_t at = 0;
  for (ggml_tensor* t : params_) {
    const size_t n = static_cast<size_t>(ggml_nelements(t));
    // The adapter lives in a CPU buffer (Lora::Create): its data is host memory.
    AdamWUpdate(p, steps_done_ + 1, static_cast<float*>(t->data), grad_.data() + at, m_.data() + at, v_.data() + at, n);
    at += n;
  }
  ++steps_done_;
}

TrainerState Trainer::State() const {
  TrainerState s;
  s.steps = steps_done_;
  s.m = m_;
  s.v = v_;
  s.rng = RngState(rng_);
  return s;
}

void Trainer::Restore(const TrainerState& state) {
  if (state.m.size() != m_.size() || state.v.size() != v_.size()) {
    throw Error(kExitInput, "the saved optimiser state is for another adapter shape");
  }
  std::mt19937_64 rng;
  if (!RestoreRng(state.rng, &rng)) throw Error(kExitInput, "the saved dropout generator state is unreadable");
  rng_ = rng;
  m_ = state.m;
  v_ = state.v;
  steps_done_ = state.steps;
}

// ---- forward-only and gradient passes, straight through the scheduler ---------------------

bool Trainer::BuildLoss(Graph& g, const Row& row, bool dequantize, bool dropout) {
  AnswerRows(row, &g.rows, &g.labels);
  if (g.rows.empty()) return false;
  g.f = BuildForward(g.ctx, model_, &lora_, static_cast<int>(row.tokens.size()), static_cast<int>(g.rows.size()),
                     dropout, dequantize);
  g.onehot = ggml_dup_tensor(g.ctx, g.f.logits);
  ggml_set_input(g.onehot);
  g.loss = ggml_cross_entropy_loss(g.ctx, g.f.logits, g.onehot);
  ggml_set_output(g.loss);
  return true;
}

void Trainer::FillLoss(const Graph& g, const Row& row, bool dropout) {
  FillInputs(g.f, row.tokens, g.rows, dropout ? options_.lora.dropout : 0.0f, dropout ? &rng_ : nullptr);
  SetOneHot(g.onehot, g.labels);
}

double Trainer::RowLoss(const Row& row) {
  Graph g;
  // Forward only: the stored weights are the fast path. A row without answer tokens has no loss.
  if (!BuildLoss(g, row, /*dequantize=*/false, /*dropout=*/false)) return 0;
  ggml_build_forward_expand(g.gf, g.loss);
  ggml_backend_sched_reset(sched_);
  if (!ggml_backend_sched_alloc_graph(sched_, g.gf)) throw Error(kExitModel, "not enough memory for the graph");
  FillLoss(g, row, false);
  ggml_backend_sched_graph_compute(sched_, g.gf);
  float v = 0;
  ggml_backend_tensor_get(g.loss, &v, 0, sizeof(float));
  return v;
}

double Trainer::EvalLoss(const std::vector<Row>& rows) {
  if (rows.empty()) return 0;
  double sum = 0;
  for (const Row& r : rows) sum += RowLoss(r);
  return sum / static_cast<double>(rows.size());
}

std::vector<float> Trainer::Logits(const std::vector<int32_t>& tokens) {
  const int n = static_cast<int>(tokens.size());
  Graph g;
  g.f = BuildForward(g.ctx, model_, &lora_, n, n, false);
  ggml_set_output(g.f.logits);
  ggml_build_forward_expand(g.gf, g.f.logits);
  ggml_backend_sched_reset(sched_);
  if (!ggml_backend_sched_alloc_graph(sched_, g.gf)) throw Error(kExitModel, "not enough memory for the graph");
  std::vector<int32_t> rows(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) rows[static_cast<size_t>(i)] = i;
  FillInputs(g.f, tokens, rows, 0, nullptr);
  ggml_backend_sched_graph_compute(sched_, g.gf);
  std::vector<float> out(static_cast<size_t>(ggml_nelements(g.f.logits)));
  ggml_backend_tensor_get(g.f.logits, out.data(), 0, ggml_nbytes(g.f.logits));
  return out;
}

std::vector<float> Trainer::Gradient(const Row& row) {
  std::vector<float> grad(lora_.parameter_count(), 0.0f);
  std::vector<int32_t> rows, labels;
  AnswerRows(row, &rows, &labels);
  if (rows.empty()) throw Error(kExitUsage, "a row without answer tokens has no gradient");
  Backward(row, /*dropout=*/false, &grad);
  return grad;
}

}  // namespace scale::train
