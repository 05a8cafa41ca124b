// A cheap, content-based identity for large model files, for cache keys: moving or touching a file
// keeps it, editing any metadata or the first/last tensors changes it.
#pragma once

#include <string>

namespace scale::engine {

// "<16 hex digits>-<size in bytes>": XXH3 of the first 8 MiB and last 1 MiB plus the size.
// Throws scale::Error(kExitModel) if the file cannot be read.
std::string FileIdentity(const std::string& path);

}  // namespace scale::engine
