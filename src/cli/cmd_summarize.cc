// Placeholder: replaced by the implementation of `scale summarize`.
#include "cli/commands.h"
#include "util/error.h"

namespace scale::cli {
void AddSummarizeCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("summarize", "(not built yet)");
  cmd->callback([] { throw Error(kExitUsage, "scale summarize is not available in this build yet"); });
}
}  // namespace scale::cli
