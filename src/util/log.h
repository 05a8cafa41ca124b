// Diagnostics on stderr. Level is set once by the CLI (-v / -q); library code only calls Log*.
// Messages go out as whole lines so that a progress bar on the same terminal can redraw around them.
#pragma once

#include <string>

namespace scale {

enum class LogLevel { kQuiet = 0, kInfo = 1, kVerbose = 2, kDebug = 3 };

void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();
bool Verbose();  // GetLogLevel() >= kVerbose

void LogInfo(const std::string& message);     // shown unless -q
void LogVerbose(const std::string& message);  // shown with -v
void LogWarning(const std::string& message);  // always shown, prefixed "warning: "

// True when stderr is a terminal and NO_COLOR is unset (colour / progress bars allowed).
bool StderrIsTerminal();
bool ColorEnabled();

}  // namespace scale
