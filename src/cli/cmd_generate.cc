// Placeholder: replaced by the implementation of `scale generate`.
#include "cli/commands.h"
#include "util/error.h"

namespace scale::cli {
void AddGenerateCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("generate", "(not built yet)");
  cmd->callback([] { throw Error(kExitUsage, "scale generate is not available in this build yet"); });
}
}  // namespace scale::cli
