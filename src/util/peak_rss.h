// This process's peak and current resident memory, for the benchmarks' memory figures and the
// training breaker's budget (Linux /proc; 0 elsewhere).
#pragma once

#include <cstdint>

namespace scale {

// Peak resident set size of this process in bytes (VmHWM of /proc/self/status); 0 if unknown.
uint64_t PeakRssBytes();
// Current resident set size in bytes (VmRSS); 0 if unknown.
uint64_t CurrentRssBytes();
// Resets the peak to the current RSS (writes 5 to /proc/self/clear_refs); false if not allowed.
bool ResetPeakRss();

}  // namespace scale
