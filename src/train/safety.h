// What `scale train` does with the breaker's trips: it keeps the last good run state in memory,
// counts rollbacks, scales the learning rate down after each, and halts once they are used up.
// No I/O: the command writes the event lines and warnings this returns.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "train/breaker.h"
#include "train/checkpoint.h"

namespace scale::train {

struct SafetyOptions {
  BreakerOptions breaker;
  int max_rollbacks = 3;            // then the next rollback is a halt
  double rollback_lr_factor = 0.5;  // the learning-rate schedule is multiplied by this per rollback
};

enum class SafetyDecision { kContinue, kRollback, kHalt };

struct SafetyVerdict {
  SafetyDecision decision = SafetyDecision::kContinue;
  std::vector<nlohmann::json> events;  // log.jsonl lines, one per trip
  std::vector<std::string> warnings;   // one line per trip, for stderr
  std::string halt_reason;             // kHalt: one line
};

class Safety {
 public:
  explicit Safety(SafetyOptions options) : options_(options), breaker_(options.breaker) {}

  Breaker& breaker() { return breaker_; }
  double lr_scale() const { return lr_scale_; }
  int rollbacks() const { return rollbacks_; }

  // The newest state with finite values and no rollback or halt since: what a rollback or a halt
  // returns to. The caller only passes states whose adapter values are all finite.
  void Remember(const Checkpoint& c) { good_ = c; }
  bool has_good() const { return good_.has_value(); }
  const Checkpoint& good() const { return *good_; }

  // The decision for one step's (or one evaluation's) trips. A rollback counts against
  // max_rollbacks and multiplies lr_scale; past the limit it becomes a halt.
  SafetyVerdict Judge(const std::vector<Trip>& trips);

  // {"lr_scale", "rollbacks", "state": the breaker's}: into each checkpoint's run part.
  nlohmann::json ToJson() const;
  // The counters and the breaker's state from a checkpoint's run part (a resumed run); missing
  // keys (a run from before the breaker) leave the defaults.
  void FromJson(const nlohmann::json& j);
  // A rollback or halt: the breaker's memory goes back to the good state's (the counters stay).
  void RestoreBreakerOfGood();

 private:
  SafetyOptions options_;
  Breaker breaker_;
  std::optional<Checkpoint> good_;
  double lr_scale_ = 1;
  int rollbacks_ = 0;
};

}  // namespace scale::train
