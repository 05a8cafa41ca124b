// Where scale finds its own files: the running executable, and the data folders it ships
// (scale-cfg, profiles) searched in one order, from the source tree to the system install.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

namespace scale {

// The running executable (/proc/self/exe resolved); empty when it cannot be read.
std::filesystem::path ExecutablePath();
// Its folder; empty when unknown.
std::filesystem::path ExecutableDir();

// Where the data folder `name` may be, in search order: $`env_var` (when env_var is given and
// set), <exe>/../share/scale/name, SCALE_SOURCE_DIR/name, /usr/local/share/scale/name,
// /usr/share/scale/name. The installed layout comes before the source tree, so an installed
// binary uses the files installed with it even where the checkout it was built from still exists
// (a build-tree binary has no share/ beside it and falls through to the source tree).
std::vector<std::filesystem::path> DataDirCandidates(std::string_view name, const char* env_var);

// The first of `candidates` holding the regular file `marker`. Throws Error(kExitUsage,
// "no <name> directory with <marker> found (tried a, b, ...)<hint>") when none does.
std::filesystem::path FindDataDir(const std::vector<std::filesystem::path>& candidates, std::string_view name,
                                  std::string_view marker, std::string_view hint = "");

}  // namespace scale
