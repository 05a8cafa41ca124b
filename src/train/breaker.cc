#include "train/breaker.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

#include "util/error.h"
#include "util/size.h"

namespace scale::train {
namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();  // a Trip number that does not apply
constexpr const char* kRuleNames[kBreakerRules] = {"nan", "spike", "grad", "eval", "memory", "throughput"};

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

BreakerAction ParseAction(const std::string& s, const std::string& part) {
  for (BreakerAction a : {BreakerAction::kOff, BreakerAction::kWarn, BreakerAction::kHalt, BreakerAction::kRollback}) {
    if (s == BreakerActionName(a)) return a;
  }
  throw Error(kExitUsage, "--breaker " + part + ": the action must be warn, halt, rollback or off");
}

// The running average after one more value; the first value starts it.
void Fold(double value, int* seen, double* ema, double weight) {
  *ema = *seen == 0 ? value : (1 - weight) * *ema + weight * value;
  ++*seen;
}

nlohmann::json NumberOrNull(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

}  // namespace

const char* BreakerRuleName(BreakerRule r) { return kRuleNames[static_cast<int>(r)]; }

const char* BreakerActionName(BreakerAction a) {
  switch (a) {
    case BreakerAction::kOff: return "off";
    case BreakerAction::kWarn: return "warn";
    case BreakerAction::kHalt: return "halt";
    case BreakerAction::kRollback: return "rollback";
  }
  return "?";
}

void ApplyBreakerFlag(const std::string& value, BreakerOptions* options) {
  size_t at = 0;
  while (at <= value.size()) {
    const size_t comma = value.find(',', at);
    const std::string part = value.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    at = comma == std::string::npos ? value.size() + 1 : comma + 1;
    if (part == "off") {
      options->actions.fill(BreakerAction::kOff);
      continue;
    }
    const size_t eq = part.find('=');
    if (eq == std::string::npos) {
      throw Error(kExitUsage, "--breaker '" + part + "': give RULE=ACTION (rules: nan, spike, grad, eval, memory, throughput) or off");
    }
    const std::string rule = part.substr(0, eq);
    int found = -1;
    for (int i = 0; i < kBreakerRules; ++i) {
      if (rule == kRuleNames[i]) found = i;
    }
    if (found < 0) throw Error(kExitUsage, "--breaker '" + part + "': unknown rule '" + rule + "' (nan, spike, grad, eval, memory, throughput)");
    options->actions[static_cast<size_t>(found)] = ParseAction(part.substr(eq + 1), "'" + part + "'");
  }
}

std::string BreakerActionsString(const BreakerOptions& options) {
  std::string out;
  for (int i = 0; i < kBreakerRules; ++i) {
    out += std::string(i ? "," : "") + kRuleNames[i] + "=" + BreakerActionName(options.actions[static_cast<size_t>(i)]);
  }
  return out;
}

nlohmann::json TripEvent(const Trip& t) {
  return {{"event", "breaker"},      {"rule", BreakerRuleName(t.rule)}, {"action", BreakerActionName(t.action)},
          {"step", t.step},          {"reason", t.reason},              {"value", NumberOrNull(t.value)},
          {"limit", NumberOrNull(t.limit)}, {"baseline", NumberOrNull(t.baseline)}};
}

BreakerAction Strongest(const std::vector<Trip>& trips) {
  BreakerAction out = BreakerAction::kOff;
  auto rank = [](BreakerAction a) { return a == BreakerAction::kRollback ? 3 : a == BreakerAction::kHalt ? 2 : a == BreakerAction::kWarn ? 1 : 0; };
  for (const Trip& t : trips) {
    if (rank(t.action) > rank(out)) out = t.action;
  }
  return out;
}

nlohmann::json BreakerStateJson(const BreakerState& s) {
  return {{"loss_ema", s.loss_ema},   {"grad_ema", s.grad_ema},       {"tps_ema", s.tps_ema},
          {"loss_seen", s.loss_seen}, {"grad_seen", s.grad_seen},     {"tps_seen", s.tps_seen},
          {"slow_steps", s.slow_steps}, {"over_budget", s.over_budget}, {"have_best", s.have_best},
          {"best_eval", s.best_eval}, {"best_eval_step", s.best_eval_step}, {"worse_evals", s.worse_evals}};
}

BreakerState BreakerStateFromJson(const nlohmann::json& j) {
  BreakerState s;
  if (!j.is_object()) return s;
  s.loss_ema = j.value("loss_ema", s.loss_ema);
  s.grad_ema = j.value("grad_ema", s.grad_ema);
  s.tps_ema = j.value("tps_ema", s.tps_ema);
  s.loss_seen = j.value("loss_seen", s.loss_seen);
  s.grad_seen = j.value("grad_seen", s.grad_seen);
  s.tps_seen = j.value("tps_seen", s.tps_seen);
  s.slow_steps = j.value("slow_steps", s.slow_steps);
  s.over_budget = j.value("over_budget", s.over_budget);
  s.have_best = j.value("have_best", s.have_best);
  s.best_eval = j.value("best_eval", s.best_eval);
  s.best_eval_step = j.value("best_eval_step", s.best_eval_step);
  s.worse_evals = j.value("worse_evals", s.worse_evals);
  return s;
}

Trip Breaker::Make(BreakerRule r, int step, std::string reason, double value, double limit, double baseline) const {
  Trip t;
  t.rule = r;
  t.action = options_.action(r);
  t.step = step;
  t.reason = std::move(reason);
  t.value = value;
  t.limit = limit;
  t.baseline = baseline;
  return t;
}

std::vector<Trip> Breaker::OnStep(const StepMetrics& m) {
  std::vector<Trip> trips;
  const BreakerOptions& o = options_;
  BreakerState& s = state_;
  const bool finite = std::isfinite(m.loss) && std::isfinite(m.grad_norm);
  if (!finite) {
    // A broken step says nothing about the averages: they stay as they were.
    if (On(BreakerRule::kNan)) {
      trips.push_back(Make(BreakerRule::kNan, m.step, "loss " + Num(m.loss) + ", gradient norm " + Num(m.grad_norm) +
                                                         ": the numbers broke (NaN or infinity)",
                           std::isfinite(m.loss) ? m.grad_norm : m.loss, kNone, kNone));
    }
  } else {
    if (On(BreakerRule::kSpike) && s.loss_seen >= o.warmup_steps && s.loss_ema > 0 && m.loss > o.spike_factor * s.loss_ema) {
      trips.push_back(Make(BreakerRule::kSpike, m.step,
                           "loss " + Num(m.loss) + " is " + Num(m.loss / s.loss_ema) + "x its running average " +
                               Num(s.loss_ema) + " (limit " + Num(o.spike_factor) + "x, --spike-factor)",
                           m.loss, o.spike_factor * s.loss_ema, s.loss_ema));
    }
    if (On(BreakerRule::kGrad) && s.grad_seen >= o.warmup_steps && s.grad_ema > 0 && m.grad_norm > o.grad_factor * s.grad_ema) {
      trips.push_back(Make(BreakerRule::kGrad, m.step,
                           "gradient norm " + Num(m.grad_norm) + " is " + Num(m.grad_norm / s.grad_ema) +
                               "x its running average " + Num(s.grad_ema) + " (limit " + Num(o.grad_factor) +
                               "x, --grad-factor)",
                           m.grad_norm, o.grad_factor * s.grad_ema, s.grad_ema));
    }
    // Spikes are folded in too: a warned-about level that persists becomes the new normal
    // instead of warning every step (a rollback restores the state from before anyway).
    Fold(m.loss, &s.loss_seen, &s.loss_ema, o.ema_weight);
    Fold(m.grad_norm, &s.grad_seen, &s.grad_ema, o.ema_weight);
  }
  if (On(BreakerRule::kMemory) && o.memory_budget > 0 && m.rss_bytes > 0) {
    const bool over = m.rss_bytes > o.memory_budget;
    if (over && !s.over_budget) {
      trips.push_back(Make(BreakerRule::kMemory, m.step,
                           "resident memory " + FormatBytes(m.rss_bytes) + " is above the budget " +
                               FormatBytes(o.memory_budget) + " (--max-memory)",
                           static_cast<double>(m.rss_bytes), static_cast<double>(o.memory_budget), kNone));
    }
    s.over_budget = over;
  }
  if (On(BreakerRule::kThroughput) && m.tokens_per_second > 0 && std::isfinite(m.tokens_per_second)) {
    const double limit = o.throughput_fraction * s.tps_ema;
    if (s.tps_seen >= o.throughput_warmup_steps && m.tokens_per_second < limit) {
      // A slow step is not folded in: the average stays the machine's normal speed, so a lasting
      // slow-down is still measured against it.
      if (++s.slow_steps >= o.throughput_patience) {
        trips.push_back(Make(BreakerRule::kThroughput, m.step,
                             Num(m.tokens_per_second) + " tokens/s, below " + Num(100 * o.throughput_fraction) +
                                 "% of the running average " + Num(s.tps_ema) + " for " + std::to_string(s.slow_steps) +
                                 " steps in a row (another program on the machine? swapping?)",
                             m.tokens_per_second, limit, s.tps_ema));
        s.slow_steps = 0;
      }
    } else {
      s.slow_steps = 0;
      Fold(m.tokens_per_second, &s.tps_seen, &s.tps_ema, o.ema_weight);
    }
  }
  return trips;
}

std::vector<Trip> Breaker::OnEval(int step, double eval_loss) {
  std::vector<Trip> trips;
  BreakerState& s = state_;
  if (!std::isfinite(eval_loss)) {
    if (On(BreakerRule::kNan)) {
      trips.push_back(Make(BreakerRule::kNan, step, "held-out loss " + Num(eval_loss) + ": the numbers broke (NaN or infinity)",
                           eval_loss, kNone, kNone));
    }
    return trips;
  }
  if (!s.have_best || eval_loss < s.best_eval) {
    s.have_best = true;
    s.best_eval = eval_loss;
    s.best_eval_step = step;
    s.worse_evals = 0;
    return trips;
  }
  const double limit = s.best_eval * (1 + options_.eval_tolerance);
  if (eval_loss <= limit) {
    s.worse_evals = 0;
    return trips;
  }
  ++s.worse_evals;
  if (On(BreakerRule::kEval) && s.worse_evals >= options_.eval_patience) {
    trips.push_back(Make(BreakerRule::kEval, step,
                         "held-out loss " + Num(eval_loss) + " has been more than " + Num(100 * options_.eval_tolerance) +
                             "% above the best " + Num(s.best_eval) + " (step " + std::to_string(s.best_eval_step) +
                             ") for " + std::to_string(s.worse_evals) + " evaluations in a row (--eval-patience)",
                         eval_loss, limit, s.best_eval));
    s.worse_evals = 0;
  }
  return trips;
}

void Breaker::ResetThroughput() {
  state_.tps_ema = 0;
  state_.tps_seen = 0;
  state_.slow_steps = 0;
}

bool AllFinite(const std::vector<float>& values) {
  for (float v : values) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

}  // namespace scale::train
