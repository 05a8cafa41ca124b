// The undo journal of `scale comment -i`: before a file is replaced, its original bytes are saved
// under <root>/<run-id>/ (root = CacheDir()/undo) with a manifest recording the path and the
// hashes of the original and the new content. `scale undo` restores a run byte for byte, refusing
// files that changed since the run (their hash no longer matches) unless forced.
//
// The hash function is passed in (the CLI uses SHA-256 from models/sha256.h) so this module
// does not depend on the models module.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace scale::annotate {

using HashFn = std::function<std::string(std::string_view)>;

struct UndoEntry {
  std::filesystem::path path;  // absolute
  std::string original_hash;
  std::string new_hash;
  std::string backup;          // file name of the saved original inside the run directory
};

struct UndoRun {
  std::string id;
  std::string created;         // local time, "YYYY-MM-DD HH:MM:SS"
  long long created_ns = 0;    // for ordering
  bool restored = false;
  std::filesystem::path dir;
  std::vector<UndoEntry> files;
};

class UndoJournal {
 public:
  // Creates a fresh run directory under `root`. Throws Error(kExitIo) if it cannot.
  UndoJournal(const std::filesystem::path& root, HashFn hash);

  // Saves `original` and records path + hashes; the manifest is rewritten atomically each time so
  // that an interrupted run still has a usable journal. Call BEFORE replacing the file.
  void Record(const std::filesystem::path& path, std::string_view original, std::string_view replacement);

  // Removes the run directory when nothing was recorded. Returns the number of files recorded.
  size_t Finish();

  const std::string& run_id() const { return run_.id; }

 private:
  void WriteManifest() const;
  HashFn hash_;
  UndoRun run_;
};

// Every run under `root`, newest first. Unreadable manifests are skipped.
std::vector<UndoRun> ListUndoRuns(const std::filesystem::path& root);

struct RestoreResult {
  std::string run_id;
  std::vector<std::string> restored;   // paths written back
  std::vector<std::string> unchanged;  // already had their original content
  std::vector<std::string> refused;    // "path: why" (changed since the run, missing); nothing written
};

// Restores run `run_id` ("" = the newest run not yet restored). All or nothing: if any file was
// changed since the run (or is missing) and !force, nothing is written and `refused` says why.
// Throws Error(kExitUsage) for an unknown run id, Error(kExitWorkFailed) when there is nothing to
// undo, Error(kExitIo) if a write fails, Error(kExitInput) if a saved original is damaged.
RestoreResult RestoreRun(const std::filesystem::path& root, const std::string& run_id, bool force, const HashFn& hash);

}  // namespace scale::annotate
