// `scale cache export|import` in the library: a round trip carries every entry, import counts
// what it added and what was there, refuses files that are not a summary cache of our format
// (leaving ours untouched), export never leaves a half-written target, and two writers on one
// cache file both land all their entries.
#include "summarize/cache_transfer.h"

#include <sqlite3.h>

#include <gtest/gtest.h>

#include <thread>

#include "summarize/cache.h"
#include "testing/exit_code.h"
#include "testing/read_all.h"
#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale::summarize {
namespace {

namespace fs = std::filesystem;

void Fill(const fs::path& cache, const std::string& prefix, int n) {
  SummaryCache c(cache);
  for (int i = 0; i < n; ++i) c.Put(prefix + std::to_string(i), {"summary " + prefix + std::to_string(i), i, 2 * i});
}

void Sql(const fs::path& db_path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

TEST(CacheTransferTest, ExportThenImportCarriesEveryEntry) {
  testing::TempDir dir("cachexfer");
  const fs::path a = dir.path() / "a" / "summaries.sqlite";
  const fs::path b = dir.path() / "b" / "summaries.sqlite";
  Fill(a, "k", 25);
  Fill(b, "k", 5);  // b already has k0..k4 (same keys: the same answers)
  Fill(b, "own", 3);
  const fs::path file = dir.path() / "artefact.sqlite";
  EXPECT_EQ(ExportCache(a, file), 25u);
  EXPECT_EQ(CacheEntries(file), 25u);
  // Nothing but the file itself is left beside it (no temp file, no -wal).
  size_t names = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) names += e.is_regular_file();
  EXPECT_EQ(names, 1u);

  ImportStats stats = ImportCache(b, file);
  EXPECT_EQ(stats.added, 20u);
  EXPECT_EQ(stats.already_present, 5u);
  SummaryCache check(b);
  for (int i = 0; i < 25; ++i) {
    auto hit = check.Get("k" + std::to_string(i));
    ASSERT_TRUE(hit) << i;
    EXPECT_EQ(hit->summary, "summary k" + std::to_string(i));
    EXPECT_EQ(hit->completion_tokens, 2 * i);
  }
  EXPECT_TRUE(check.Get("own2"));
  stats = ImportCache(b, file);  // again: nothing new
  EXPECT_EQ(stats.added, 0u);
  EXPECT_EQ(stats.already_present, 25u);
}

TEST(CacheTransferTest, ExportReplacesTheTargetWholeAndOnlyWhenDone) {
  testing::TempDir dir("cacheexp");
  const fs::path cache = dir.path() / "c.sqlite";
  Fill(cache, "x", 3);
  const fs::path file = dir.path() / "out.sqlite";
  dir.Write("out.sqlite", "previous artefact");
  EXPECT_EQ(ExportCache(cache, file), 3u);
  EXPECT_EQ(CacheEntries(file), 3u);
  // A target in a folder that does not exist: an error, and nothing is written anywhere.
  EXPECT_EQ(testing::ExitCodeOf([&] { ExportCache(cache, dir.path() / "nope" / "out.sqlite"); }), kExitIo);
  EXPECT_FALSE(fs::exists(dir.path() / "nope"));
  EXPECT_EQ(testing::ExitCodeOf([&] { ExportCache(cache, cache); }), kExitUsage);  // over the live cache: no
  EXPECT_EQ(CacheEntries(cache), 3u);
  // A snapshot while another connection is mid-transaction holds only committed rows.
  sqlite3* writer = nullptr;
  ASSERT_EQ(sqlite3_open(cache.c_str(), &writer), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(writer, "BEGIN IMMEDIATE; INSERT INTO summaries VALUES ('pending', 's', 1, 1);", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  EXPECT_EQ(ExportCache(cache, file), 3u);
  sqlite3_exec(writer, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(writer);
  EXPECT_EQ(ExportCache(cache, file), 4u);
}

TEST(CacheTransferTest, ImportRefusesWhatIsNotACompatibleCache) {
  testing::TempDir dir("cacheimp");
  const fs::path cache = dir.path() / "c.sqlite";
  Fill(cache, "mine", 2);
  std::string message;
  const std::string text = dir.Write("notes.txt", "just some text, not a database at all");
  EXPECT_EQ(testing::ExitCodeOf([&] { ImportCache(cache, text); }, &message), kExitCacheFormat);
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;

  const fs::path other = dir.path() / "other.sqlite";
  Sql(other, "CREATE TABLE t (x); INSERT INTO t VALUES (1);");
  EXPECT_EQ(testing::ExitCodeOf([&] { ImportCache(cache, other); }, &message), kExitCacheFormat);
  EXPECT_NE(message.find("not a scale summary cache"), std::string::npos) << message;

  // A summary cache of another format version (a future scale).
  const fs::path future = dir.path() / "future.sqlite";
  Fill(future, "f", 2);
  Sql(future, "UPDATE meta SET value='scale-summaries-2' WHERE name='format';");
  EXPECT_EQ(testing::ExitCodeOf([&] { ImportCache(cache, future); }, &message), kExitCacheFormat);
  EXPECT_NE(message.find("scale-summaries-2"), std::string::npos) << message;

  // The right format row on the wrong table layout.
  const fs::path layout = dir.path() / "layout.sqlite";
  Sql(layout, "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT); INSERT INTO meta VALUES ('format', "
              "'scale-summaries-1'); CREATE TABLE summaries (key TEXT);");
  EXPECT_EQ(testing::ExitCodeOf([&] { ImportCache(cache, layout); }, &message), kExitCacheFormat);

  EXPECT_EQ(testing::ExitCodeOf([&] { ImportCache(cache, dir.path() / "missing.sqlite"); }), kExitInput);
  // Ours is as it was: both entries, nothing from the refused files, not set aside.
  SummaryCache check(cache);
  EXPECT_FALSE(check.rebuilt());
  EXPECT_TRUE(check.Get("mine0"));
  EXPECT_TRUE(check.Get("mine1"));
  EXPECT_FALSE(check.Get("f0"));
}

TEST(CacheTransferTest, TwoWritersOnOneCacheBothLandEverything) {
  // Two connections, as two scale processes have; each writes 200 answers, one transaction each.
  testing::TempDir dir("cacheconc");
  const fs::path cache = dir.path() / "shared.sqlite";
  Fill(cache, "seed", 1);  // created first, as the first process would
  std::thread one([&] { Fill(cache, "one-", 200); });
  std::thread two([&] { Fill(cache, "two-", 200); });
  one.join();
  two.join();
  const fs::path file = dir.path() / "all.sqlite";
  EXPECT_EQ(ExportCache(cache, file), 401u);
  SummaryCache check(cache);
  for (int i = 0; i < 200; ++i) {
    EXPECT_TRUE(check.Get("one-" + std::to_string(i))) << i;
    EXPECT_TRUE(check.Get("two-" + std::to_string(i))) << i;
  }
}

}  // namespace
}  // namespace scale::summarize
