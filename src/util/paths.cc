#include "util/paths.h"

#include <cstdlib>
#include <string>

#include "util/error.h"

namespace scale {
namespace fs = std::filesystem;

fs::path ExecutablePath() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe;
}

fs::path ExecutableDir() { return ExecutablePath().parent_path(); }

std::vector<fs::path> DataDirCandidates(std::string_view name, const char* env_var) {
  std::vector<fs::path> out;
  if (env_var != nullptr) {
    if (const char* env = std::getenv(env_var); env != nullptr && *env != '\0') out.emplace_back(env);
  }
  if (fs::path exe = ExecutableDir(); !exe.empty()) out.push_back(exe.parent_path() / "share/scale" / name);
#ifdef SCALE_SOURCE_DIR
  out.push_back(fs::path(SCALE_SOURCE_DIR) / name);
#endif
  out.push_back(fs::path("/usr/local/share/scale") / name);
  out.push_back(fs::path("/usr/share/scale") / name);
  return out;
}

fs::path FindDataDir(const std::vector<fs::path>& candidates, std::string_view name, std::string_view marker,
                     std::string_view hint) {
  std::string tried;
  for (const fs::path& dir : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(dir / marker, ec)) return dir;
    tried += (tried.empty() ? "" : ", ") + dir.string();
  }
  throw Error(kExitUsage, "no " + std::string(name) + " directory with " + std::string(marker) + " found (tried " +
                              tried + ")" + std::string(hint));
}

}  // namespace scale
