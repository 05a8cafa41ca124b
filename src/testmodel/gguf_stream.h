// Writes a GGUF whose tensor data is produced row-chunk by row-chunk, so even multi-GB models are
// written with a few MB of memory. Metadata comes from a gguf_context; the file appears atomically.
// Ships in the scale binary: used by `scale bench` to write random-weight models (not a test double).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <ggml.h>

struct gguf_context;

namespace scale::testmodel {

struct TensorPlan {
  std::string name;
  ggml_type type = GGML_TYPE_F32;  // F32, F16, Q8_0 or Q4_0; the writer converts from float
  int64_t ne0 = 1;                 // row length (elements)
  int64_t ne1 = 1;                 // rows
  // Fills `out` with rows [row0, row0 + nrows) as floats (nrows * ne0 values). Called with
  // consecutive ranges from row 0 upward, so a sequential generator stays deterministic.
  std::function<void(int64_t row0, int64_t nrows, float* out)> fill;
};

// Adds the tensors to `meta` (which must hold no tensors yet) and writes meta + data to out_path
// via a temp file in the same directory + fsync + rename. Throws Error(kExitIo) on write failure.
void WriteGgufStreaming(gguf_context* meta, const std::vector<TensorPlan>& tensors, const std::string& out_path);

}  // namespace scale::testmodel
