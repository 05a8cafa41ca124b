// Facts about this machine the engine needs when loading: physical cores (the right default
// thread count for llama.cpp) and memory available for a model (/proc/meminfo MemAvailable).
#pragma once

#include <cstdint>
#include <string_view>

namespace scale::engine {

// Physical cores (hyper-threads counted once); at least 1.
int PhysicalCores();
// Parses /proc/cpuinfo text: distinct (physical id, core id) pairs; 0 if it has none.
int CountPhysicalCores(std::string_view cpuinfo);

// Bytes the kernel says can be used without swapping; 0 if unknown.
uint64_t AvailableMemoryBytes();
// Parses /proc/meminfo text for MemAvailable; 0 if absent.
uint64_t ParseMemAvailable(std::string_view meminfo);

}  // namespace scale::engine
