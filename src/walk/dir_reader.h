// Directory listing and reading for the walker, relative to an open directory and never through a
// symlink (O_NOFOLLOW), so a walk cannot leave its tree or loop even if the tree changes under it;
// reads are bounded and refuse FIFOs, devices and sockets without blocking on them.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace scale::walk {

enum class EntryType { kFile, kDir, kSymlink, kOther };  // kOther: FIFO, device, socket, unknown

struct DirEntry {
  std::string name;
  EntryType type = EntryType::kOther;
  dev_t dev = 0;
  ino_t ino = 0;
};

// An open directory descriptor, closed on destruction. fd() < 0 when opening failed.
class DirHandle {
 public:
  DirHandle() = default;
  explicit DirHandle(int fd) : fd_(fd) {}
  ~DirHandle();
  DirHandle(DirHandle&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DirHandle& operator=(DirHandle&& other) noexcept;
  DirHandle(const DirHandle&) = delete;
  DirHandle& operator=(const DirHandle&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

// Opens a directory by path (following links in the path: it is what the user named), or the
// child `name` of `parent` refusing a symlink.
DirHandle OpenDir(const std::filesystem::path& path);
DirHandle OpenChildDir(int parent, const std::string& name);

// The entries of a directory ("." and ".." left out), sorted by name bytewise. Types come from
// lstat, so a symlink is kSymlink whatever it points to. Empty on error.
std::vector<DirEntry> ListDir(int dir);

// The device and inode of an open directory (to refuse a directory already on the walk's path).
bool DirIdentity(int dir, dev_t* dev, ino_t* ino);

enum class ReadStatus { kOk, kTooLarge, kNotRegular, kMissing, kError };

// Reads the regular file `name` in `dir` (AT_FDCWD: a path) without following a final symlink.
// With `head_only`, reads at most max_bytes and never reports kTooLarge; otherwise reads the whole
// file or reports kTooLarge (never more than max_bytes + 1 bytes are read). *size: from fstat.
ReadStatus ReadRegularAt(int dir, const std::string& name, uint64_t max_bytes, bool head_only, std::string* out,
                         uint64_t* size = nullptr);

}  // namespace scale::walk
