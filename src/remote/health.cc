#include "remote/health.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>

namespace scale::remote {

bool Circuit::Allows(double now) const {
  if (!open_) return true;
  return now >= open_until_ && !probing_;
}

void Circuit::Sent(double now) {
  if (open_ && now >= open_until_) probing_ = true;
}

void Circuit::Succeeded() {
  consecutive_ = 0;
  open_ = probing_ = false;
  cooldown_ = base_cooldown_;
}

void Circuit::Failed(double now) {
  ++consecutive_;
  if (open_) {
    // The probe failed: wait longer before the next one.
    cooldown_ = std::min(cooldown_ * 2, max_cooldown_);
    probing_ = false;
    open_until_ = now + cooldown_;
  } else if (consecutive_ >= threshold_) {
    open_ = true;
    open_until_ = now + cooldown_;
  }
}

double BackoffSeconds(int attempt, double retry_after_s, double jitter01, double base_s, double cap_s) {
  double wait = std::min(cap_s, base_s * std::pow(2.0, std::max(0, attempt - 1)));
  wait *= 0.5 + 0.5 * std::clamp(jitter01, 0.0, 0.999999);
  return std::max(wait, retry_after_s);
}

double ParseRetryAfter(const std::string& header, double now_unix) {
  if (header.empty()) return -1;
  constexpr double kMax = 3600;
  char* end = nullptr;
  const double seconds = std::strtod(header.c_str(), &end);
  if (end != header.c_str() && *end == '\0') return seconds < 0 ? -1 : std::min(seconds, kMax);
  std::tm tm{};
  // IMF-fixdate, the form RFC 9110 requires senders to use: "Sun, 06 Nov 1994 08:49:37 GMT".
  if (strptime(header.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm) == nullptr) return -1;
  const double at = static_cast<double>(timegm(&tm));
  return std::clamp(at - now_unix, 0.0, kMax);
}

}  // namespace scale::remote
