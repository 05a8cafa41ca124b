#include "testing/temp_dir.h"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <stdexcept>

namespace scale::testing {

namespace fs = std::filesystem;

TempDir::TempDir(const std::string& prefix) {
  static std::atomic<int> counter{0};
  const fs::path root = fs::path(SCALE_TEST_TMP);
  fs::create_directories(root);
  // pid + counter is unique among live processes; a leftover from a crashed run is cleared first.
  path_ = root / (prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  std::error_code ec;
  fs::remove_all(path_, ec);
  fs::create_directories(path_);
  path_ = fs::canonical(path_);
}

TempDir::~TempDir() {
  std::error_code ec;  // never throw from a destructor; a leftover dir is harmless
  fs::remove_all(path_, ec);
}

std::string TempDir::file(const std::string& relative) const { return (path_ / relative).string(); }

std::string TempDir::Write(const std::string& relative, const std::string& content) const {
  const fs::path p = path_ / relative;
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + p.string());
  return p.string();
}

}  // namespace scale::testing
