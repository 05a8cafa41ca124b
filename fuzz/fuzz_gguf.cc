// libFuzzer target: the GGUF checker (engine::InspectModelFile) on arbitrary bytes. Each input is
// written to one fixed file per process (/tmp/scale-fuzz-gguf-<pid>.gguf) and inspected.
//
// Invariants: nothing but scale::Error escapes (it names the file), no sanitizer report, no abort
// inside gguf/ggml (llama.cpp's parser is compiled without instrumentation, but its aborts and
// segfaults are still caught); on success the KV-cache arithmetic does not overflow.
#include <string>

#include "engine/gguf_check.h"
#include "fuzz_util.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace scale;
  using namespace scale::fuzz;
  static const std::string path = TempPath("gguf") + ".gguf";
  static TempFileCleanup cleanup{path};
  WriteFileOrDie(path, std::string_view(reinterpret_cast<const char*>(data), size));
  try {
    engine::GgufInfo info = engine::InspectModelFile(path);
    FUZZ_CHECK(info.file_size == size, "file_size " + std::to_string(info.file_size) + " != " + std::to_string(size));
    FUZZ_CHECK(!info.architecture.empty(), "accepted without an architecture");
    FUZZ_CHECK(Skipped("gguf-shape") || (info.n_layer >= 0 && info.n_embd >= 0 && info.n_head >= 0 &&
                                          info.n_head_kv >= 0 && info.head_dim_k >= 0 && info.head_dim_v >= 0 &&
                                          info.n_ctx_train >= 0),
               "negative shape: n_layer " + std::to_string(info.n_layer) + " n_embd " + std::to_string(info.n_embd) +
                   " n_head " + std::to_string(info.n_head) + " n_head_kv " + std::to_string(info.n_head_kv) +
                   " head_dim " + std::to_string(info.head_dim_k) + "/" + std::to_string(info.head_dim_v) +
                   " n_ctx_train " + std::to_string(info.n_ctx_train));
    for (const std::string& type : engine::KvCacheTypes()) (void)engine::KvCacheBytes(info, 4096, *engine::ParseKvCacheType(type));
  } catch (const Error& e) {
    FUZZ_CHECK(std::string(e.what()).find(path) != std::string::npos, std::string("error does not name the file: ") + e.what());
    return 0;
  }
  return 0;
}
