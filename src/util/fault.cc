#include "util/fault.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace scale {
namespace {

struct Settings {
  long kill_at = 0;
  long enospc_at = 0;
  long pause_at = 0;
  bool trace = false;
};

// Read at every point (they are rare: one per file write step), so a test's child process that
// sets the variables after fork sees them.
Settings Config() {
  Settings s;
  if (const char* v = std::getenv("SCALE_FAULT_KILL_AT")) s.kill_at = std::atol(v);
  if (const char* v = std::getenv("SCALE_FAULT_ENOSPC_AT")) s.enospc_at = std::atol(v);
  if (const char* v = std::getenv("SCALE_FAULT_PAUSE_AT")) s.pause_at = std::atol(v);
  if (const char* v = std::getenv("SCALE_FAULT_TRACE")) s.trace = *v && *v != '0';
  return s;
}

std::atomic<long> points{0};
std::atomic<long> writes{0};

}  // namespace

void FaultPoint(const char* name) {
  const Settings s = Config();
  if (s.kill_at <= 0 && s.pause_at <= 0 && !s.trace) return;
  long n = ++points;
  if (s.trace) std::fprintf(stderr, "fault-point %ld %s\n", n, name);
  if (n == s.kill_at) kill(getpid(), SIGKILL);
  if (n == s.pause_at) kill(getpid(), SIGSTOP);
}

bool FaultInjectEnospc() {
  const Settings s = Config();
  return s.enospc_at > 0 && ++writes == s.enospc_at;
}

bool FaultNanAtTrainStep(int step) {
  const char* v = std::getenv("SCALE_FAULT_NAN_FROM_STEP");
  const long from = v ? std::atol(v) : 0;
  return from > 0 && step >= from;
}

}  // namespace scale
