// Facts about this machine the engine needs when loading: physical cores (the right default
// thread count for llama.cpp), memory available for a model (/proc/meminfo MemAvailable), and what
// ggml's backends report (CPU features compiled in, accelerator devices): the one place those are asked.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace scale::engine {

// Physical cores (hyper-threads counted once); at least 1.
int PhysicalCores();
// Parses /proc/cpuinfo text: distinct (physical id, core id) pairs; 0 if it has none.
int CountPhysicalCores(std::string_view cpuinfo);

// Bytes the kernel says can be used without swapping; 0 if unknown.
uint64_t AvailableMemoryBytes();
// Parses /proc/meminfo text for MemAvailable; 0 if absent.
uint64_t ParseMemAvailable(std::string_view meminfo);

// One accelerator ggml can use (CPU and meta devices are not listed).
struct BackendDevice {
  std::string name;         // ggml device name, e.g. "CUDA0", "Metal"
  std::string description;  // e.g. "NVIDIA GeForce RTX 4090"
  std::string type;         // "gpu", "igpu" (shares system memory), "accel"
  uint64_t memory_free = 0, memory_total = 0;
};
std::vector<BackendDevice> AcceleratorDevices();

// The instruction sets ggml's CPU backend was compiled for ("AVX2", "AVX512", "SME=2" when the value is
// not "1"); empty when the backend does not say.
std::vector<std::string> CpuBackendFeatures();

}  // namespace scale::engine
