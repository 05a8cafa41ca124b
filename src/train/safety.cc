#include "train/safety.h"

#include <cstdio>

namespace scale::train {
namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

}  // namespace

SafetyVerdict Safety::Judge(const std::vector<Trip>& trips) {
  SafetyVerdict v;
  const BreakerAction asked = Strongest(trips);
  const int to_step = good_ ? good_->trainer.steps : 0;
  if (asked == BreakerAction::kRollback) {
    if (good_ && rollbacks_ < options_.max_rollbacks) {
      ++rollbacks_;
      lr_scale_ *= options_.rollback_lr_factor;
      v.decision = SafetyDecision::kRollback;
    } else {
      v.decision = SafetyDecision::kHalt;
    }
  } else if (asked == BreakerAction::kHalt) {
    v.decision = SafetyDecision::kHalt;
  }
  for (const Trip& t : trips) {
    nlohmann::json e = TripEvent(t);
    std::string line = "breaker: " + std::string(BreakerRuleName(t.rule)) + " at step " + std::to_string(t.step) + ": " + t.reason;
    if (t.action == BreakerAction::kRollback && v.decision == SafetyDecision::kRollback) {
      e["to_step"] = to_step;
      e["lr_scale"] = lr_scale_;
      e["rollbacks"] = rollbacks_;
      line += "; rolling back to step " + std::to_string(to_step) + " with the learning rate x" + Num(lr_scale_) +
              " (rollback " + std::to_string(rollbacks_) + " of " + std::to_string(options_.max_rollbacks) + ")";
    } else if (t.action == BreakerAction::kRollback) {
      e["action"] = "halt";
      e["asked"] = "rollback";
      e["rollbacks"] = rollbacks_;
      line += "; halting: " + std::to_string(rollbacks_) + " rollbacks used (--max-rollbacks " +
              std::to_string(options_.max_rollbacks) + ")";
    } else if (t.action == BreakerAction::kHalt) {
      line += "; halting";
    }
    if (v.decision == SafetyDecision::kHalt && v.halt_reason.empty() && t.action != BreakerAction::kWarn) {
      v.halt_reason = std::string(BreakerRuleName(t.rule)) + " at step " + std::to_string(t.step) + ": " + t.reason;
      if (t.action == BreakerAction::kRollback) {
        v.halt_reason += "; " + std::to_string(rollbacks_) + " rollbacks used (--max-rollbacks)";
      }
    }
    v.events.push_back(std::move(e));
    v.warnings.push_back(std::move(line));
  }
  return v;
}

nlohmann::json Safety::ToJson() const {
  return {{"lr_scale", lr_scale_}, {"rollbacks", rollbacks_}, {"state", BreakerStateJson(breaker_.state())}};
}

void Safety::FromJson(const nlohmann::json& j) {
  if (!j.is_object()) return;
  lr_scale_ = j.value("lr_scale", 1.0);
  rollbacks_ = j.value("rollbacks", 0);
  breaker_.Restore(BreakerStateFromJson(j.value("state", nlohmann::json::object())));
}

void Safety::RestoreBreakerOfGood() {
  if (!good_) return;
  const nlohmann::json b = good_->run.value("breaker", nlohmann::json::object());
  breaker_.Restore(BreakerStateFromJson(b.value("state", nlohmann::json::object())));
}

}  // namespace scale::train
