#include "summarize/cache_transfer.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <string>
#include <system_error>

#include "summarize/cache.h"
#include "util/error.h"
#include "util/sha256.h"

namespace scale::summarize {
namespace fs = std::filesystem;
namespace {

// One connection, closed on every path out.
class Db {
 public:
  Db(const fs::path& path, int flags, int busy_timeout_ms) {
    rc_ = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (db_ != nullptr) {
      sqlite3_extended_result_codes(db_, 1);
      sqlite3_busy_timeout(db_, busy_timeout_ms);
    }
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  int open_rc() const { return rc_; }
  sqlite3* get() const { return db_; }
  std::string error() const { return db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc_); }
  int Exec(const std::string& sql) { return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr); }

  // Column 0 of the first row of `sql` (with `bind` as ?1, if given) as text; nullopt on error or no row.
  std::optional<std::string> Text(const std::string& sql, const std::string* bind = nullptr, int* rc_out = nullptr) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr);
    std::optional<std::string> out;
    if (rc == SQLITE_OK) {
      if (bind != nullptr) sqlite3_bind_text(stmt, 1, bind->c_str(), -1, SQLITE_TRANSIENT);
      rc = sqlite3_step(stmt);
      if (rc == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(stmt, 0);
        out = text != nullptr ? reinterpret_cast<const char*>(text) : "";
        rc = SQLITE_OK;
      } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
      }
    }
    sqlite3_finalize(stmt);
    if (rc_out != nullptr) *rc_out = rc;
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
  int rc_ = SQLITE_OK;
};

size_t Count(Db& db, const std::string& table) {
  std::optional<std::string> n = db.Text("SELECT count(*) FROM " + table);
  return n ? std::stoull(*n) : 0;
}

// What is wrong with `db`'s schema `schema` ("main" or an attached name) as a summary cache, or "".
std::string CacheProblem(Db& db, const std::string& schema) {
  int rc = SQLITE_OK;
  std::optional<std::string> check = db.Text("PRAGMA " + schema + ".quick_check", nullptr, &rc);
  if (rc != SQLITE_OK) return "not an SQLite database (" + db.error() + ")";
  if (check != "ok") return "damaged (quick_check: " + check.value_or("no answer") + ")";
  std::optional<std::string> format = db.Text("SELECT value FROM " + schema + ".meta WHERE name='format'", nullptr, &rc);
  if (rc != SQLITE_OK || !format) return "not a scale summary cache (no format row)";
  if (*format != kCacheFormat) return "cache format " + *format + ", this scale reads " + kCacheFormat;
  sqlite3_stmt* stmt = nullptr;
  rc = sqlite3_prepare_v2(db.get(),
                          ("SELECT key, summary, prompt_tokens, completion_tokens FROM " + schema + ".summaries LIMIT 0").c_str(),
                          -1, &stmt, nullptr);
  sqlite3_finalize(stmt);
  if (rc != SQLITE_OK) return "not a scale summary cache (no summaries table of this format)";
  return "";
}

void SyncPath(const fs::path& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Makes sure the cache exists with our schema (SummaryCache creates it, or rebuilds a damaged one).
void Prepare(const fs::path& cache, int busy_timeout_ms) { SummaryCache open(cache, busy_timeout_ms); }

}  // namespace

size_t ExportCache(const fs::path& cache, const fs::path& file, int busy_timeout_ms) {
  std::error_code ec;
  // A reader only: checking an existing cache takes no lock that a running summarize would wait on.
  if (!fs::exists(cache, ec)) Prepare(cache, busy_timeout_ms);
  // Renaming over the live cache would orphan its -wal file: the copy must go elsewhere.
  if (fs::equivalent(cache, file, ec)) throw Error(kExitUsage, file.string() + " is the summary cache itself; export it to another file");
  const fs::path folder = file.has_parent_path() ? file.parent_path() : fs::path(".");
  if (!fs::is_directory(folder, ec)) throw Error(kExitIo, "cannot export the summary cache to " + file.string() + ": no folder " + folder.string());
  // Beside the target, so the rename stays on one file system and is atomic.
  std::string suffix;
  try {
    suffix = Sha256Hex(RandomBytes(8)).substr(0, 12);
  } catch (const std::exception&) {
    suffix = std::to_string(::getpid());
  }
  const fs::path temp = folder / ("." + file.filename().string() + ".tmp-" + suffix);
  auto fail = [&](const std::string& why) {
    fs::remove(temp, ec);
    return Error(kExitIo, "cannot export the summary cache to " + file.string() + ": " + why);
  };
  size_t entries = 0;
  {
    // Read-write only so that a WAL file can be read while others write; nothing is written.
    Db db(cache, SQLITE_OPEN_READWRITE, busy_timeout_ms);
    if (db.open_rc() != SQLITE_OK) throw fail(db.error());
    std::string problem = CacheProblem(db, "main");
    if (!problem.empty()) throw Error(kExitCacheFormat, cache.string() + ": " + problem + "; nothing exported");
    // VACUUM INTO reads one snapshot: writers that commit meanwhile are simply not in it.
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db.get(), "VACUUM INTO ?1", -1, &stmt, nullptr);
    if (rc == SQLITE_OK) {
      sqlite3_bind_text(stmt, 1, temp.c_str(), -1, SQLITE_TRANSIENT);
      rc = sqlite3_step(stmt);
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) throw fail(db.error());
  }
  {
    // A plain single file (no -wal beside it) that any reader can open, even from a read-only folder.
    Db out(temp, SQLITE_OPEN_READWRITE, busy_timeout_ms);
    if (out.open_rc() != SQLITE_OK || !out.Text("PRAGMA journal_mode=DELETE")) throw fail(out.error());
    entries = Count(out, "summaries");
  }
  SyncPath(temp, O_RDONLY);
  fs::rename(temp, file, ec);
  if (ec) throw fail(ec.message());
  SyncPath(folder, O_RDONLY | O_DIRECTORY);
  return entries;
}

size_t CacheEntries(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) throw Error(kExitInput, file.string() + ": no such file");
  Db db(file, SQLITE_OPEN_READONLY, 5000);
  if (db.open_rc() != SQLITE_OK) throw Error(kExitCacheFormat, file.string() + ": not a scale summary cache (" + db.error() + ")");
  std::string problem = CacheProblem(db, "main");
  if (!problem.empty()) throw Error(kExitCacheFormat, file.string() + ": " + problem);
  return Count(db, "summaries");
}

ImportStats ImportCache(const fs::path& cache, const fs::path& file, int busy_timeout_ms) {
  const size_t offered = CacheEntries(file);  // refuses a foreign file before our cache is touched
  std::error_code ec;
  if (fs::equivalent(cache, file, ec)) return {0, offered};
  Prepare(cache, busy_timeout_ms);
  Db db(cache, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI, busy_timeout_ms);
  auto fail = [&](const std::string& why) {
    return Error(kExitIo, "cannot import into the summary cache " + cache.string() + ": " + why);
  };
  if (db.open_rc() != SQLITE_OK) throw fail(db.error());
  // Read-only: importing must never write beside an artefact (it may sit in a read-only folder).
  std::string uri = "file:";
  for (unsigned char c : fs::absolute(file).string()) {
    if (c == '%' || c == '?' || c == '#' || c <= ' ' || c >= 0x7f) {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      uri += hex;
    } else {
      uri += static_cast<char>(c);
    }
  }
  uri += "?mode=ro";
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db.get(), "ATTACH DATABASE ?1 AS incoming", -1, &stmt, nullptr);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text(stmt, 1, uri.c_str(), -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(stmt);
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) throw Error(kExitCacheFormat, file.string() + ": cannot open it as a database (" + db.error() + ")");
  std::string problem = CacheProblem(db, "incoming");
  if (!problem.empty()) throw Error(kExitCacheFormat, file.string() + ": " + problem);

  if (db.Exec("BEGIN IMMEDIATE") != SQLITE_OK) {
    throw fail(db.error() + " (another process holds it; waited " + std::to_string(busy_timeout_ms / 1000) + " s)");
  }
  // Rows our schema could not hold (NULLs) are left out, not counted, and do not fail the import.
  const std::string usable = " FROM incoming.summaries WHERE key IS NOT NULL AND summary IS NOT NULL AND "
                             "prompt_tokens IS NOT NULL AND completion_tokens IS NOT NULL";
  const size_t incoming = std::stoull(db.Text("SELECT count(*)" + usable).value_or("0"));
  if (db.Exec("INSERT OR IGNORE INTO main.summaries (key, summary, prompt_tokens, completion_tokens) "
              "SELECT key, summary, prompt_tokens, completion_tokens" + usable) != SQLITE_OK) {
    std::string why = db.error();
    db.Exec("ROLLBACK");
    throw fail(why);
  }
  ImportStats stats;
  stats.added = static_cast<size_t>(sqlite3_changes64(db.get()));
  if (db.Exec("COMMIT") != SQLITE_OK) {
    std::string why = db.error();
    db.Exec("ROLLBACK");
    throw fail(why);
  }
  stats.already_present = incoming - stats.added;
  db.Exec("DETACH DATABASE incoming");
  return stats;
}

}  // namespace scale::summarize
