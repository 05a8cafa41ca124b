#include "distill/split.h"

#include <string>

#include "util/sha256.h"

namespace scale::distill {

bool HeldOutFile(uint64_t seed, std::string_view file_key, double fraction) {
  if (fraction <= 0) return false;
  const std::string digest = Sha256Hex("scale distill split\n" + std::to_string(seed) + "\n" + std::string(file_key));
  // The first 52 bits: exactly representable in a double, so the fraction is exact.
  const uint64_t bits = std::stoull(digest.substr(0, 13), nullptr, 16);
  return static_cast<double>(bits) / static_cast<double>(uint64_t{1} << 52) < fraction;
}

}  // namespace scale::distill
