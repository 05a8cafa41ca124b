// File helpers with the project's safety rules: reads are bounded and refuse what is not a regular
// file; a user's file is only ever replaced by an atomic rename of a fully written, fsynced temp
// file that carries the original's mode, owner, group and extended attributes (ACLs included), and
// only while the file still holds the bytes that were read.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace scale {

// Reads cap themselves here unless a caller asks for less.
constexpr uint64_t kDefaultReadLimit = 1ull << 30;

// Reads a whole regular file (a symlink to one is followed). Throws Error(kExitInput) if it is
// missing, unreadable, a directory, not a regular file (FIFO, device, socket), or larger than
// max_bytes; never blocks on a FIFO and never reads more than max_bytes + 1 bytes.
std::string ReadFile(const std::filesystem::path& path, uint64_t max_bytes = kDefaultReadLimit);

// What a file was when it was read: enough to tell later whether anyone changed it since.
struct FileStamp {
  uint64_t dev = 0, ino = 0, size = 0;
  int64_t mtime_ns = 0;
  std::string sha256;  // of the bytes read
  bool valid() const { return !sha256.empty(); }
};

// ReadFile that also records the file's stamp (of the file a symlink points to).
std::string ReadFileStamped(const std::filesystem::path& path, uint64_t max_bytes, FileStamp* stamp);

// The file a path names for writing: a symlink (chain) is resolved to its final target, so that
// replacing it writes through the link instead of replacing the link. Throws Error(kExitInput)
// for a dangling link.
std::filesystem::path WriteTarget(const std::filesystem::path& path);

enum class ReplaceStatus {
  kReplaced,  // the new bytes are in place, durable (file and directory fsynced)
  kChanged,   // the file is no longer what was read (an editor saved it meanwhile): left alone
  kRefused,   // replacing it would lose something (see `why`): left alone
};
struct ReplaceResult {
  ReplaceStatus status = ReplaceStatus::kRefused;
  std::string why;  // for kChanged / kRefused, one line
};

// Atomically replaces the user's file at WriteTarget(path) with `data`, if it still matches
// `expected` (device, inode, size, mtime and content hash, re-checked right before the rename).
// Keeps mode, owner, group and every extended attribute; refuses (kRefused) a file with several
// hard links (a rename would split them), a non-regular file, or one whose owner, group or
// attributes cannot be carried over. Throws Error(kExitIo) when writing fails (disk full,
// permissions); the original is then untouched and no temp file is left.
ReplaceResult ReplaceFileIfUnchanged(const std::filesystem::path& path, std::string_view data,
                                     const FileStamp& expected);

// Writes scale's own or a new output file atomically (temp file + fsync + rename + directory
// fsync). An existing file keeps its mode; a new one gets `new_mode` masked by the umask
// (outputs: 0666 & ~umask; journal and cache files pass 0600). `path` itself is replaced, never
// written through a symlink. Throws Error(kExitIo) on failure, leaving the original untouched.
void WriteFileAtomic(const std::filesystem::path& path, std::string_view data, mode_t new_mode = 0666);

// Creates `dir` (and parents) if needed and makes sure it is private to this user: a real
// directory (not a symlink), owned by the effective user, mode 0700 (tightened if it is ours).
// Throws Error(kExitIo) when it cannot be created or belongs to someone else.
void EnsurePrivateDir(const std::filesystem::path& dir);

// The cache root, private to this user (EnsurePrivateDir): $SCALE_HOME, else
// $XDG_CACHE_HOME/scale, else $HOME/.cache/scale, else the passwd entry's home, else
// $XDG_RUNTIME_DIR/scale, else <temp>/scale-<uid>. Created on demand.
std::filesystem::path CacheDir();

// The process umask, read without changing it.
mode_t CurrentUmask();

}  // namespace scale
