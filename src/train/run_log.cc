#include "train/run_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "util/error.h"
#include "util/fs.h"

namespace scale::train {

void AppendLogLine(const std::filesystem::path& log, const nlohmann::json& j) {
  // The log is ours (RUN/ was checked) and append-only. O_NOFOLLOW: a link planted at its name
  // after the run removed the old log is refused, never written through.
  const int fd = ::open(log.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) throw Error(kExitIo, "cannot write " + log.string() + ": " + std::strerror(errno));
  const std::string line = j.dump() + "\n";
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const bool ok = done == line.size();
  if (::close(fd) != 0 || !ok) throw Error(kExitIo, "cannot write " + log.string() + " (disk full?)");
}

std::vector<nlohmann::json> ReadLogLines(const std::filesystem::path& log) {
  std::vector<nlohmann::json> out;
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::symlink_status(log, ec))) return out;
  const std::string text = ReadFile(log, 1ull << 32);
  size_t at = 0;
  while (at < text.size()) {
    size_t nl = text.find('\n', at);
    if (nl == std::string::npos) nl = text.size();
    nlohmann::json j = nlohmann::json::parse(text.substr(at, nl - at), nullptr, /*allow_exceptions=*/false);
    if (j.is_object()) out.push_back(std::move(j));
    at = nl + 1;
  }
  return out;
}

}  // namespace scale::train
