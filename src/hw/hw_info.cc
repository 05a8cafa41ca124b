#include "hw/hw_info.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "engine/system_info.h"
#include "util/text.h"

namespace scale::hw {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

uint64_t CgroupLimit() {
  for (const char* p : {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
    std::string v = Trim(Slurp(p));
    if (v.empty() || v == "max") continue;
    try {
      uint64_t n = std::stoull(v);
      if (n > 0 && n < (1ull << 60)) return n;
    } catch (...) {
    }
  }
  return 0;
}

}  // namespace

CpuInfo ParseCpuInfo(std::string_view text) {
  CpuInfo cpu;
  std::istringstream in{std::string(text)};
  std::string line;
  std::set<std::string> flags;
  while (std::getline(in, line)) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = Trim(line.substr(0, colon)), value = Trim(line.substr(colon + 1));
    if (key == "processor") ++cpu.logical_cores;
    if ((key == "model name" || key == "Model" || key == "cpu model") && cpu.model.empty()) cpu.model = value;
    if (key == "flags" || key == "Features") {
      std::istringstream f(value);
      std::string flag;
      while (f >> flag) flags.insert(flag);
    }
  }
  cpu.physical_cores = engine::CountPhysicalCores(text);
  // The instruction sets that matter for llama.cpp's kernels, in a fixed order.
  static const std::vector<std::pair<std::string, std::string>> kInteresting = {
      {"sse4_2", "SSE4.2"},   {"avx", "AVX"},           {"avx2", "AVX2"},         {"fma", "FMA"},
      {"f16c", "F16C"},       {"avx_vnni", "AVX-VNNI"}, {"avx512f", "AVX512F"},   {"avx512bw", "AVX512BW"},
      {"avx512_vnni", "AVX512-VNNI"}, {"avx512_bf16", "AVX512-BF16"}, {"amx_tile", "AMX"},
      {"asimd", "NEON"},      {"asimddp", "ARM-DOTPROD"}, {"sve", "SVE"},         {"i8mm", "I8MM"}};
  for (const auto& [flag, name] : kInteresting) {
    if (flags.count(flag)) cpu.simd.push_back(name);
  }
  if (cpu.model.empty()) cpu.model = "unknown";
  return cpu;
}

void ParseMemInfo(std::string_view text, uint64_t* total, uint64_t* available) {
  std::istringstream in{std::string(text)};
  std::string key;
  uint64_t kb = 0;
  std::string unit;
  *total = *available = 0;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream l(line);
    if (!(l >> key >> kb)) continue;
    if (key == "MemTotal:") *total = kb * 1024;
    if (key == "MemAvailable:") *available = kb * 1024;
  }
}

HwInfo DetectHardware() {
  HwInfo hw;
  std::string cpuinfo = Slurp("/proc/cpuinfo");
  hw.cpu = ParseCpuInfo(cpuinfo);
  if (hw.cpu.logical_cores == 0) hw.cpu.logical_cores = int(std::thread::hardware_concurrency());
  if (hw.cpu.physical_cores == 0) hw.cpu.physical_cores = engine::PhysicalCores();
  hw.cpu.ggml_uses = engine::CpuBackendFeatures();
  ParseMemInfo(Slurp("/proc/meminfo"), &hw.ram_total, &hw.ram_available);
  if (uint64_t limit = CgroupLimit()) {
    hw.ram_total = std::min(hw.ram_total ? hw.ram_total : limit, limit);
    hw.ram_available = std::min(hw.ram_available ? hw.ram_available : limit, limit);
  }
  for (const engine::BackendDevice& d : engine::AcceleratorDevices()) {
    hw.accelerators.push_back({d.name, d.description, d.type, d.memory_free, d.memory_total});
    if (d.name.rfind("Metal", 0) == 0 || d.name.rfind("MTL", 0) == 0) hw.apple_silicon = true;
  }
#if defined(__APPLE__) && defined(__aarch64__)
  hw.apple_silicon = true;
#endif
  return hw;
}

uint64_t HwInfo::BestVram() const {
  uint64_t best = 0;
  for (const auto& a : accelerators) {
    if (a.type == "gpu") best = std::max(best, a.memory_total);
  }
  return best;
}

nlohmann::json HwInfo::ToJson() const {
  nlohmann::json acc = nlohmann::json::array();
  for (const auto& a : accelerators) {
    acc.push_back({{"name", a.name}, {"description", a.description}, {"type", a.type},
                   {"memory_free", a.memory_free}, {"memory_total", a.memory_total}});
  }
  return {{"cpu", {{"model", cpu.model}, {"physical_cores", cpu.physical_cores}, {"logical_cores", cpu.logical_cores},
                   {"simd", cpu.simd}, {"ggml_uses", cpu.ggml_uses}}},
          {"ram", {{"total", ram_total}, {"available", ram_available}}},
          {"accelerators", acc},
          {"apple_silicon", apple_silicon}};
}

}  // namespace scale::hw
