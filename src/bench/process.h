// Running llama.cpp's own benchmark as a child process, for `scale bench`.
#pragma once

#include <string>
#include <vector>

namespace scale::bench {

struct ProcessResult {
  int exit_code = -1;  // 128+N when killed by signal N; -1 when it could not be started
  std::string output;  // stdout and stderr together, in order
};

// Runs argv[0] (a path) with the arguments, no shell, stdin closed; waits for it.
ProcessResult RunProcess(const std::vector<std::string>& argv);

}  // namespace scale::bench
