// How scale treats a failing server: exponential backoff with jitter between attempts (at least
// what Retry-After asks), and a circuit per endpoint that takes a server that keeps failing out of
// the rotation and lets one probe request through now and then to bring it back.
#pragma once

#include <string>

namespace scale::remote {

class Circuit {
 public:
  // Closed: every request may go. `threshold` failures in a row open it for `cooldown_s`, doubled
  // at each reopening up to `max_cooldown_s`; then one probe may go (half-open): its success
  // closes the circuit, its failure opens it again.
  explicit Circuit(int threshold = 3, double cooldown_s = 1.0, double max_cooldown_s = 30.0)
      : threshold_(threshold), base_cooldown_(cooldown_s), max_cooldown_(max_cooldown_s), cooldown_(cooldown_s) {}

  bool Allows(double now) const;     // a request may be sent now
  void Sent(double now);             // one was sent (a half-open circuit lets no second through)
  void Succeeded();
  void Failed(double now);
  bool open() const { return open_; }
  double reopens_at() const { return open_until_; }  // when an open circuit lets a probe through
  int failures() const { return consecutive_; }

 private:
  int threshold_;
  double base_cooldown_, max_cooldown_, cooldown_;
  int consecutive_ = 0;
  bool open_ = false;
  bool probing_ = false;
  double open_until_ = 0;
};

// Seconds to wait before attempt `attempt` (1 = the first retry): base * 2^(attempt-1) capped at
// `cap_s`, scaled by a jitter in [0.5, 1) from `jitter01` in [0, 1), and never less than
// `retry_after_s` (a server's own request; < 0 when it sent none).
double BackoffSeconds(int attempt, double retry_after_s, double jitter01, double base_s = 0.25, double cap_s = 8.0);

// A Retry-After header: delta-seconds or an HTTP date (against `now_unix`). -1 when absent or
// unreadable; capped at one hour so a hostile server cannot stall a run for days.
double ParseRetryAfter(const std::string& header, double now_unix);

}  // namespace scale::remote
