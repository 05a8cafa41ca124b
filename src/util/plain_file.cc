#include "util/plain_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace scale {

bool ReadPlainFile(const std::filesystem::path& path, uint64_t max_bytes, std::string* data) {
  int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && uint64_t(st.st_size) <= max_bytes;
  if (ok) {
    data->resize(size_t(st.st_size));
    size_t done = 0;
    while (ok && done < data->size()) {
      ssize_t n = read(fd, data->data() + done, data->size() - done);
      if (n < 0 && errno == EINTR) continue;
      ok = n > 0;
      if (ok) done += size_t(n);
    }
  }
  close(fd);
  return ok;
}

}  // namespace scale
