#include "testing/read_all.h"

#include <fstream>
#include <iterator>

namespace scale::testing {

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

}  // namespace scale::testing
