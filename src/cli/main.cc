// scale: the command-line front end. All the work happens in the library (src/); this file only
// wires the subcommands together and turns errors into one line + an exit code.
#include <csignal>
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "util/error.h"
#include "util/log.h"
#include "util/version.h"

int main(int argc, char** argv) {
  CLI::App app{"scale: understand code with small local LLMs (comments, summaries, evaluation)", "scale"};
  app.set_version_flag("--version", scale::VersionString());
  app.require_subcommand(1);
  app.fallthrough();
  scale::cli::AddCommentCommand(app);
  scale::cli::AddUndoCommand(app);
  scale::cli::AddSummarizeCommand(app);
  scale::cli::AddEvalCommand(app);
  scale::cli::AddBenchCommand(app);
  scale::cli::AddModelsCommand(app);
  scale::cli::AddHwCommand(app);
  scale::cli::AddGenerateCommand(app);
  scale::cli::AddCacheCommand(app);
  scale::cli::AddTrainCommand(app);
  scale::cli::AddRollbackCommand(app);
  scale::cli::AddDistillCommand(app);
  scale::cli::AddLspCommand(app);
  scale::cli::AddCompletionsCommand(app);
  scale::cli::AddConfigCommand(app);
  app.footer("Exit codes: 0 ok, 1 some work failed, 2 usage, 3 model/dependency, 4 bad input, 5 write error, "
             "6 network, 7 shard outputs do not merge, 8 not a compatible cache, 130 interrupted.\nRun `scale <command> --help` for a command's options.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Usage errors: one line, exit 2. (--help on the failing command says more.)
    std::fprintf(stderr, "scale: %s\n", e.what());
    return scale::kExitUsage;
  } catch (const scale::Error& e) {
    std::fprintf(stderr, "scale: error: %s\n", e.what());
    return e.exit_code();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "scale: internal error: %s\n", e.what());
    return scale::kExitWorkFailed;
  }
  return scale::cli::ExitStatus();
}
