#include "util/peak_rss.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace scale {

uint64_t PeakRssBytes() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmHWM:", 0) != 0) continue;
    std::istringstream fields(line.substr(6));  // "VmHWM:     1234 kB"
    uint64_t kb = 0;
    fields >> kb;
    return kb * 1024;
  }
  return 0;
}

bool ResetPeakRss() {
  FILE* f = std::fopen("/proc/self/clear_refs", "w");
  if (!f) return false;
  bool ok = std::fputs("5", f) >= 0;
  return std::fclose(f) == 0 && ok;
}

}  // namespace scale
