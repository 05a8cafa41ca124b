#include "engine/system_info.h"

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>

#include "ggml-backend.h"

namespace scale::engine {
namespace {

std::string Slurp(const char* path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "key<tabs>: value" -> value as text, for one line of /proc files.
bool SplitField(const std::string& line, std::string* key, std::string* value) {
  size_t colon = line.find(':');
  if (colon == std::string::npos) return false;
  size_t end = line.find_last_not_of(" \t", colon == 0 ? 0 : colon - 1);
  *key = end == std::string::npos ? "" : line.substr(0, end + 1);
  size_t start = line.find_first_not_of(" \t", colon + 1);
  *value = start == std::string::npos ? "" : line.substr(start);
  return true;
}

}  // namespace

int CountPhysicalCores(std::string_view cpuinfo) {
  std::set<std::pair<std::string, std::string>> cores;
  std::istringstream in{std::string(cpuinfo)};
  std::string line, key, value, physical = "0";
  while (std::getline(in, line)) {
    if (!SplitField(line, &key, &value)) continue;
    if (key == "physical id") physical = value;
    if (key == "core id") cores.insert({physical, value});
  }
  return static_cast<int>(cores.size());
}

int PhysicalCores() {
  int cores = CountPhysicalCores(Slurp("/proc/cpuinfo"));
  // Containers and some ARM kernels omit core ids; the logical count is then the best we know.
  int logical = static_cast<int>(std::thread::hardware_concurrency());
  if (cores <= 0 || (logical > 0 && cores > logical)) cores = logical;
  return cores > 0 ? cores : 1;
}

uint64_t ParseMemAvailable(std::string_view meminfo) {
  std::istringstream in{std::string(meminfo)};
  std::string line, key, value;
  while (std::getline(in, line)) {
    if (!SplitField(line, &key, &value) || key != "MemAvailable") continue;
    try {
      uint64_t kib = std::stoull(value);
      return kib * 1024;
    } catch (...) {
      return 0;
    }
  }
  return 0;
}

uint64_t AvailableMemoryBytes() { return ParseMemAvailable(Slurp("/proc/meminfo")); }

std::vector<BackendDevice> AcceleratorDevices() {
  std::vector<BackendDevice> out;
  for (size_t i = 0; i < ggml_backend_dev_count(); ++i) {
    ggml_backend_dev_t dev = ggml_backend_dev_get(i);
    auto type = ggml_backend_dev_type(dev);
    if (type == GGML_BACKEND_DEVICE_TYPE_CPU || type == GGML_BACKEND_DEVICE_TYPE_META) continue;
    BackendDevice d;
    d.name = ggml_backend_dev_name(dev);
    d.description = ggml_backend_dev_description(dev);
    d.type = type == GGML_BACKEND_DEVICE_TYPE_GPU ? "gpu" : type == GGML_BACKEND_DEVICE_TYPE_IGPU ? "igpu" : "accel";
    size_t free = 0, total = 0;
    ggml_backend_dev_memory(dev, &free, &total);
    d.memory_free = free;
    d.memory_total = total;
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<std::string> CpuBackendFeatures() {
  std::vector<std::string> out;
  ggml_backend_reg_t reg = ggml_backend_reg_by_name("CPU");
  if (!reg) return out;
  auto fn = reinterpret_cast<ggml_backend_get_features_t>(ggml_backend_reg_get_proc_address(reg, "ggml_backend_get_features"));
  if (!fn) return out;
  for (ggml_backend_feature* f = fn(reg); f && f->name; ++f) {
    std::string name = f->name;
    std::string value = f->value ? f->value : "";
    if (value != "1") name += "=" + value;
    out.push_back(std::move(name));
  }
  return out;
}

}  // namespace scale::engine
