#include "util/version.h"

namespace scale {
std::string VersionString() {
  return std::string("scale ") + SCALE_VERSION + " (llama.cpp " + SCALE_LLAMA_VERSION + ", ggml " + SCALE_GGML_VERSION +
         ")";
}
}  // namespace scale
