// The summary cache's file handling: a locked cache is waited for and refused untouched, only a
// damaged or foreign one is rebuilt, and odd contents (NULL fields) never crash.
#include "summarize/cache.h"

#include <sqlite3.h>

#include <gtest/gtest.h>

#include <fstream>

#include "testing/read_all.h"
#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale::summarize {
namespace {

namespace fs = std::filesystem;

using testing::ReadAll;

bool AnyAside(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().find(".corrupt-") != std::string::npos) return true;
  }
  return false;
}

// A second connection, as another scale process would have.
class Other {
 public:
  explicit Other(const fs::path& path) { EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK); }
  ~Other() { sqlite3_close(db_); }
  void Exec(const char* sql) { ASSERT_EQ(sqlite3_exec(db_, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db_); }

 private:
  sqlite3* db_ = nullptr;
};

TEST(SummaryCacheTest, StoresAndReturnsAnswers) {
  testing::TempDir dir("cache-basic");
  const fs::path db = dir.path() / "c.sqlite";
  {
    SummaryCache cache(db);
    EXPECT_FALSE(cache.Get("k").has_value());
    cache.Put("k", {"a summary", 12, 3});
  }
  SummaryCache again(db);
  auto hit = again.Get("k");
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->summary, "a summary");
  EXPECT_EQ(hit->prompt_tokens, 12);
  EXPECT_FALSE(again.rebuilt());
}

TEST(SummaryCacheTest, LockedCacheIsWaitedForThenRefusedUntouched) {
  testing::TempDir dir("cache-busy");
  const fs::path db = dir.path() / "c.sqlite";
  const fs::path wal = db.string() + "-wal";
  { SummaryCache(db).Put("k", {"kept", 1, 1}); }
  // Read before locking: closing any descriptor of the file would drop this process's locks.
  const std::string db_before = ReadAll(db);
  {
    Other other(db);
    // Exclusive locking mode holds the lock (WAL index included) until the connection closes.
    other.Exec("PRAGMA locking_mode=EXCLUSIVE");
    other.Exec("BEGIN EXCLUSIVE");
    other.Exec("INSERT INTO summaries VALUES ('other', 'pending', 1, 1)");
    ASSERT_TRUE(fs::exists(wal));
    const uintmax_t wal_size = fs::file_size(wal);
    try {
      SummaryCache cache(db, 300);
      FAIL() << "opened a locked cache";
    } catch (const Error& e) {
      EXPECT_EQ(e.exit_code(), kExitIo);
      std::string message = e.what();
      EXPECT_NE(message.find("locked by another process"), std::string::npos) << message;
      EXPECT_EQ(message.find('\n'), std::string::npos);
    }
    // The live database and its WAL are where they were (stat only: no descriptor opened).
    EXPECT_TRUE(fs::exists(wal));
    EXPECT_EQ(fs::file_size(wal), wal_size);
    EXPECT_FALSE(AnyAside(dir.path()));
    other.Exec("ROLLBACK");
  }
  EXPECT_TRUE(ReadAll(db) == db_before);
  SummaryCache after(db);
  EXPECT_FALSE(after.rebuilt());
  EXPECT_EQ(after.Get("k")->summary, "kept");
}

TEST(SummaryCacheTest, DamagedFileIsMovedAsideAndRebuilt) {
  testing::TempDir dir("cache-corrupt");
  const fs::path db = dir.path() / "c.sqlite";
  { SummaryCache(db).Put("k", {"v", 1, 1}); }
  // Overwrite the pages after the header: a torn or scribbled-over file.
  {
    std::string bytes = ReadAll(db);
    ASSERT_GT(bytes.size(), 200u);
    for (size_t i = 100; i < bytes.size(); ++i) bytes[i] = static_cast<char>(0xA5);
    std::ofstream(db, std::ios::binary | std::ios::trunc) << bytes;
    fs::remove(db.string() + "-wal");
    fs::remove(db.string() + "-shm");
  }
  SummaryCache cache(db);
  EXPECT_TRUE(cache.rebuilt());
  EXPECT_TRUE(AnyAside(dir.path()));
  EXPECT_FALSE(cache.Get("k").has_value());
  cache.Put("k2", {"v2", 1, 1});
  EXPECT_TRUE(cache.Get("k2").has_value());
}

TEST(SummaryCacheTest, NotADatabaseIsRebuilt) {
  testing::TempDir dir("cache-notadb");
  const std::string db = dir.Write("c.sqlite", std::string(4096, 'x'));
  SummaryCache cache(db);
  EXPECT_TRUE(cache.rebuilt());
  EXPECT_EQ(ReadAll(dir.path() / fs::path(db).filename()).substr(0, 15), "SQLite format 3");
}

TEST(SummaryCacheTest, NullFieldsDoNotCrash) {
  testing::TempDir dir("cache-null");
  const fs::path db = dir.path() / "c.sqlite";
  { SummaryCache(db).Put("k", {"v", 1, 1}); }
  {
    Other other(db);
    other.Exec("UPDATE meta SET value=NULL WHERE name='format'");
  }
  SummaryCache cache(db);  // a NULL format row: foreign, set aside
  EXPECT_TRUE(cache.rebuilt());
  // A NULL summary in a table of another shape is a miss, not a crash.
  testing::TempDir dir2("cache-null2");
  const fs::path db2 = dir2.path() / "c.sqlite";
  {
    Other other(db2);
    other.Exec("CREATE TABLE summaries (key TEXT PRIMARY KEY, summary TEXT, prompt_tokens INTEGER, completion_tokens INTEGER);"
               "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);"
               "INSERT INTO meta VALUES ('format', 'scale-summaries-1');"
               "INSERT INTO summaries VALUES ('k', NULL, NULL, NULL);");
  }
  SummaryCache odd(db2);
  EXPECT_FALSE(odd.rebuilt());
  EXPECT_FALSE(odd.Get("k").has_value());
}

}  // namespace
}  // namespace scale::summarize
