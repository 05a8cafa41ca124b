// `scale undo [RUN-ID] [--list] [--force]`: restores the files of the last (or the given)
// `scale comment -i` run byte for byte from the journal in CacheDir()/undo, refusing files that
// changed since that run unless --force.
#include <cstdio>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "annotate/undo_journal.h"
#include "cli/commands.h"
#include "cli/print.h"
#include "util/sha256.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"

namespace scale::cli {
namespace {

struct UndoArgs {
  std::string run_id;
  bool list = false;
  bool force = false;
  bool json = false;
};

std::string Hash(std::string_view data) { return Sha256Hex(data); }

void List(const UndoArgs& args) {
  auto runs = annotate::ListUndoRuns(CacheDir() / "undo");
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : runs) {
      nlohmann::json files = nlohmann::json::array();
      for (const auto& f : r.files) files.push_back(f.path.string());
      out.push_back({{"run_id", r.id}, {"created", r.created}, {"restored", r.restored}, {"files", files}});
    }
    PrintJson(out);
    return;
  }
  if (runs.empty()) LogInfo("no `scale comment -i` runs recorded");
  for (const auto& r : runs) {
    std::printf("%s  %s  %zu file%s%s\n", r.id.c_str(), r.created.c_str(), r.files.size(),
                r.files.size() == 1 ? "" : "s", r.restored ? "  (undone)" : "");
    if (Verbose()) {
      for (const auto& f : r.files) std::printf("    %s\n", f.path.c_str());
    }
  }
}

void Run(const UndoArgs& args) {
  if (args.list) {
    if (!args.run_id.empty()) throw Error(kExitUsage, "--list takes no RUN-ID");
    List(args);
    return;
  }
  // The journal lock: a `scale comment -i` still writing must finish before its run is undone.
  annotate::UndoLock lock(CacheDir() / "undo");
  annotate::RestoreResult r = annotate::RestoreRun(CacheDir() / "undo", args.run_id, args.force, Hash);
  if (args.json) {
    PrintJson({{"run_id", r.run_id}, {"restored", r.restored}, {"unchanged", r.unchanged}, {"refused", r.refused}});
  }
  if (!r.refused.empty()) {
    for (const auto& why : r.refused) LogWarning(why);
    LogWarning("nothing restored from run " + r.run_id + " (a file changed since; --force overwrites it)");
    SetExitStatus(kExitWorkFailed);
    return;
  }
  for (const auto& path : r.restored) LogInfo("restored " + path);
  for (const auto& path : r.unchanged) LogVerbose("already original: " + path);
  LogInfo("undid run " + r.run_id + " (" + std::to_string(r.restored.size()) + " file" +
          (r.restored.size() == 1 ? "" : "s") + " restored)");
}

}  // namespace

void AddUndoCommand(CLI::App& app) {
  auto args = std::make_shared<UndoArgs>();
  auto* cmd = app.add_subcommand("undo", "restore the files changed by the last (or a given) `scale comment -i` run");
  cmd->add_option("run", args->run_id, "the run to undo (default: the newest not yet undone; see --list)");
  cmd->add_flag("--list", args->list, "list the recorded runs, newest first");
  cmd->add_flag("--force", args->force, "restore even files that changed since the run");
  cmd->add_flag("--json", args->json, "print the result as JSON on stdout");
  cmd->callback([args] { Run(*args); });
}

}  // namespace scale::cli
