// Finding the project config that governs a folder (toml_layer.h): the nearest folder upward that
// holds a .scale.toml, or a pyproject.toml with [tool.scale], looked at once per folder.
#include <system_error>
#include <vector>

#include "settings/toml_layer.h"

namespace scale::settings {
namespace fs = std::filesystem;

std::optional<ProjectConfig> ConfigInFolder(const fs::path& dir) {
  std::error_code ec;
  // In one folder .scale.toml wins: it is scale's own file, the pyproject table a convenience.
  if (fs::path own = dir / ".scale.toml"; fs::is_regular_file(own, ec)) return LoadProjectConfig(own.string());
  if (fs::path py = dir / "pyproject.toml"; fs::is_regular_file(py, ec)) return ReadProjectConfig(py.string());
  return std::nullopt;
}

std::shared_ptr<const ProjectConfig> ConfigFinder::ForFolder(const fs::path& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec).lexically_normal();
  if (dir.has_filename() == false && dir != dir.root_path()) dir = dir.parent_path();  // "a/b/" -> "a/b"
  std::vector<fs::path> seen;  // folders below the answer, which share it
  std::shared_ptr<const ProjectConfig> found;
  for (;;) {
    if (auto it = by_folder_.find(dir); it != by_folder_.end()) {
      found = it->second;
      break;
    }
    seen.push_back(dir);
    if (auto c = ConfigInFolder(dir)) {
      found = std::make_shared<const ProjectConfig>(std::move(*c));
      break;
    }
    if (dir == dir.parent_path() || dir.empty()) break;
    dir = dir.parent_path();
  }
  for (const fs::path& d : seen) by_folder_[d] = found;
  return found;
}

std::shared_ptr<const ProjectConfig> ConfigFinder::ForFile(const fs::path& file) {
  std::error_code ec;
  return ForFolder(fs::absolute(file, ec).lexically_normal().parent_path());
}

std::optional<ProjectConfig> FindProjectConfig(const fs::path& start) {
  ConfigFinder finder;
  if (auto c = finder.ForFolder(start)) return *c;
  return std::nullopt;
}

}  // namespace scale::settings
