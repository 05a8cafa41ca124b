// The summary cache: SQLite file (CacheDir()/summaries.sqlite by default) mapping a key — the hash
// of everything that decides an answer: model fingerprint, the full prompt (content, path, the
// prompt templates, child summaries) and the sampling parameters — to the summary. So an
// unchanged repo decodes nothing, and an edited file redoes only itself and its ancestors.
// A corrupt or foreign file is moved aside (".corrupt-<time>") and rebuilt, with a warning.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "engine/llm.h"

struct sqlite3;

namespace scale::summarize {

struct CachedSummary {
  std::string summary;
  int prompt_tokens = 0;
  int completion_tokens = 0;
};

class SummaryCache {
 public:
  // Opens (creating if needed) the cache. Never throws for a damaged file (rebuilt instead);
  // throws Error(kExitIo) only when the directory cannot be written at all.
  explicit SummaryCache(const std::filesystem::path& path);
  ~SummaryCache();
  SummaryCache(const SummaryCache&) = delete;
  SummaryCache& operator=(const SummaryCache&) = delete;

  std::optional<CachedSummary> Get(const std::string& key);
  void Put(const std::string& key, const CachedSummary& value);

  // Hex key for a request answered by the model with this fingerprint.
  static std::string Key(const std::string& fingerprint, const engine::Request& request);

  bool rebuilt() const { return rebuilt_; }  // true when a damaged file was moved aside
  const std::filesystem::path& path() const { return path_; }

 private:
  bool Open();
  void Close();

  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
  bool rebuilt_ = false;
};

}  // namespace scale::summarize
