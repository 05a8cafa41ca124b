// Placeholder: replaced by the implementation of `scale bench`.
#include "cli/commands.h"
#include "util/error.h"

namespace scale::cli {
void AddBenchCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("bench", "(not built yet)");
  cmd->callback([] { throw Error(kExitUsage, "scale bench is not available in this build yet"); });
}
}  // namespace scale::cli
