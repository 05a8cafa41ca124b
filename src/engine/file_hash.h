// A content identity for model and adapter files, for cache keys: the SHA-256 of every byte, so
// that two files share an identity only when they are the same file content, wherever they live.
#pragma once

#include <string>

namespace scale::engine {

// "sha256:<64 hex>". A downloaded file whose verified marker still matches it (util/verified_file.h)
// is not read again; any other file is hashed in full once per version (device, inode, size, mtime,
// ctime), remembered in CacheDir()/file-ids.
// Throws scale::Error(kExitModel) if the file cannot be read.
std::string FileIdentity(const std::string& path);

}  // namespace scale::engine
