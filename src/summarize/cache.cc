#include "summarize/cache.h"

#include <sqlite3.h>
#include <xxhash.h>

#include <chrono>
#include <cstdio>
#include <system_error>

#include "util/error.h"
#include "util/fault.h"
#include "util/format.h"
#include "util/log.h"

namespace scale::summarize {
namespace fs = std::filesystem;
namespace {

constexpr const char* kFormat = kCacheFormat;
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

bool IsBusy(int rc) { return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED; }
bool IsDamage(int rc) { return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB; }

// Text of column 0 of the statement's one row; nullopt for no row or NULL. *rc: the step's code.
std::optional<std::string> SingleText(sqlite3* db, const char* sql, int* rc) {
  sqlite3_stmt* stmt = nullptr;
  *rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  if (*rc != SQLITE_OK) return std::nullopt;
  std::optional<std::string> out;
  *rc = sqlite3_step(stmt);
  if (*rc == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    if (text != nullptr) out = reinterpret_cast<const char*>(text);
    *rc = SQLITE_OK;
  } else if (*rc == SQLITE_DONE) {
    *rc = SQLITE_OK;
  }
  sqlite3_finalize(stmt);
  return out;
}

}  // namespace

SummaryCache::SummaryCache(const fs::path& path, int busy_timeout_ms) : path_(path), busy_timeout_ms_(busy_timeout_ms) {
  std::error_code ec;
  if (path_.has_parent_path()) fs::create_directories(path_.parent_path(), ec);
  std::string why;
  OpenStatus status = Open(&why);
  if (status == OpenStatus::kDamaged) {
    // Keep it for inspection, start afresh. Losing the cache only costs time.
    Close();
    MoveAside();
    rebuilt_ = true;
    status = Open(&why);
    if (status == OpenStatus::kDamaged) status = OpenStatus::kFailed;
  }
  if (status == OpenStatus::kOk) return;
  Close();
  if (status == OpenStatus::kBusy) {
    throw Error(kExitIo, "summary cache " + path_.string() + " is locked by another process (waited " +
                             FormatFixed(busy_timeout_ms_ / 1000.0, 1) +
                             " s); try again when it is done, or use --cache FILE or --no-cache");
  }
  throw Error(kExitIo, "cannot open the summary cache " + path_.string() + ": " + why);
}

SummaryCache::~SummaryCache() { Close(); }

void SummaryCache::Close() {
  if (db_ != nullptr) sqlite3_close(db_);
  db_ = nullptr;
}

void SummaryCache::MoveAside() {
  const auto stamp = std::chrono::system_clock::now().time_since_epoch() / std::chrono::seconds(1);
  const std::string aside = path_.string() + ".corrupt-" + std::to_string(stamp);
  std::error_code ec;
  // The journal files go with the database: together they are what SQLite would have read.
  for (const char* suffix : {"", "-wal", "-journal", "-shm"}) {
    const fs::path from = path_.string() + suffix;
    if (fs::exists(fs::symlink_status(from, ec))) fs::rename(from, aside + suffix, ec);
  }
  LogWarning("summary cache " + path_.string() + " was damaged; moved to " + fs::path(aside).filename().string() +
             " and rebuilt");
}

SummaryCache::OpenStatus SummaryCache::Open(std::string* why) {
  auto fail = [&](int rc) {
    *why = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    return IsBusy(rc) ? OpenStatus::kBusy : IsDamage(rc) ? OpenStatus::kDamaged : OpenStatus::kFailed;
  };
  int rc = sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) return fail(rc);
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busy_timeout_ms_);  // two scale processes may share the cache
  // quick_check reads every page: a torn or overwritten file is caught here, not mid-run.
  std::optional<std::string> check = SingleText(db_, "PRAGMA quick_check", &rc);
  if (rc != SQLITE_OK) return fail(rc);
  if (check != "ok") {
    *why = "quick_check: " + check.value_or("no answer");
    return OpenStatus::kDamaged;
  }
  // WAL: readers never block the writer, and a killed writer leaves committed answers intact.
  std::optional<std::string> mode = SingleText(db_, "PRAGMA journal_mode=WAL", &rc);
  if (rc != SQLITE_OK) return fail(rc);
  if ((rc = sqlite3_exec(db_, "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr)) != SQLITE_OK) return fail(rc);
  if ((rc = sqlite3_exec(db_, kSchema, nullptr, nullptr, nullptr)) != SQLITE_OK) return fail(rc);
  std::optional<std::string> format = SingleText(db_, "SELECT value FROM meta WHERE name='format'", &rc);
  if (rc != SQLITE_OK) return fail(rc);
  if (format != kFormat) {
    *why = "not a scale summary cache (format " + format.value_or("NULL") + ")";
    return OpenStatus::kDamaged;  // a foreign or older file: set aside like a damaged one
  }
  return OpenStatus::kOk;
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
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    if (text != nullptr) {
      CachedSummary v;
      v.summary = reinterpret_cast<const char*>(text);
      v.prompt_tokens = sqlite3_column_int(stmt, 1);
      v.completion_tokens = sqlite3_column_int(stmt, 2);
      out = std::move(v);
    }
  }
  sqlite3_finalize(stmt);
  return out;
}

void SummaryCache::Put(const std::string& key, const CachedSummary& value) {
  auto warn = [&](const std::string& what) {
    if (!warned_) LogWarning("summary cache: cannot write (" + what + "); answers are not being cached");
    warned_ = true;
  };
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    warn(sqlite3_errmsg(db_));
    return;
  }
  sqlite3_stmt* stmt = nullptr;
  bool ok = sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO summaries VALUES (?, ?, ?, ?)", -1, &stmt, nullptr) ==
            SQLITE_OK;
  if (ok) {
    sqlite3_bind_text(stmt, 1, key.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, value.summary.c_str(), static_cast<int>(value.summary.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt, 3, value.prompt_tokens);
    sqlite3_bind_int(stmt, 4, value.completion_tokens);
    ok = sqlite3_step(stmt) == SQLITE_DONE;
  }
  sqlite3_finalize(stmt);
  if (!ok) {
    warn(sqlite3_errmsg(db_));
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return;
  }
  FaultPoint("cache:row-written");  // a kill here must lose only this uncommitted answer
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    warn(sqlite3_errmsg(db_));
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return;
  }
  FaultPoint("cache:committed");
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
