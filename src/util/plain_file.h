// Reading small files of scale's own (cache entries, markers) where a planted symlink, a FIFO or an
// oversized file must simply count as "not there", never be followed, block, or throw.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace scale {

// Reads a regular file without following a symlink, without blocking on a FIFO, and only if it
// holds at most `max_bytes`. False (and *data unspecified) when any of that fails.
bool ReadPlainFile(const std::filesystem::path& path, uint64_t max_bytes, std::string* data);

}  // namespace scale
