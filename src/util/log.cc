#include "util/log.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace scale {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::mutex g_mutex;

void Emit(const std::string& prefix, const std::string& message) {
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fprintf(stderr, "%s%s\n", prefix.c_str(), message.c_str());
  std::fflush(stderr);
}
}  // namespace

void SetLogLevel(LogLevel level) { g_level = static_cast<int>(level); }
LogLevel GetLogLevel() { return static_cast<LogLevel>(g_level.load()); }
bool Verbose() { return g_level.load() >= static_cast<int>(LogLevel::kVerbose); }

void LogInfo(const std::string& message) {
  if (g_level.load() >= static_cast<int>(LogLevel::kInfo)) Emit("", message);
}
void LogVerbose(const std::string& message) {
  if (Verbose()) Emit("", message);
}
void LogWarning(const std::string& message) {
  Emit(ColorEnabled() ? "\033[33mwarning:\033[0m " : "warning: ", message);
}

bool StderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }
bool ColorEnabled() {
  const char* no_color = std::getenv("NO_COLOR");
  return StderrIsTerminal() && (no_color == nullptr || no_color[0] == '\0');
}

}  // namespace scale
