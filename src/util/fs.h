// File helpers with the project's safety rules: reads fail with a clear scale::Error, and a
// user's file is only ever replaced by an atomic rename of a fully written, fsynced temp file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace scale {

// Reads a whole file. Throws Error(kExitInput) if it is missing, unreadable, a directory, or
// larger than max_bytes.
std::string ReadFile(const std::filesystem::path& path, uint64_t max_bytes = UINT64_MAX);

// Writes `data` to `path` via a temp file in the same directory + fsync + rename, keeping the
// original's permission bits. On failure (disk full, permissions) the original is untouched and
// Error(kExitIo) is thrown.
void WriteFileAtomic(const std::filesystem::path& path, std::string_view data);

// The cache root: $SCALE_HOME, else $XDG_CACHE_HOME/scale, else ~/.cache/scale. Created on demand.
std::filesystem::path CacheDir();

}  // namespace scale
