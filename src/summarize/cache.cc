#include "summarize/cache.h"

#include <sqlite3.h>
#include <xxhash.h>

#include <chrono>
#include <cstdio>
#include <system_error>

#include "util/error.h"
#include "util/log.h"

namespace scale::summarize {
namespace fs = std::filesystem;
namespace {

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS summaries (key TEXT PRIMARY KEY, summary TEXT NOT NULL, "
    "prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT);"
    "INSERT OR IGNORE INTO meta VALUES ('format', 'scale-summaries-1');";

// Appends a length-prefixed field so that ("ab","c") and ("a","bc") hash differently.
void Field(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
}

}  // namespace

SummaryCache::SummaryCache(const fs::path& path) : path_(path) {
  std::error_code ec;
  if (path_.has_parent_path()) fs::create_directories(path_.parent_path(), ec);
  if (Open()) return;
  // Damaged: keep it for inspection, start afresh. Losing the cache only costs time.
  Close();
  const auto stamp = std::chrono::system_clock::now().time_since_epoch() / std::chrono::seconds(1);
  fs::path aside = path_;
  aside += ".corrupt-" + std::to_string(stamp);
  fs::rename(path_, aside, ec);
  if (ec) fs::remove(path_, ec);
  for (const char* suffix : {"-wal", "-shm", "-journal"}) fs::remove(fs::path(path_.string() + suffix), ec);
  LogWarning("summary cache " + path_.string() + " was damaged; moved to " + aside.filename().string() +
             " and rebuilt");
  rebuilt_ = true;
  if (!Open()) {
    Close();
    throw Error(kExitIo, "cannot create the summary cache " + path_.string() + ": " +
                             (db_ ? sqlite3_errmsg(db_) : "open failed"));
  }
}

SummaryCache::~SummaryCache() { Close(); }

void SummaryCache::Close() {
  if (db_ != nullptr) sqlite3_close(db_);
  db_ = nullptr;
}

bool SummaryCache::Open() {
  if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    return false;
  }
  sqlite3_busy_timeout(db_, 5000);  // two scale processes may share the cache
  if (sqlite3_exec(db_, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK) return false;
  // quick_check reads every page: a torn or overwritten file is caught here, not mid-run.
  sqlite3_stmt* stmt = nullptr;
  bool ok = sqlite3_prepare_v2(db_, "PRAGMA quick_check", -1, &stmt, nullptr) == SQLITE_OK &&
            sqlite3_step(stmt) == SQLITE_ROW &&
            std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))) == "ok";
  sqlite3_finalize(stmt);
  if (!ok) return false;
  sqlite3_stmt* format = nullptr;
  ok = sqlite3_prepare_v2(db_, "SELECT value FROM meta WHERE name='format'", -1, &format, nullptr) == SQLITE_OK &&
       sqlite3_step(format) == SQLITE_ROW &&
       std::string(reinterpret_cast<const char*>(sqlite3_column_text(format, 0))) == "scale-summaries-1";
  sqlite3_finalize(format);
  return ok;
}

std::optional<CachedSummary> SummaryCache::Get(const std::string& key) {
  sqlite3_stmt* stmt = nullptr;
  std::optional<CachedSummary> out;
  if (sqlite3_prepare_v2(db_, "SELECT summary, prompt_tokens, completion_tokens FROM summaries WHERE key=?", -1,
                         &stmt, nullptr) != SQLITE_OK) {
    return out;
  }
  sqlite3_bind_text(stmt, 1, key.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    CachedSummary v;
    v.summary = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    v.prompt_tokens = sqlite3_column_int(stmt, 1);
    v.completion_tokens = sqlite3_column_int(stmt, 2);
    out = std::move(v);
  }
  sqlite3_finalize(stmt);
  return out;
}

void SummaryCache::Put(const std::string& key, const CachedSummary& value) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO summaries VALUES (?, ?, ?, ?)", -1, &stmt, nullptr) != SQLITE_OK) {
    LogWarning("summary cache: cannot write: " + std::string(sqlite3_errmsg(db_)));
    return;
  }
  sqlite3_bind_text(stmt, 1, key.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 2, value.summary.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(stmt, 3, value.prompt_tokens);
  sqlite3_bind_int(stmt, 4, value.completion_tokens);
  if (sqlite3_step(stmt) != SQLITE_DONE) LogWarning("summary cache: cannot write: " + std::string(sqlite3_errmsg(db_)));
  sqlite3_finalize(stmt);
}

std::string SummaryCache::Key(const std::string& fingerprint, const engine::Request& request) {
  std::string material;
  Field(material, "scale-summary-v1");
  Field(material, fingerprint);
  for (const engine::Message& m : request.messages) {
    Field(material, std::to_string(static_cast<int>(m.role)));
    Field(material, m.content);
  }
  const engine::SamplingParams& s = request.sampling;
  char params[200];
  std::snprintf(params, sizeof params, "t=%g p=%g k=%d m=%g r=%g n=%d s=%u max=%d", s.temperature, s.top_p, s.top_k,
                s.min_p, s.repeat_penalty, s.repeat_last_n, s.seed, s.max_tokens);
  Field(material, params);
  for (const std::string& stop : request.stop) Field(material, stop);
  XXH128_hash_t h = XXH3_128bits(material.data(), material.size());
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return hex;
}

}  // namespace scale::summarize
