#include "engine/gguf_check.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "engine/llama_log.h"
#include "gguf.h"
#include "util/error.h"

namespace scale::engine {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void Fail(const std::string& path, const std::string& what) {
  throw Error(kExitModel, "model " + path + ": " + what);
}

struct GgufDeleter {
  void operator()(gguf_context* ctx) const { gguf_free(ctx); }
};
using GgufPtr = std::unique_ptr<gguf_context, GgufDeleter>;

// Integer metadata of any width; arrays (per-layer values) give their maximum. -1 when absent.
int64_t ReadInt(const gguf_context* ctx, const std::string& key) {
  int64_t id = gguf_find_key(ctx, key.c_str());
  if (id < 0) return -1;
  auto scalar = [&](gguf_type type, const void* data, size_t i) -> int64_t {
    switch (type) {
      case GGUF_TYPE_UINT8: return static_cast<const uint8_t*>(data)[i];
      case GGUF_TYPE_INT8: return static_cast<const int8_t*>(data)[i];
      case GGUF_TYPE_UINT16: return static_cast<const uint16_t*>(data)[i];
      case GGUF_TYPE_INT16: return static_cast<const int16_t*>(data)[i];
      case GGUF_TYPE_UINT32: return static_cast<const uint32_t*>(data)[i];
      case GGUF_TYPE_INT32: return static_cast<const int32_t*>(data)[i];
      case GGUF_TYPE_UINT64: return static_cast<int64_t>(static_cast<const uint64_t*>(data)[i]);
      case GGUF_TYPE_INT64: return static_cast<const int64_t*>(data)[i];
      default: return -1;
    }
  };
  gguf_type type = gguf_get_kv_type(ctx, id);
  if (type == GGUF_TYPE_ARRAY) {
    gguf_type elem = gguf_get_arr_type(ctx, id);
    if (elem == GGUF_TYPE_STRING || elem == GGUF_TYPE_ARRAY) return -1;
    const void* data = gguf_get_arr_data(ctx, id);
    int64_t best = -1;
    for (size_t i = 0; i < gguf_get_arr_n(ctx, id); ++i) best = std::max(best, scalar(elem, data, i));
    return best;
  }
  if (type == GGUF_TYPE_STRING || type == GGUF_TYPE_BOOL || type == GGUF_TYPE_FLOAT32 ||
      type == GGUF_TYPE_FLOAT64) {
    return -1;
  }
  return scalar(type, gguf_get_val_data(ctx, id), 0);
}

std::string ReadString(const gguf_context* ctx, const char* key) {
  int64_t id = gguf_find_key(ctx, key);
  if (id < 0 || gguf_get_kv_type(ctx, id) != GGUF_TYPE_STRING) return "";
  return gguf_get_val_str(ctx, id);
}

std::string HumanBytes(uint64_t bytes) {
  char buf[32];
  if (bytes >= (1ull << 30)) {
    std::snprintf(buf, sizeof buf, "%.1f GiB", bytes / double(1ull << 30));
  } else if (bytes >= (1ull << 20)) {
    std::snprintf(buf, sizeof buf, "%.1f MiB", bytes / double(1ull << 20));
  } else {
    std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(bytes));
  }
  return buf;
}

}  // namespace

GgufInfo InspectModelFile(const std::string& path) {
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) Fail(path, "file not found");
  if (fs::is_directory(status)) Fail(path, "is a directory, not a GGUF file");
  GgufInfo info;
  info.file_size = fs::file_size(path, ec);
  if (ec) Fail(path, "cannot read file size: " + ec.message());
  if (info.file_size == 0) Fail(path, "file is empty (0 bytes), not a GGUF model");

  char magic[4] = {0, 0, 0, 0};
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) Fail(path, "cannot open file for reading");
    in.read(magic, 4);
    if (in.gcount() < 4 || std::string(magic, 4) != "GGUF") {
      Fail(path, "not a GGUF file (wrong magic bytes; llama.cpp needs .gguf models, convert or download a GGUF)");
    }
  }

  InstallLlamaLogFilter();
  ClearLlamaErrors();
  gguf_init_params params{/*no_alloc=*/true, /*ctx=*/nullptr};
  GgufPtr ctx(gguf_init_from_file(path.c_str(), params));
  if (!ctx) {
    std::string why = LlamaErrors();
    Fail(path, "corrupt or truncated GGUF header" + (why.empty() ? std::string() : " (" + why + ")"));
  }
  // gguf_init_from_file with no_alloc does not read tensor data, so a file cut short in the data
  // section passes it; compare the extent the tensor table promises with the real size.
  uint64_t data_end = gguf_get_data_offset(ctx.get());
  for (int64_t i = 0; i < gguf_get_n_tensors(ctx.get()); ++i) {
    uint64_t end = gguf_get_data_offset(ctx.get()) + gguf_get_tensor_offset(ctx.get(), i) +
                   gguf_get_tensor_size(ctx.get(), i);
    data_end = std::max(data_end, end);
  }
  if (data_end > info.file_size) {
    Fail(path, "truncated GGUF: tensors need " + HumanBytes(data_end) + " but the file has " +
                   HumanBytes(info.file_size) + " (incomplete download?)");
  }

  info.architecture = ReadString(ctx.get(), "general.architecture");
  if (info.architecture.empty()) Fail(path, "GGUF has no general.architecture (not a model file?)");
  info.name = ReadString(ctx.get(), "general.name");
  const std::string& a = info.architecture;
  // Shape values feed memory arithmetic: one that does not fit the int it becomes (a corrupt or
  // hostile header) is an error here, not a negative layer count later.
  auto shape = [&](const std::string& key, int64_t limit) -> int {
    int64_t value = ReadInt(ctx.get(), key);
    if (value > limit) Fail(path, "implausible " + key + " = " + std::to_string(value) + " (corrupt GGUF header?)");
    return static_cast<int>(std::max<int64_t>(0, value));
  };
  constexpr int64_t kMaxDim = 1 << 24;
  info.n_layer = shape(a + ".block_count", kMaxDim);
  info.n_embd = shape(a + ".embedding_length", kMaxDim);
  info.n_head = shape(a + ".attention.head_count", kMaxDim);
  int kv = shape(a + ".attention.head_count_kv", kMaxDim);
  info.n_head_kv = kv > 0 ? kv : info.n_head;
  int default_dim = info.n_head > 0 ? info.n_embd / info.n_head : 0;
  int k = shape(a + ".attention.key_length", kMaxDim);
  int v = shape(a + ".attention.value_length", kMaxDim);
  info.head_dim_k = k > 0 ? k : default_dim;
  info.head_dim_v = v > 0 ? v : default_dim;
  info.n_ctx_train = shape(a + ".context_length", INT32_MAX);
  info.has_chat_template = gguf_find_key(ctx.get(), "tokenizer.chat_template") >= 0;
  return info;
}

const std::vector<std::string>& KvCacheTypes() {
  static const std::vector<std::string> kTypes = {"f16", "q8_0", "q4_0"};
  return kTypes;
}

uint64_t KvElementBytes(uint64_t elements, std::string_view cache_type) {
  if (cache_type == "f16") return elements * 2;
  const uint64_t blocks = (elements + 31) / 32;
  if (cache_type == "q8_0") return blocks * 34;  // 32 int8 + an f16 scale
  if (cache_type == "q4_0") return blocks * 18;  // 32 nibbles + an f16 scale
  throw Error(kExitUsage, "--cache-type must be f16, q8_0 or q4_0 (got '" + std::string(cache_type) + "')");
}

uint64_t KvCacheBytes(const GgufInfo& info, uint64_t n_ctx_total, std::string_view cache_type) {
  // llama.cpp quantises each row (one cell of one layer) separately, so blocks round per row.
  const uint64_t k_row = static_cast<uint64_t>(info.n_head_kv) * info.head_dim_k;
  const uint64_t v_row = static_cast<uint64_t>(info.n_head_kv) * info.head_dim_v;
  const uint64_t per_cell = info.n_layer * (KvElementBytes(k_row, cache_type) + KvElementBytes(v_row, cache_type));
  return per_cell * n_ctx_total;
}

}  // namespace scale::engine
