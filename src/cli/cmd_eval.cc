// Placeholder: replaced by the implementation of `scale eval`.
#include "cli/commands.h"
#include "util/error.h"

namespace scale::cli {
void AddEvalCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("eval", "(not built yet)");
  cmd->callback([] { throw Error(kExitUsage, "scale eval is not available in this build yet"); });
}
}  // namespace scale::cli
