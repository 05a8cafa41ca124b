// Errors that reach the user. Library code throws scale::Error with the exit code the command
// should end with; the CLI front end prints the message as one line on stderr and exits.
#pragma once

#include <stdexcept>
#include <string>

namespace scale {

// Documented in README.md ("Exit codes"). Keep the numbers stable: scripts depend on them.
enum ExitCode : int {
  kExitOk = 0,
  kExitWorkFailed = 1,   // ran, but some of the work failed (or --check found missing comments)
  kExitUsage = 2,        // bad command line or configuration
  kExitModel = 3,        // model missing, not GGUF, corrupt, unsupported, too large; missing dependency
  kExitInput = 4,        // input file unusable: unreadable, binary, not UTF-8, empty, too large
  kExitIo = 5,           // could not write output (permissions, disk full)
  kExitNetwork = 6,      // download / hub problems
  kExitMergeRefused = 7, // summarize --merge: the shard files are not one run's N parts
  kExitCacheFormat = 8,  // cache import/export: not a scale summary cache of a compatible format
  kExitInterrupted = 130 // Ctrl-C
};

class Error : public std::runtime_error {
 public:
  Error(int exit_code, const std::string& message) : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

}  // namespace scale
