// Placeholder: replaced by the implementation of `scale undo`.
#include "cli/commands.h"
#include "util/error.h"

namespace scale::cli {
void AddUndoCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("undo", "(not built yet)");
  cmd->callback([] { throw Error(kExitUsage, "scale undo is not available in this build yet"); });
}
}  // namespace scale::cli
