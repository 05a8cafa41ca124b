// Placeholder: replaced by the implementation of `scale comment`.
#include "cli/commands.h"
#include "util/error.h"

namespace scale::cli {
void AddCommentCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("comment", "(not built yet)");
  cmd->callback([] { throw Error(kExitUsage, "scale comment is not available in this build yet"); });
}
}  // namespace scale::cli
