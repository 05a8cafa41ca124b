// The safety circuit breaker of `scale train`: fed each step's metrics and each evaluation's loss,
// it says which rules tripped (NaN, loss spike, gradient, eval regression, memory, throughput) and
// what to do (warn, halt, rollback). Plain data and arithmetic: no I/O, no clock.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace scale::train {

enum class BreakerRule { kNan, kSpike, kGrad, kEval, kMemory, kThroughput };
constexpr int kBreakerRules = 6;
// Strongest() ranks them: rollback over halt over warn.
enum class BreakerAction { kOff, kWarn, kHalt, kRollback };

const char* BreakerRuleName(BreakerRule r);      // "nan", "spike", "grad", "eval", "memory", "throughput"
const char* BreakerActionName(BreakerAction a);  // "off", "warn", "halt", "rollback"

struct BreakerOptions {
  // Defaults a user can trust unread (docs/training.md, "Safety circuit breaker"): broken numbers
  // and blow-ups go back to the last good state, a regressing held-out loss or memory over the
  // budget stop the run, and a noisy gradient or a slow machine only warn.
  std::array<BreakerAction, kBreakerRules> actions = {BreakerAction::kRollback, BreakerAction::kRollback,
                                                       BreakerAction::kWarn,     BreakerAction::kHalt,
                                                       BreakerAction::kHalt,     BreakerAction::kWarn};
  double spike_factor = 3;          // spike: step loss above this x its running average
  double grad_factor = 10;          // grad: gradient norm above this x its running average
  int eval_patience = 3;            // eval: this many evaluations in a row ...
  double eval_tolerance = 0.05;     // ... more than this fraction above the best one
  uint64_t memory_budget = 0;       // memory: RSS above this (bytes; 0 = no rule)
  double throughput_fraction = 0.5; // throughput: tokens/s below this x its running average ...
  int throughput_patience = 5;      // ... for this many steps in a row
  int warmup_steps = 3;             // steps each running average sees before its rule applies
  int throughput_warmup_steps = 5;  // the first steps are slow (cold caches, page faults)
  double ema_weight = 0.1;          // weight of the newest value in each running average

  BreakerAction action(BreakerRule r) const { return actions[static_cast<size_t>(r)]; }
};

// Applies one --breaker value: "off" (every rule off), "RULE=ACTION", or a comma-separated list of
// those (what BreakerActionsString writes). Throws Error(kExitUsage) naming the bad part.
void ApplyBreakerFlag(const std::string& value, BreakerOptions* options);
// "nan=rollback,spike=rollback,grad=warn,eval=halt,memory=halt,throughput=warn": every rule, in order.
std::string BreakerActionsString(const BreakerOptions& options);

struct StepMetrics {
  int step = 0;               // 1-based: the step just done
  double loss = 0;
  double grad_norm = 0;
  double tokens_per_second = 0;  // this step's alone; 0 = unknown (the rule skips it)
  uint64_t rss_bytes = 0;        // current resident memory; 0 = unknown
};

struct Trip {
  BreakerRule rule = BreakerRule::kNan;
  BreakerAction action = BreakerAction::kWarn;
  int step = 0;
  std::string reason;  // one line with the numbers
  // NaN where a number does not apply (the nan rule has no limit, the memory rule no average).
  double value = 0;    // what was measured
  double limit = 0;    // the threshold it crossed
  double baseline = 0; // the running average or best value the limit came from
};

// The log.jsonl event line of a trip: {"event":"breaker","rule":..,"action":..,"step":..,"reason":..,
// "value":..,"limit":..,"baseline":..}. NaN numbers become null (JSON has no NaN).
nlohmann::json TripEvent(const Trip& t);

// The action to take for these trips: rollback over halt over warn (off trips are never returned).
BreakerAction Strongest(const std::vector<Trip>& trips);

// Everything the rules remember; saved in each checkpoint so a resumed run decides as the
// uninterrupted one would, and restored on rollback with the state it belongs to.
struct BreakerState {
  double loss_ema = 0, grad_ema = 0, tps_ema = 0;
  int loss_seen = 0, grad_seen = 0, tps_seen = 0;
  int slow_steps = 0;       // throughput: steps in a row below the fraction
  bool over_budget = false; // memory: trips once per crossing
  bool have_best = false;
  double best_eval = 0;
  int best_eval_step = 0;
  int worse_evals = 0;      // eval: evaluations in a row above best x (1 + tolerance)
};
nlohmann::json BreakerStateJson(const BreakerState& s);
// Missing keys keep their defaults (a checkpoint written before the breaker existed).
BreakerState BreakerStateFromJson(const nlohmann::json& j);

class Breaker {
 public:
  explicit Breaker(BreakerOptions options) : options_(std::move(options)) {}

  // The trips of one optimiser step (rules whose action is off are not checked).
  std::vector<Trip> OnStep(const StepMetrics& m);
  // The trips of one held-out evaluation after `step` steps.
  std::vector<Trip> OnEval(int step, double eval_loss);

  const BreakerOptions& options() const { return options_; }
  const BreakerState& state() const { return state_; }
  void Restore(const BreakerState& s) { state_ = s; }
  // Forgets the throughput average (a resumed process starts cold, and its speed is its own).
  void ResetThroughput();

 private:
  bool On(BreakerRule r) const { return options_.action(r) != BreakerAction::kOff; }
  Trip Make(BreakerRule r, int step, std::string reason, double value, double limit, double baseline) const;

  BreakerOptions options_;
  BreakerState state_;
};

// True when every value is finite: what may be written as an adapter.
bool AllFinite(const std::vector<float>& values);

}  // namespace scale::train
