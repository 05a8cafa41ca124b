// What `scale bench` needs from the operating system: running llama.cpp's own benchmark as a child
// process and reading this process's peak memory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace scale::bench {

struct ProcessResult {
  int exit_code = -1;  // 128+N when killed by signal N; -1 when it could not be started
  std::string output;  // stdout and stderr together, in order
};

// Runs argv[0] (a path) with the arguments, no shell, stdin closed; waits for it.
ProcessResult RunProcess(const std::vector<std::string>& argv);

// Peak resident set size of this process in bytes (VmHWM of /proc/self/status); 0 if unknown.
uint64_t PeakRssBytes();
// Resets the peak to the current RSS (writes 5 to /proc/self/clear_refs); false if not allowed.
bool ResetPeakRss();

}  // namespace scale::bench
