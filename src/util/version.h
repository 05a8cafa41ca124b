// Version strings for `scale --version` and reports.
#pragma once

#include <string>

namespace scale {
// "scale 0.1.0 (llama.cpp 0.5.0, ggml 0.25.1)"
std::string VersionString();
}  // namespace scale
