#include "util/hash_record.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"

namespace scale {

HashRecord::HashRecord(std::filesystem::path file, std::string what) : file_(std::move(file)), what_(std::move(what)) {
  std::string text;
  try {
    text = ReadFile(file_, 256u << 20);
  } catch (const Error&) {
    return;
  }
  for (size_t at = 0; at < text.size();) {
    size_t nl = text.find('\n', at);
    if (nl == std::string::npos) break;  // a torn last line is ignored
    if (nl - at == 64) known_.insert(text.substr(at, 64));
    at = nl + 1;
  }
}

void HashRecord::Add(const std::string& hash) {
  if (known_.insert(hash).second) added_.insert(hash);
}

void HashRecord::Save() {
  if (added_.empty()) return;
  std::string lines;
  for (const auto& k : added_) lines += k + "\n";
  int fd = open(file_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    LogVerbose(file_.string() + ": cannot save " + what_);
    return;
  }
  flock(fd, LOCK_EX);
  bool ok = write(fd, lines.data(), lines.size()) == static_cast<ssize_t>(lines.size()) && fsync(fd) == 0;
  close(fd);
  if (!ok) LogVerbose(file_.string() + ": cannot save " + what_);
  added_.clear();
}

}  // namespace scale
