#include <atomic>

#include "cli/commands.h"

namespace scale::cli {
namespace {
std::atomic<int> g_exit_status{0};
}
void SetExitStatus(int code) { g_exit_status = code; }
int ExitStatus() { return g_exit_status.load(); }
}  // namespace scale::cli
