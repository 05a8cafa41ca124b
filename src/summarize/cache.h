// The summary cache: SQLite file (CacheDir()/summaries.sqlite by default) mapping a key — the hash
// of everything that decides an answer: model fingerprint, the full prompt (content, path, the
// prompt templates, child summaries) and the sampling parameters — to the summary. So an
// unchanged repo decodes nothing, and an edited file redoes only itself and its ancestors.
// Only a damaged or foreign file (SQLITE_CORRUPT / SQLITE_NOTADB, a failed quick_check, no or a
// wrong format row) is moved aside (".corrupt-<time>", with its -wal/-journal) and rebuilt. A
// cache another process holds locked is waited for, then refused with a one-line error; it is
// never touched. WAL journal, one transaction per answer: a kill at any point loses at most the
// answer being written.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "engine/llm.h"

struct sqlite3;

namespace scale::summarize {

// The value of meta.format in a cache this scale reads and writes (export/import check it too).
inline constexpr const char* kCacheFormat = "scale-summaries-1";

struct CachedSummary {
  std::string summary;
  int prompt_tokens = 0;
  int completion_tokens = 0;
};

class SummaryCache {
 public:
  // Opens (creating if needed) the cache, waiting up to busy_timeout_ms for another process's
  // lock. Rebuilds a damaged file. Throws Error(kExitIo) when the cache stays locked or cannot
  // be opened or created (permissions, disk full).
  explicit SummaryCache(const std::filesystem::path& path, int busy_timeout_ms = 5000);
  ~SummaryCache();
  SummaryCache(const SummaryCache&) = delete;
  SummaryCache& operator=(const SummaryCache&) = delete;

  // A miss for anything unusable (locked meanwhile, NULL fields). Put only warns on failure:
  // losing a cached answer costs time, never correctness.
  std::optional<CachedSummary> Get(const std::string& key);
  void Put(const std::string& key, const CachedSummary& value);

  // Hex key for a request answered by the model with this fingerprint.
  static std::string Key(const std::string& fingerprint, const engine::Request& request);

  bool rebuilt() const { return rebuilt_; }  // true when a damaged file was moved aside
  const std::filesystem::path& path() const { return path_; }

 private:
  enum class OpenStatus { kOk, kDamaged, kBusy, kFailed };
  OpenStatus Open(std::string* why);
  void Close();
  void MoveAside();

  std::filesystem::path path_;
  int busy_timeout_ms_;
  sqlite3* db_ = nullptr;
  bool rebuilt_ = false;
  bool warned_ = false;
};

}  // namespace scale::summarize
