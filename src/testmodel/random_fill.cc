#include "testmodel/random_fill.h"

namespace scale::testmodel {
namespace {

// FNV-1a: a fixed, portable string hash (std::hash differs between standard libraries).
uint64_t HashName(std::string_view name) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : name) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

WeightRng::WeightRng(uint64_t seed, std::string_view tensor_name)
    : state_(seed * 0x9E3779B97F4A7C15ull ^ HashName(tensor_name)) {}

float WeightRng::NextSymmetric() {
  // splitmix64: fast, well mixed, and trivially reproducible.
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<float>(static_cast<int32_t>(z >> 40) - (1 << 23)) / static_cast<float>(1 << 23);
}

void WeightRng::Fill(float* out, int64_t n, float mean, float stddev) {
  // A uniform distribution on [-a, a] has standard deviation a / sqrt(3).
  const float a = stddev * 1.7320508f;
  for (int64_t i = 0; i < n; ++i) out[i] = mean + a * NextSymmetric();
}

}  // namespace scale::testmodel
