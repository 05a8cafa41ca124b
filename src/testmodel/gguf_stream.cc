#include "testmodel/gguf_stream.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include <gguf.h>

#include "util/error.h"

namespace scale::testmodel {
namespace {

// Rows converted per chunk: bounds memory (a 128k-row F32 embedding would otherwise be 1 GB).
constexpr int64_t kChunkElements = 1 << 20;

class TempFile {
 public:
  explicit TempFile(const std::string& final_path) : final_(final_path) {
    static std::atomic<int> counter{0};
    tmp_ = final_path + ".tmp." + std::to_string(getpid()) + "." + std::to_string(counter++);
    file_ = std::fopen(tmp_.c_str(), "wb");
    if (!file_) Fail("cannot create");
  }
  ~TempFile() {
    if (file_) std::fclose(file_);
    if (!committed_) std::remove(tmp_.c_str());
  }
  void Write(const void* data, size_t n) {
    if (n && std::fwrite(data, 1, n, file_) != n) Fail("cannot write");
  }
  void Commit() {
    if (std::fflush(file_) != 0 || fsync(fileno(file_)) != 0) Fail("cannot write");
    if (std::fclose(file_) != 0) {
      file_ = nullptr;
      Fail("cannot write");
    }
    file_ = nullptr;
    if (std::rename(tmp_.c_str(), final_.c_str()) != 0) Fail("cannot rename temp file onto");
    committed_ = true;
  }

 private:
  [[noreturn]] void Fail(const char* what) {
    throw Error(kExitIo, std::string(what) + " " + final_ + ": " + std::strerror(errno));
  }
  std::string final_, tmp_;
  FILE* file_ = nullptr;
  bool committed_ = false;
};

void Convert(ggml_type type, const float* src, int64_t nrows, int64_t ne0, std::vector<uint8_t>& dst) {
  dst.resize(ggml_row_size(type, ne0) * nrows);
  switch (type) {
    case GGML_TYPE_F32:
      std::memcpy(dst.data(), src, dst.size());
      break;
    case GGML_TYPE_F16:
      ggml_fp32_to_fp16_row(src, reinterpret_cast<ggml_fp16_t*>(dst.data()), nrows * ne0);
      break;
    default:
      ggml_quantize_chunk(type, src, dst.data(), 0, nrows, ne0, nullptr);
  }
}

}  // namespace

void WriteGgufStreaming(gguf_context* meta, const std::vector<TensorPlan>& tensors, const std::string& out_path) {
  // gguf needs ggml_tensor headers to describe tensors; no_alloc keeps their data out of memory.
  ggml_init_params params = {/*mem_size=*/(tensors.size() + 1) * ggml_tensor_overhead(), /*mem_buffer=*/nullptr,
                             /*no_alloc=*/true};
  std::unique_ptr<ggml_context, decltype(&ggml_free)> ctx(ggml_init(params), ggml_free);
  for (const TensorPlan& t : tensors) {
    ggml_tensor* tensor = ggml_new_tensor_2d(ctx.get(), t.type, t.ne0, t.ne1);
    ggml_set_name(tensor, t.name.c_str());
    gguf_add_tensor(meta, tensor);
  }

  std::filesystem::path parent = std::filesystem::path(out_path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
  }
  TempFile file(out_path);
  std::vector<uint8_t> bytes(gguf_get_meta_size(meta));
  gguf_get_meta_data(meta, bytes.data());
  file.Write(bytes.data(), bytes.size());

  const size_t alignment = gguf_get_alignment(meta);
  std::vector<float> rows;
  for (const TensorPlan& t : tensors) {
    const int64_t chunk_rows = std::max<int64_t>(1, kChunkElements / t.ne0);
    size_t written = 0;
    for (int64_t row0 = 0; row0 < t.ne1; row0 += chunk_rows) {
      const int64_t n = std::min(chunk_rows, t.ne1 - row0);
      rows.resize(static_cast<size_t>(n * t.ne0));
      t.fill(row0, n, rows.data());
      Convert(t.type, rows.data(), n, t.ne0, bytes);
      file.Write(bytes.data(), bytes.size());
      written += bytes.size();
    }
    // Each tensor's data starts at a multiple of general.alignment (gguf_get_meta_data assumed so).
    static const uint8_t kZeros[64] = {};
    size_t pad = (alignment - written % alignment) % alignment;
    while (pad > 0) {
      size_t n = std::min(pad, sizeof(kZeros));
      file.Write(kZeros, n);
      pad -= n;
    }
  }
  file.Commit();
}

}  // namespace scale::testmodel
