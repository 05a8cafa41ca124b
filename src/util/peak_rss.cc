#include "util/peak_rss.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace scale {

namespace {

uint64_t StatusBytes(const char* key) {
  const std::string prefix = key;
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) != 0) continue;
    std::istringstream fields(line.substr(prefix.size()));  // "VmHWM:     1234 kB"
    uint64_t kb = 0;
    fields >> kb;
    return kb * 1024;
  }
  return 0;
}

}  // namespace

uint64_t PeakRssBytes() { return StatusBytes("VmHWM:"); }

uint64_t CurrentRssBytes() { return StatusBytes("VmRSS:"); }

bool ResetPeakRss() {
  FILE* f = std::fopen("/proc/self/clear_refs", "w");
  if (!f) return false;
  bool ok = std::fputs("5", f) >= 0;
  return std::fclose(f) == 0 && ok;
}

}  // namespace scale
