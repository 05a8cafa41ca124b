// `scale cache export|import`: the summary cache as a file to carry between machines (a CI
// artefact). Export writes a consistent snapshot (VACUUM INTO a temp file beside the target, then
// an atomic rename: never a half-written file); import merges another cache's rows into ours in
// one transaction, after checking that it is a scale summary cache of our format.
#pragma once

#include <cstddef>
#include <filesystem>

#include "util/error.h"

namespace scale::summarize {

// Snapshot of `cache` (created empty if missing; see SummaryCache) written to `file`. Returns the
// number of entries. Throws Error(kExitIo) when it cannot be written (`file` is then untouched),
// Error(kExitUsage) when `file` is the cache, Error(kExitCacheFormat) when the cache is damaged.
size_t ExportCache(const std::filesystem::path& cache, const std::filesystem::path& file,
                   int busy_timeout_ms = 5000);

struct ImportStats {
  size_t added = 0;            // new keys
  size_t already_present = 0;  // keys we had (our row is kept: same key, same answer)
};

// Adds the entries of `file` that `cache` lacks, all or none. Throws Error(kExitCacheFormat)
// when `file` is not a scale summary cache of this format (or is damaged), Error(kExitInput)
// when it does not exist or cannot be read, Error(kExitIo) when `cache` cannot be written.
ImportStats ImportCache(const std::filesystem::path& cache, const std::filesystem::path& file,
                        int busy_timeout_ms = 5000);

// Entries in a cache file (read-only; for reports and tests). Error(kExitCacheFormat) as above.
size_t CacheEntries(const std::filesystem::path& file);

}  // namespace scale::summarize
