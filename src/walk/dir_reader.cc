#include "walk/dir_reader.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace scale::walk {

DirHandle::~DirHandle() {
  if (fd_ >= 0) close(fd_);
}

DirHandle& DirHandle::operator=(DirHandle&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

DirHandle OpenDir(const std::filesystem::path& path) {
  return DirHandle(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
}

DirHandle OpenChildDir(int parent, const std::string& name) {
  return DirHandle(openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

std::vector<DirEntry> ListDir(int dir) {
  std::vector<DirEntry> out;
  int fd = dup(dir);  // closedir closes the descriptor it was given
  if (fd < 0) return out;
  DIR* d = fdopendir(fd);
  if (d == nullptr) {
    close(fd);
    return out;
  }
  rewinddir(d);
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    DirEntry entry;
    entry.name = std::move(name);
    struct stat st;
    if (fstatat(dir, entry.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
      entry.type = S_ISREG(st.st_mode)   ? EntryType::kFile
                   : S_ISDIR(st.st_mode) ? EntryType::kDir
                   : S_ISLNK(st.st_mode) ? EntryType::kSymlink
                                         : EntryType::kOther;
      entry.dev = st.st_dev;
      entry.ino = st.st_ino;
    }
    out.push_back(std::move(entry));
  }
  closedir(d);
  std::sort(out.begin(), out.end(), [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return out;
}

bool DirIdentity(int dir, dev_t* dev, ino_t* ino) {
  struct stat st;
  if (fstat(dir, &st) != 0) return false;
  *dev = st.st_dev;
  *ino = st.st_ino;
  return true;
}

ReadStatus ReadRegularAt(int dir, const std::string& name, uint64_t max_bytes, bool head_only, std::string* out,
                         uint64_t* size) {
  out->clear();
  // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat below then refuses it.
  int fd = openat(dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return errno == ENOENT ? ReadStatus::kMissing : errno == ELOOP ? ReadStatus::kNotRegular : ReadStatus::kError;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    close(fd);
    return ReadStatus::kError;
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return ReadStatus::kNotRegular;
  }
  if (size != nullptr) *size = static_cast<uint64_t>(st.st_size);
  if (!head_only && static_cast<uint64_t>(st.st_size) > max_bytes) {
    close(fd);
    return ReadStatus::kTooLarge;
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  // The size from fstat may be wrong (a file still growing, procfs): read until EOF, bounded.
  const uint64_t limit = head_only ? max_bytes : max_bytes + 1;
  char buf[1 << 16];
  ReadStatus status = ReadStatus::kOk;
  while (out->size() < limit) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(sizeof buf, limit - out->size()));
    ssize_t n = read(fd, buf, want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = ReadStatus::kError;
      break;
    }
    if (n == 0) break;
    out->append(buf, static_cast<size_t>(n));
  }
  close(fd);
  if (status == ReadStatus::kOk && !head_only && out->size() > max_bytes) status = ReadStatus::kTooLarge;
  if (status != ReadStatus::kOk) out->clear();
  return status;
}

}  // namespace scale::walk
