// Deterministic pseudo-random numbers for weights: a tensor's values depend only on (seed, tensor
// name), never on the order tensors are written in or the platform, so files are byte-identical.
// Ships in the scale binary: used by `scale bench` to write random-weight models (not a test double).
#pragma once

#include <cstdint>
#include <string_view>

namespace scale::testmodel {

class WeightRng {
 public:
  WeightRng(uint64_t seed, std::string_view tensor_name);
  // Uniform in [-1, 1) with 24-bit resolution (exactly representable in float).
  float NextSymmetric();
  // Fills out[0..n) with uniform values of the given standard deviation around `mean`.
  void Fill(float* out, int64_t n, float mean, float stddev);

 private:
  uint64_t state_;
};

}  // namespace scale::testmodel
