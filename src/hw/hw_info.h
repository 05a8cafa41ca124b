// What this machine offers for running models: CPU (model, cores, SIMD), memory, and the
// accelerators ggml can use (its device registry: GPUs with free/total memory). Read-only and cheap;
// `scale hw` prints it and the profile recommender (hw/profile.h) decides from it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace scale::hw {

struct CpuInfo {
  std::string model;                  // "AMD EPYC 7B13", or "unknown"
  int physical_cores = 0;
  int logical_cores = 0;
  std::vector<std::string> simd;      // what the CPU has (cpuinfo flags): AVX2, AVX512F, F16C, FMA, NEON, ...
  std::vector<std::string> ggml_uses; // what ggml's CPU backend was built to use ("AVX2", "FMA", ...)
};

struct Accelerator {
  std::string name;         // ggml device name, e.g. "CUDA0", "Metal"
  std::string description;  // e.g. "NVIDIA GeForce RTX 4090"
  std::string type;         // "gpu", "igpu" (shares system memory), "accel"
  uint64_t memory_free = 0, memory_total = 0;
};

struct HwInfo {
  CpuInfo cpu;
  uint64_t ram_total = 0;      // MemTotal, capped by a cgroup limit when one is set
  uint64_t ram_available = 0;  // MemAvailable (same cap)
  std::vector<Accelerator> accelerators;
  bool apple_silicon = false;  // unified memory: the GPU uses system RAM
  nlohmann::json ToJson() const;
  // Biggest dedicated accelerator memory (0 when none).
  uint64_t BestVram() const;
};

HwInfo DetectHardware();

// Parsers for /proc text, exposed for tests.
CpuInfo ParseCpuInfo(std::string_view cpuinfo);
void ParseMemInfo(std::string_view meminfo, uint64_t* total, uint64_t* available);

}  // namespace scale::hw
