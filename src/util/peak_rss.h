// This process's peak resident memory, for the benchmarks' memory figures (Linux /proc; 0 elsewhere).
#pragma once

#include <cstdint>

namespace scale {

// Peak resident set size of this process in bytes (VmHWM of /proc/self/status); 0 if unknown.
uint64_t PeakRssBytes();
// Resets the peak to the current RSS (writes 5 to /proc/self/clear_refs); false if not allowed.
bool ResetPeakRss();

}  // namespace scale
