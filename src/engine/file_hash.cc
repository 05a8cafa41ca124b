#include "engine/file_hash.h"

#include <filesystem>
#include <optional>

#include "util/error.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "util/verified_file.h"

namespace scale::engine {
namespace fs = std::filesystem;

namespace {

// Where the identity of a hand-placed file is remembered: the private cache, one record per
// absolute path (nothing is written beside the user's file).
fs::path RecordFor(const std::string& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  return CacheDir() / "file-ids" / (Sha256Hex((ec ? fs::path(path) : absolute).string()) + ".json");
}

}  // namespace

std::string FileIdentity(const std::string& path) {
  if (!StampOf(path)) throw Error(kExitModel, "cannot read " + path);
  if (std::string trusted = TrustedSha256(path); !trusted.empty()) return "sha256:" + trusted;
  // A multi-GB model costs seconds to hash; the record makes that once per file version, not per run.
  fs::path record;
  try {
    record = RecordFor(path);
    EnsurePrivateDir(record.parent_path());
  } catch (const Error&) {
    record.clear();  // no usable cache folder: hash every time
  }
  try {
    return "sha256:" + (record.empty() ? Sha256File(path) : RememberedSha256(path, record));
  } catch (const Error& e) {
    throw Error(kExitModel, e.what());
  }
}

}  // namespace scale::engine
