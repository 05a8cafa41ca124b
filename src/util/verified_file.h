// "This file's bytes had SHA-256 X": a sidecar FILE.verified written after a download (or a
// re-check) matched the Hub's hash, so that later runs trust the file without reading gigabytes
// again. The sidecar also records the file's stamp: device, inode, size, mtime and ctime in ns.
// Any write, truncation, replacement, copy or `touch` changes the stamp, and ctime cannot be set
// back by a user (unlike mtime with `touch -r`), so a changed file is always hashed again; a
// chmod or a rename also changes ctime and costs one re-hash, which is the safe direction.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace scale {

struct VerifiedStamp {
  uint64_t dev = 0, ino = 0, size = 0;
  int64_t mtime_ns = 0, ctime_ns = 0;
  bool operator==(const VerifiedStamp& o) const {
    return dev == o.dev && ino == o.ino && size == o.size && mtime_ns == o.mtime_ns && ctime_ns == o.ctime_ns;
  }
};

// The stamp of a regular file (a symlink is followed); nullopt when it is missing or not regular.
std::optional<VerifiedStamp> StampOf(const std::filesystem::path& file);

std::filesystem::path MarkerPath(const std::filesystem::path& file);  // file + ".verified"

// The SHA-256 the marker records, if the file is still exactly as it was when it was hashed;
// "" when there is no readable marker or the file changed since.
std::string TrustedSha256(const std::filesystem::path& file);

// The SHA-256 the marker records whether or not the file changed since ("" when none): what the
// Hub said the file must be, to check a changed file against without asking the Hub again.
std::string RecordedSha256(const std::filesystem::path& file);

// Records that `file`, as it is now, has `sha256` (64 lowercase hex). The marker is written
// atomically, 0644 masked by the umask, once the file's last change is older than the clock tick
// that file times are taken from (so that any later change shows in the stamp; this may wait a
// few ms). Throws Error(kExitIo).
void WriteVerifiedMarker(const std::filesystem::path& file, const std::string& sha256);

// The SHA-256 of `file`, remembered in `marker` (a path the caller chooses, e.g. in a private cache)
// and trusted by the same stamp rule as a download's marker: a missing or stale record means hashing
// the file and recording it (best effort: a record that cannot be written is skipped; the caller
// makes the marker's folder). Throws Error(kExitIo) when the file cannot be read.
std::string RememberedSha256(const std::filesystem::path& file, const std::filesystem::path& marker);

// Deletes the marker (if any); a file that is being replaced must not keep its old one.
void RemoveVerifiedMarker(const std::filesystem::path& file);

bool IsSha256Hex(const std::string& text);

}  // namespace scale
