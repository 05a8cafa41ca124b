#include "util/fs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "util/error.h"

namespace scale {
namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path, uint64_t max_bytes) {
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) throw Error(kExitInput, path.string() + ": no such file");
  if (fs::is_directory(status)) throw Error(kExitInput, path.string() + ": is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(kExitInput, path.string() + ": cannot open: " + std::strerror(errno));
  auto size = fs::file_size(path, ec);
  if (!ec && size > max_bytes) {
    throw Error(kExitInput, path.string() + ": file too large (" + std::to_string(size) + " bytes, limit " +
                                std::to_string(max_bytes) + ")");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw Error(kExitInput, path.string() + ": read error");
  return buffer.str();
}

void WriteFileAtomic(const fs::path& path, std::string_view data) {
  fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::string tmpl = (dir / ("." + path.filename().string() + ".scale-XXXXXX")).string();
  int fd = mkstemp(tmpl.data());
  if (fd < 0) throw Error(kExitIo, path.string() + ": cannot create temp file: " + std::strerror(errno));
  auto fail = [&](const char* what) {
    int err = errno;
    close(fd);
    unlink(tmpl.c_str());
    throw Error(kExitIo, path.string() + ": " + what + ": " + std::strerror(err));
  };
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write failed");
    }
    done += static_cast<size_t>(n);
  }
  struct stat st;
  if (stat(path.c_str(), &st) == 0) fchmod(fd, st.st_mode & 07777);
  else fchmod(fd, 0644);
  if (fsync(fd) != 0) fail("fsync failed");
  if (close(fd) != 0) {
    int err = errno;
    unlink(tmpl.c_str());
    throw Error(kExitIo, path.string() + ": close failed: " + std::strerror(err));
  }
  if (rename(tmpl.c_str(), path.c_str()) != 0) {
    int err = errno;
    unlink(tmpl.c_str());
    throw Error(kExitIo, path.string() + ": rename failed: " + std::strerror(err));
  }
}

fs::path CacheDir() {
  fs::path dir;
  if (const char* home = std::getenv("SCALE_HOME"); home && *home) {
    dir = home;
  } else if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    dir = fs::path(xdg) / "scale";
  } else if (const char* h = std::getenv("HOME"); h && *h) {
    dir = fs::path(h) / ".cache" / "scale";
  } else {
    dir = fs::temp_directory_path() / "scale-cache";
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  return dir;
}

}  // namespace scale
