#include "train/trainer.h"

#include <algorithm>
#include <cmath>

#include "engine/system_info.h"
#include "ggml-alloc.h"
#include "ggml-backend.h"
#include "ggml-cpu.h"
#include "ggml-opt.h"
#include "ggml.h"
#include "train/forward.h"
#include "util/error.h"

namespace scale::train {
namespace {

constexpr size_t kGraphSize = 32768;  // nodes: forward + backward + optimiser of the largest model

ggml_opt_optimizer_params AdamW(void* userdata) {
  const auto* t = static_cast<const std::pair<double, double>*>(userdata);  // (lr, weight decay)
  ggml_opt_optimizer_params p = ggml_opt_get_default_optimizer_params(nullptr);
  p.adamw.alpha = static_cast<float>(t->first);
  p.adamw.wd = static_cast<float>(t->second);
  return p;
}

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

// The two-token row of the passes that add nothing (loss seed 0): the same graph topology as
// every real row, at the least cost.
const Row& NoOpRow() {
  static const Row row = [] {
    Row r;
    r.tokens = {0, 0};
    r.n_prompt = 1;
    return r;
  }();
  return row;
}

}  // namespace

double LearningRate(double peak, int step, int total, int warmup) {
  if (warmup > 0 && step < warmup) return peak * (step + 1) / warmup;
  const int decay = std::max(1, total - std::max(0, warmup));
  const double progress = std::clamp(static_cast<double>(step - std::max(0, warmup)) / decay, 0.0, 1.0);
  return std::max(peak * 0.5 * (1.0 + std::cos(M_PI * progress)), peak * 1e-3);
}

// One compute graph, rebuilt for each row: the context holds tensor metadata only (no_alloc); the
// scheduler (or ggml-opt through it) allocates the data.
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
  ggml_opt_params op = ggml_opt_default_params(sched_, GGML_OPT_LOSS_TYPE_CROSS_ENTROPY);
  // ggml-opt applies its optimiser step inside the pass that completes opt_period passes, which
  // leaves no point to clip the accumulated gradient. So a step is `batch` gradient passes plus
  // one more over a two-token row whose loss seed is set to 0: it adds nothing, and before it
  // runs the accumulators hold the whole step's gradient, which FinishStep clips in place.
  op.opt_period = options_.batch + 1;
  op.get_opt_pars = AdamW;
  op.get_opt_pars_ud = &opt_pars_;
  op.optimizer = GGML_OPT_OPTIMIZER_TYPE_ADAMW;
  opt_ = ggml_opt_init(op);
}

Trainer::~Trainer() {
  ggml_opt_free(opt_);
  ggml_backend_sched_free(sched_);
  ggml_backend_free(backend_);
}

double Trainer::MicroStep(const Row& row, bool counts) {
  std::vector<int32_t> rows, labels;
  AnswerRows(row, &rows, &labels);
  Graph g;
  const bool dropout = options_.lora.dropout > 0;
  g.f = BuildForward(g.ctx, model_, &lora_, static_cast<int>(row.tokens.size()), static_cast<int>(rows.size()),
                     dropout, options_.dequantize);
  ggml_build_forward_expand(g.gf, g.f.logits);
  ggml_opt_prepare_alloc(opt_, g.ctx, g.gf, g.f.tokens, g.f.logits);
  ggml_opt_alloc(opt_, /*backward=*/true);
  if (grad_accs_.empty()) {
    // The first allocation builds the optimiser graph too; its accumulators live as long as opt_.
    for (ggml_tensor* p : params_) grad_accs_.push_back(ggml_opt_grad_acc(opt_, p));
    loss_seed_ = ggml_opt_grad_acc(opt_, ggml_opt_loss(opt_));
    if (!loss_seed_) throw Error(kExitModel, "ggml-opt did not expose the loss accumulator");
  }
  const float seed = counts ? 1.0f : 0.0f;
  ggml_backend_tensor_set(loss_seed_, &seed, 0, sizeof(float));
  FillInputs(g.f, row.tokens, rows, options_.lora.dropout, dropout ? &rng_ : nullptr);
  SetOneHot(ggml_opt_labels(opt_), labels);
  ggml_opt_eval(opt_, nullptr);
  float loss = 0;
  ggml_backend_tensor_get(ggml_opt_loss(opt_), &loss, 0, sizeof(float));
  return static_cast<double>(loss) * (options_.batch + 1);  // ggml-opt scaled it by 1/opt_period
}

StepResult Trainer::Step(const std::vector<const Row*>& rows, double lr) {
  if (rows.empty() || rows.size() > static_cast<size_t>(options_.batch)) {
    throw Error(kExitUsage, "a training step takes 1 to --batch rows");
  }
  StepResult r;
  r.lr = lr;
  for (const Row* row : rows) {
    r.loss += MicroStep(*row, /*counts=*/true);
    r.tokens += static_cast<int64_t>(row->tokens.size());
  }
  r.loss /= static_cast<double>(rows.size());
  // A short last step still needs `batch` passes before the optimiser's: pad with no-ops.
  for (size_t i = rows.size(); i < static_cast<size_t>(options_.batch); ++i) MicroStep(NoOpRow(), /*counts=*/false);
  FinishStep(&r, static_cast<int>(rows.size()));
  return r;
}

void Trainer::FinishStep(StepResult* result, int n_rows) {
  // The accumulators hold sum(gradient_i) / opt_period; the step wants the mean over n_rows.
  const double to_mean = static_cast<double>(options_.batch + 1) / n_rows;
  std::vector<std::vector<float>> grads(grad_accs_.size());
  double sq = 0;
  for (size_t i = 0; i < grad_accs_.size(); ++i) {
    grads[i].resize(static_cast<size_t>(ggml_nelements(grad_accs_[i])));
    ggml_backend_tensor_get(grad_accs_[i], grads[i].data(), 0, ggml_nbytes(grad_accs_[i]));
    for (float g : grads[i]) sq += (g * to_mean) * (g * to_mean);
  }
  result->grad_norm = std::sqrt(sq);
  double factor = to_mean;
  if (options_.clip > 0 && result->grad_norm > options_.clip) factor *= options_.clip / result->grad_norm;
  for (size_t i = 0; i < grad_accs_.size(); ++i) {
    for (float& g : grads[i]) g = static_cast<float>(g * factor);
    ggml_backend_tensor_set(grad_accs_[i], grads[i].data(), 0, ggml_nbytes(grad_accs_[i]));
  }
  opt_pars_ = {result->lr, options_.weight_decay};
  MicroStep(NoOpRow(), /*counts=*/false);  // the optimiser pass (ggml-opt's opt_period-th)
  const float one = 1.0f;
  ggml_backend_tensor_set(loss_seed_, &one, 0, sizeof(float));
  for (ggml_tensor* acc : grad_accs_) ggml_backend_tensor_memset(acc, 0, 0, ggml_nbytes(acc));
  ++steps_done_;
}

// ---- forward-only and gradient passes, straight through the scheduler ---------------------

bool Trainer::BuildLoss(Graph& g, const Row& row, bool dequantize) {
  AnswerRows(row, &g.rows, &g.labels);
  if (g.rows.empty()) return false;
  g.f = BuildForward(g.ctx, model_, &lora_, static_cast<int>(row.tokens.size()), static_cast<int>(g.rows.size()), false,
                     dequantize);
  g.onehot = ggml_dup_tensor(g.ctx, g.f.logits);
  ggml_set_input(g.onehot);
  g.loss = ggml_cross_entropy_loss(g.ctx, g.f.logits, g.onehot);
  ggml_set_output(g.loss);
  return true;
}

void Trainer::FillLoss(const Graph& g, const Row& row) {
  FillInputs(g.f, row.tokens, g.rows, 0, nullptr);
  SetOneHot(g.onehot, g.labels);
}

double Trainer::RowLoss(const Row& row) {
  Graph g;
  // Forward only: the stored weights are the fast path. A row without answer tokens has no loss.
  if (!BuildLoss(g, row, /*dequantize=*/false)) return 0;
  ggml_build_forward_expand(g.gf, g.loss);
  ggml_backend_sched_reset(sched_);
  if (!ggml_backend_sched_alloc_graph(sched_, g.gf)) throw Error(kExitModel, "not enough memory for the graph");
  FillLoss(g, row);
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
  Graph g;
  if (!BuildLoss(g, row, options_.dequantize)) throw Error(kExitUsage, "a row without answer tokens has no gradient");
  ggml_set_loss(g.loss);
  ggml_build_forward_expand(g.gf, g.loss);
  ggml_build_backward_expand(g.ctx, g.gf, nullptr);
  for (ggml_tensor* p : params_) {
    if (ggml_tensor* grad = ggml_graph_get_grad(g.gf, p)) ggml_set_output(grad);
  }
  ggml_backend_sched_reset(sched_);
  if (!ggml_backend_sched_alloc_graph(sched_, g.gf)) throw Error(kExitModel, "not enough memory for the graph");
  ggml_graph_reset(g.gf);  // the loss's own gradient = 1
  FillLoss(g, row);
  ggml_backend_sched_graph_compute(sched_, g.gf);
  std::vector<float> out;
  for (ggml_tensor* p : params_) {
    std::vector<float> v(static_cast<size_t>(ggml_nelements(p)), 0.0f);
    if (ggml_tensor* grad = ggml_graph_get_grad(g.gf, p)) ggml_backend_tensor_get(grad, v.data(), 0, ggml_nbytes(grad));
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

}  // namespace scale::train
