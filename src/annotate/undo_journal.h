// The undo journal of `scale comment -i`: before a file is replaced, its original bytes are saved
// under <root>/<run-id>/ (root = CacheDir()/undo) with a manifest recording the path and the
// hashes of the original and the new content. `scale undo` restores a run byte for byte, refusing
// files that changed since the run (their hash no longer matches) unless forced.
//
// The journal is private and authenticated: directories are 0700, backups 0600, and every
// manifest carries an HMAC under a per-user key (<root>/.key, 0600), so a manifest that this user
// did not write (planted, edited, or owned by someone else) is ignored, never restored from.
//
// The hash function is passed in (the CLI uses SHA-256 from util/sha256.h) so this module
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
  std::filesystem::path path;  // absolute, the real file (symlinks resolved)
  std::string original_hash;
  std::string new_hash;
  std::string backup;          // file name of the saved original inside the run directory
  unsigned mode = 0600;        // the original's permission bits (for recreating a deleted file)
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

  // Drops the last Record: its file was not replaced after all (changed meanwhile, refused, or the
  // write failed), so undo must not restore it.
  void ForgetLast();

  // Removes the run directory when nothing was recorded. Returns the number of files recorded.
  size_t Finish();

  const std::string& run_id() const { return run_.id; }

 private:
  void WriteManifest() const;
  HashFn hash_;
  std::string key_;  // authenticates the manifest
  UndoRun run_;
};

// Reads a run's manifest.json text (found in run directory `dir`). Throws Error(kExitInput) with one
// line for anything that is not a well-formed manifest (bad JSON, missing or mistyped fields, a
// backup name that is not a plain file name in `dir`, a path that is not absolute).
UndoRun ParseUndoManifest(std::string_view text, const std::filesystem::path& dir);

// Held while a run writes files or restores them: two scale processes never interleave their
// journal and file writes. Blocks (saying so once on stderr) while another holds it.
class UndoLock {
 public:
  explicit UndoLock(const std::filesystem::path& root);
  ~UndoLock();
  UndoLock(const UndoLock&) = delete;
  UndoLock& operator=(const UndoLock&) = delete;

 private:
  int fd_ = -1;
};

// Every run under `root` that this user journaled, newest first. Manifests that are unreadable,
// not owned by this user or fail authentication are skipped.
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
