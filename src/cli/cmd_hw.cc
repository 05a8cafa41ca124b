// Placeholder: replaced by the implementation of `scale hw`.
#include "cli/commands.h"
#include "util/error.h"

namespace scale::cli {
void AddHwCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("hw", "(not built yet)");
  cmd->callback([] { throw Error(kExitUsage, "scale hw is not available in this build yet"); });
}
}  // namespace scale::cli
