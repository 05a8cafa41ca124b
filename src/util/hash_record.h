// A set of SHA-256 hex hashes kept in an append-only file, one per line: scale's memory of what it
// wrote (annotate/own_comments.h, annotate/comment_cache.h). Losing it only costs work, so reading
// and saving never throw; a torn last line (a crash mid-append) is ignored.
#pragma once

#include <filesystem>
#include <set>
#include <string>

namespace scale {

class HashRecord {
 public:
  // Loads `file` (missing or unreadable: empty). `what` names the record in messages.
  HashRecord(std::filesystem::path file, std::string what);

  bool Contains(const std::string& hash) const { return known_.count(hash) > 0; }
  void Add(const std::string& hash);

  // Appends what Add recorded since loading, under an exclusive flock (two runs at once must not
  // interleave lines), to a 0600 file never reached through a symlink; then fsyncs.
  void Save();

 private:
  std::filesystem::path file_;
  std::string what_;
  std::set<std::string> known_;
  std::set<std::string> added_;
};

}  // namespace scale
