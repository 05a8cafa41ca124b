#include "util/fs.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <vector>

#include "util/error.h"
#include "util/fault.h"
#include "util/sha256.h"

namespace scale {
namespace fs = std::filesystem;

namespace {

std::string Errno(int err) { return std::strerror(err); }

// Closes a descriptor on every path out of a scope.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

int64_t MtimeNs(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

// Opens for reading without blocking on a FIFO and checks that it is a regular file.
int OpenRegularForRead(const fs::path& path, int extra_flags, struct stat* st) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | extra_flags);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) throw Error(kExitInput, path.string() + ": no such file");
    if (err == ELOOP) throw Error(kExitInput, path.string() + ": is a symbolic link");
    throw Error(kExitInput, path.string() + ": cannot open: " + Errno(err));
  }
  if (fstat(fd, st) != 0) {
    int err = errno;
    close(fd);
    throw Error(kExitInput, path.string() + ": cannot stat: " + Errno(err));
  }
  if (S_ISDIR(st->st_mode)) {
    close(fd);
    throw Error(kExitInput, path.string() + ": is a directory");
  }
  if (!S_ISREG(st->st_mode)) {
    close(fd);
    throw Error(kExitInput, path.string() + ": not a regular file (a device, FIFO or socket)");
  }
  int flags = fcntl(fd, F_GETFL);
  if (flags >= 0) fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  return fd;
}

// Reads at most max_bytes + 1 bytes: the size in stat may lie (procfs, a file still growing).
std::string ReadBounded(int fd, const fs::path& path, uint64_t max_bytes, uint64_t size_hint) {
  if (size_hint > max_bytes) {
    throw Error(kExitInput, path.string() + ": file too large (" + std::to_string(size_hint) + " bytes, limit " +
                                std::to_string(max_bytes) + ")");
  }
  std::string out;
  out.reserve(static_cast<size_t>(size_hint));
  char buf[1 << 16];
  while (true) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(kExitInput, path.string() + ": read error: " + Errno(errno));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > max_bytes) {
      throw Error(kExitInput, path.string() + ": file too large (more than " + std::to_string(max_bytes) +
                                  " bytes, the limit)");
    }
  }
  return out;
}

// Writes all of `data`, honouring the ENOSPC fault injection. Returns 0 or an errno.
int WriteAll(int fd, std::string_view data) {
  size_t done = 0;
  while (done < data.size()) {
    if (FaultInjectEnospc()) return ENOSPC;
    size_t chunk = std::min<size_t>(data.size() - done, 1 << 20);
    ssize_t n = write(fd, data.data() + done, chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    done += static_cast<size_t>(n);
  }
  return 0;
}

void FsyncDir(const fs::path& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // the rename is done; a directory we cannot open cannot be synced either
  fsync(fd);
  close(fd);
}

// A temp file beside `target`, created exclusively (never through a planted link), mode 0600.
struct TempFile {
  std::string path;
  int fd = -1;
  ~TempFile() {
    if (fd >= 0) close(fd);
    if (!path.empty()) unlink(path.c_str());
  }
  void Keep() { path.clear(); }
};

void CreateTemp(const fs::path& target, TempFile* tmp) {
  fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::string tmpl = (dir / ("." + target.filename().string() + ".scale-XXXXXX")).string();
  int fd = mkostemp(tmpl.data(), O_CLOEXEC);
  if (fd < 0) throw Error(kExitIo, target.string() + ": cannot create a temp file beside it: " + Errno(errno));
  tmp->path = tmpl;
  tmp->fd = fd;
}

// Writes, syncs and closes the temp file; throws Error(kExitIo) naming `target`.
void FinishTemp(const fs::path& target, TempFile* tmp, std::string_view data) {
  if (int err = WriteAll(tmp->fd, data)) {
    throw Error(kExitIo, target.string() + ": write failed: " + Errno(err) + " (the original is untouched)");
  }
  FaultPoint("write:temp-written");
  if (fsync(tmp->fd) != 0) throw Error(kExitIo, target.string() + ": fsync failed: " + Errno(errno));
  int fd = tmp->fd;
  tmp->fd = -1;
  if (close(fd) != 0) throw Error(kExitIo, target.string() + ": close failed: " + Errno(errno));
}

void RenameInto(const fs::path& target, TempFile* tmp) {
  FaultPoint("write:before-rename");
  if (rename(tmp->path.c_str(), target.c_str()) != 0) {
    throw Error(kExitIo, target.string() + ": rename failed: " + Errno(errno));
  }
  tmp->Keep();
  FaultPoint("write:after-rename");
  FsyncDir(target.parent_path().empty() ? fs::path(".") : target.parent_path());
}

// Carries every extended attribute (POSIX ACLs live in system.posix_acl_*) from src to dst.
// Returns "" or why it could not.
std::string CopyXattrs(int src, int dst) {
  ssize_t len = flistxattr(src, nullptr, 0);
  if (len < 0) return errno == ENOTSUP ? "" : "cannot list its extended attributes: " + Errno(errno);
  if (len == 0) return "";
  std::vector<char> names(static_cast<size_t>(len));
  len = flistxattr(src, names.data(), names.size());
  if (len < 0) return "cannot list its extended attributes: " + Errno(errno);
  for (size_t at = 0; at < static_cast<size_t>(len);) {
    const char* name = names.data() + at;
    at += std::strlen(name) + 1;
    ssize_t vlen = fgetxattr(src, name, nullptr, 0);
    if (vlen < 0) return std::string("cannot read extended attribute ") + name + ": " + Errno(errno);
    std::vector<char> value(static_cast<size_t>(vlen));
    vlen = fgetxattr(src, name, value.data(), value.size());
    if (vlen < 0) return std::string("cannot read extended attribute ") + name + ": " + Errno(errno);
    if (fsetxattr(dst, name, value.data(), static_cast<size_t>(vlen), 0) != 0) {
      return std::string("cannot keep extended attribute ") + name + ": " + Errno(errno);
    }
  }
  return "";
}

}  // namespace

mode_t CurrentUmask() {
  // /proc says it without the race of umask(umask(0)) in a threaded process.
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Umask:", 0) == 0) return static_cast<mode_t>(std::strtol(line.c_str() + 6, nullptr, 8));
  }
  mode_t mask = umask(022);
  umask(mask);
  return mask;
}

std::string ReadFile(const fs::path& path, uint64_t max_bytes) {
  struct stat st;
  Fd fd(OpenRegularForRead(path, 0, &st));
  return ReadBounded(fd.fd, path, max_bytes, static_cast<uint64_t>(st.st_size));
}

std::string ReadFileStamped(const fs::path& path, uint64_t max_bytes, FileStamp* stamp) {
  struct stat st;
  Fd fd(OpenRegularForRead(path, 0, &st));
  std::string text = ReadBounded(fd.fd, path, max_bytes, static_cast<uint64_t>(st.st_size));
  stamp->dev = st.st_dev;
  stamp->ino = st.st_ino;
  stamp->size = text.size();
  stamp->mtime_ns = MtimeNs(st);
  stamp->sha256 = Sha256Hex(text);
  return text;
}

fs::path WriteTarget(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_symlink(fs::symlink_status(path, ec))) return path;
  fs::path target = fs::canonical(path, ec);
  if (ec) throw Error(kExitInput, path.string() + ": a symbolic link to nothing (" + ec.message() + ")");
  return target;
}

ReplaceResult ReplaceFileIfUnchanged(const fs::path& path, std::string_view data, const FileStamp& expected) {
  const fs::path target = WriteTarget(path);
  auto refused = [](std::string why) { return ReplaceResult{ReplaceStatus::kRefused, std::move(why)}; };
  auto changed = [](std::string why) { return ReplaceResult{ReplaceStatus::kChanged, std::move(why)}; };

  struct stat st;
  int raw = open(target.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
  if (raw < 0) {
    if (errno == ENOENT) return changed("deleted since it was read");
    if (errno == ELOOP) return changed("replaced by a symbolic link since it was read");
    throw Error(kExitIo, target.string() + ": cannot open: " + Errno(errno));
  }
  Fd original(raw);
  if (fstat(original.fd, &st) != 0) throw Error(kExitIo, target.string() + ": cannot stat: " + Errno(errno));
  if (!S_ISREG(st.st_mode)) return refused("not a regular file");
  if (st.st_nlink > 1) {
    return refused("has " + std::to_string(st.st_nlink) +
                   " hard links; replacing it would split them (write with -o, or break the links first)");
  }

  TempFile tmp;
  CreateTemp(target, &tmp);
  // Owner and group first (fchown clears set-id bits), then the mode, then attributes (an ACL
  // sets the group bits, so it must come after the mode).
  if ((st.st_uid != geteuid() || st.st_gid != getegid()) && fchown(tmp.fd, st.st_uid, st.st_gid) != 0) {
    return refused("cannot keep its owner/group (" + std::to_string(st.st_uid) + ":" + std::to_string(st.st_gid) +
                   "): " + Errno(errno));
  }
  if (fchmod(tmp.fd, st.st_mode & 07777) != 0) return refused("cannot keep its mode: " + Errno(errno));
  if (std::string why = CopyXattrs(original.fd, tmp.fd); !why.empty()) return refused(why);
  FinishTemp(target, &tmp, data);

  // The last look before the rename: same file, same size and time, same bytes. What an editor
  // saves after this instant lands after our rename and wins, as it should.
  FaultPoint("write:before-recheck");
  struct stat now;
  if (lstat(target.c_str(), &now) != 0) return changed("deleted since it was read");
  if (!S_ISREG(now.st_mode)) return changed("no longer a regular file");
  if (now.st_dev != expected.dev || now.st_ino != expected.ino) return changed("replaced by another file since it was read");
  if (static_cast<uint64_t>(now.st_size) != expected.size || MtimeNs(now) != expected.mtime_ns) {
    return changed("modified since it was read");
  }
  std::string current;
  try {
    current = ReadFile(target, expected.size);
  } catch (const Error&) {
    return changed("modified since it was read");
  }
  if (Sha256Hex(current) != expected.sha256) return changed("modified since it was read");
  RenameInto(target, &tmp);
  return {ReplaceStatus::kReplaced, ""};
}

void WriteFileAtomic(const fs::path& path, std::string_view data, mode_t new_mode) {
  TempFile tmp;
  CreateTemp(path, &tmp);
  struct stat st;
  mode_t mode = lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) ? (st.st_mode & 07777) : (new_mode & ~CurrentUmask());
  if (fchmod(tmp.fd, mode) != 0) throw Error(kExitIo, path.string() + ": cannot set mode: " + Errno(errno));
  FinishTemp(path, &tmp, data);
  RenameInto(path, &tmp);
}

void EnsurePrivateDir(const fs::path& dir) {
  std::error_code ec;
  // The last component is made 0700 from the start: no moment in which others may put files in it.
  if (dir.has_parent_path()) fs::create_directories(dir.parent_path(), ec);
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) throw Error(kExitIo, dir.string() + ": cannot create: " + Errno(errno));
  struct stat st;
  if (lstat(dir.c_str(), &st) != 0) throw Error(kExitIo, dir.string() + ": cannot create: " + Errno(errno));
  if (S_ISLNK(st.st_mode)) {
    // A link is fine only when it leads to our own private directory (e.g. ~/.cache on another disk).
    if (stat(dir.c_str(), &st) != 0) throw Error(kExitIo, dir.string() + ": a symbolic link to nothing");
  }
  if (!S_ISDIR(st.st_mode)) throw Error(kExitIo, dir.string() + ": not a directory");
  if (st.st_uid != geteuid()) {
    throw Error(kExitIo, dir.string() + ": owned by another user (uid " + std::to_string(st.st_uid) +
                             "); refusing to keep scale's files there");
  }
  if ((st.st_mode & 077) != 0 && chmod(dir.c_str(), 0700) != 0) {
    throw Error(kExitIo, dir.string() + ": readable by others and cannot be made private: " + Errno(errno));
  }
}

fs::path CacheDir() {
  auto env = [](const char* name) -> const char* {
    const char* v = std::getenv(name);
    return v && *v ? v : nullptr;
  };
  fs::path dir;
  if (const char* home = env("SCALE_HOME")) {
    dir = home;
  } else if (const char* xdg = env("XDG_CACHE_HOME")) {
    dir = fs::path(xdg) / "scale";
  } else if (const char* h = env("HOME")) {
    dir = fs::path(h) / ".cache" / "scale";
  } else {
    // cron and systemd services run without $HOME; never fall back to a directory others share.
    struct passwd* pw = getpwuid(geteuid());
    std::error_code ec;
    if (pw && pw->pw_dir && *pw->pw_dir && std::strcmp(pw->pw_dir, "/") != 0 && fs::is_directory(pw->pw_dir, ec) &&
        access(pw->pw_dir, W_OK) == 0) {
      dir = fs::path(pw->pw_dir) / ".cache" / "scale";
    } else if (const char* run = env("XDG_RUNTIME_DIR")) {
      dir = fs::path(run) / "scale";
    } else {
      dir = fs::temp_directory_path() / ("scale-" + std::to_string(geteuid()));
    }
  }
  EnsurePrivateDir(dir);
  return dir;
}

}  // namespace scale
