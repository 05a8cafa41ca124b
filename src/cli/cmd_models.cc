// Placeholder: replaced by the implementation of `scale models`.
#include "cli/commands.h"
#include "util/error.h"

namespace scale::cli {
void AddModelsCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("models", "(not built yet)");
  cmd->callback([] { throw Error(kExitUsage, "scale models is not available in this build yet"); });
}
}  // namespace scale::cli
