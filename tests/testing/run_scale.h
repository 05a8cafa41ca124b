// Runs the built `scale` binary (SCALE_BINARY) as a child process, without a shell, and captures
// its exit code, stdout and stderr. For end-to-end CLI tests.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace scale::testing {

struct RunResult {
  int exit_code = -1;  // the process's exit status; 128+N if killed by signal N
  std::string out;     // everything written to stdout
  std::string err;     // everything written to stderr
};

// args excludes argv[0]. stdin_text is fed to the child's stdin, which is then closed.
RunResult RunScale(const std::vector<std::string>& args, const std::string& stdin_text = "");

// Same, with extra environment variables set (or overridden) for the child, and a working dir
// ("" = inherit). All Run* calls give the child NO_COLOR=1 and, unless `env` sets it, SCALE_HOME =
// SCALE_TEST_TMP/home-<pid> (one per test process) so tests never touch the user's ~/.cache/scale.
RunResult RunScaleWith(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                       const std::string& cwd = "", const std::string& stdin_text = "");

// Runs any program (path or name on PATH) the same way; used by RunScale and for tools.
RunResult RunProgram(const std::string& program, const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env = {}, const std::string& cwd = "",
                     const std::string& stdin_text = "");

}  // namespace scale::testing
