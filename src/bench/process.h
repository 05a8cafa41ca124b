// Running llama.cpp's own benchmark as a child process, for `scale bench`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace scale::bench {

struct ProcessResult {
  int exit_code = -1;  // 128+N when killed by signal N; -1 when it could not be started
  std::string output;  // stdout and stderr together, in order
  uint64_t peak_rss = 0;  // bytes: the child's own peak resident set (wait4's ru_maxrss)
  double seconds = 0;     // wall time from start to exit
};

// Runs argv[0] (a path) with the arguments, no shell, stdin closed; waits for it.
ProcessResult RunProcess(const std::vector<std::string>& argv);

}  // namespace scale::bench
