#include "annotate/own_comments.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/sha256.h"

namespace scale::annotate {

OwnComments::OwnComments(std::filesystem::path file) : file_(std::move(file)) {
  std::string text;
  try {
    text = ReadFile(file_, 256u << 20);
  } catch (const Error&) {
    return;
  }
  for (size_t at = 0; at < text.size();) {
    size_t nl = text.find('\n', at);
    if (nl == std::string::npos) break;  // a torn last line (crash mid-append) is ignored
    if (nl - at == 64) known_.insert(text.substr(at, 64));
    at = nl + 1;
  }
}

std::string OwnComments::Key(languages::Language language, std::string_view prose) {
  return Sha256Hex(std::string(languages::LanguageName(language)) + '\0' + std::string(prose));
}

bool OwnComments::Contains(languages::Language language, std::string_view prose) const {
  return known_.count(Key(language, prose)) > 0;
}

void OwnComments::Add(languages::Language language, std::string_view prose) {
  std::string key = Key(language, prose);
  if (known_.insert(key).second) added_.insert(key);
}

void OwnComments::Save() {
  if (added_.empty()) return;
  std::string lines;
  for (const auto& k : added_) lines += k + "\n";
  int fd = open(file_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    LogVerbose(file_.string() + ": cannot record scale's comments");
    return;
  }
  flock(fd, LOCK_EX);  // two runs appending at once must not interleave lines
  bool ok = write(fd, lines.data(), lines.size()) == static_cast<ssize_t>(lines.size()) && fsync(fd) == 0;
  close(fd);
  if (!ok) LogVerbose(file_.string() + ": cannot record scale's comments");
  added_.clear();
}

}  // namespace scale::annotate
