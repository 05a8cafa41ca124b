// Parsing /proc/cpuinfo and /proc/meminfo, and the live values being sane on this machine.
#include "engine/system_info.h"

#include <gtest/gtest.h>

#include <thread>

namespace scale::engine {
namespace {

TEST(SystemInfoTest, CountsHyperThreadsOnce) {
  const char* cpuinfo =
      "processor\t: 0\nphysical id\t: 0\ncore id\t\t: 0\n\n"
      "processor\t: 1\nphysical id\t: 0\ncore id\t\t: 0\n\n"
      "processor\t: 2\nphysical id\t: 0\ncore id\t\t: 1\n\n"
      "processor\t: 3\nphysical id\t: 1\ncore id\t\t: 0\n\n";
  EXPECT_EQ(CountPhysicalCores(cpuinfo), 3);
  EXPECT_EQ(CountPhysicalCores("processor\t: 0\nmodel name\t: x\n"), 0);
}

TEST(SystemInfoTest, ParsesMemAvailable) {
  EXPECT_EQ(ParseMemAvailable("MemTotal:       24000000 kB\nMemFree:   100 kB\nMemAvailable:   2048 kB\n"),
            2048u * 1024u);
  EXPECT_EQ(ParseMemAvailable("MemTotal: 1 kB\n"), 0u);
}

TEST(SystemInfoTest, LiveValuesAreSane) {
  int cores = PhysicalCores();
  EXPECT_GE(cores, 1);
  if (std::thread::hardware_concurrency() > 0) {
    EXPECT_LE(cores, static_cast<int>(std::thread::hardware_concurrency()));
  }
  EXPECT_GT(AvailableMemoryBytes(), 0u);  // Linux always has /proc/meminfo
}

}  // namespace
}  // namespace scale::engine
