#include "engine/model_facts.h"

#include <algorithm>

#include "engine/scheduler.h"
#include "gguf.h"
#include "util/error.h"

namespace scale::engine {
namespace {

constexpr int64_t kMaxDim = 1 << 24;  // no layer count or width comes near this

int64_t Element(gguf_type type, const void* data, size_t i, bool* ok) {
  *ok = true;
  switch (type) {
    case GGUF_TYPE_UINT8: return static_cast<const uint8_t*>(data)[i];
    case GGUF_TYPE_INT8: return static_cast<const int8_t*>(data)[i];
    case GGUF_TYPE_UINT16: return static_cast<const uint16_t*>(data)[i];
    case GGUF_TYPE_INT16: return static_cast<const int16_t*>(data)[i];
    case GGUF_TYPE_UINT32: return static_cast<const uint32_t*>(data)[i];
    case GGUF_TYPE_INT32: return static_cast<const int32_t*>(data)[i];
    // Above INT64_MAX is no real shape; it saturates so the plausibility check refuses it.
    case GGUF_TYPE_UINT64: return static_cast<int64_t>(std::min<uint64_t>(static_cast<const uint64_t*>(data)[i], INT64_MAX));
    case GGUF_TYPE_INT64: return static_cast<const int64_t*>(data)[i];
    default: *ok = false; return 0;
  }
}

}  // namespace

std::vector<int64_t> GgufInts(const gguf_context* ctx, const std::string& key) {
  std::vector<int64_t> out;
  int64_t id = gguf_find_key(ctx, key.c_str());
  if (id < 0) return out;
  bool ok = false;
  gguf_type type = gguf_get_kv_type(ctx, id);
  if (type == GGUF_TYPE_ARRAY) {
    gguf_type elem = gguf_get_arr_type(ctx, id);
    if (elem == GGUF_TYPE_STRING || elem == GGUF_TYPE_ARRAY) return out;
    const void* data = gguf_get_arr_data(ctx, id);
    for (size_t i = 0; i < gguf_get_arr_n(ctx, id); ++i) {
      int64_t v = Element(elem, data, i, &ok);
      if (!ok) return {};
      out.push_back(v);
    }
    return out;
  }
  if (type == GGUF_TYPE_STRING) return out;
  int64_t v = Element(type, gguf_get_val_data(ctx, id), 0, &ok);
  if (ok) out.push_back(v);
  return out;
}

int64_t GgufInt(const gguf_context* ctx, const std::string& key, int64_t fallback) {
  std::vector<int64_t> v = GgufInts(ctx, key);
  return v.empty() ? fallback : *std::max_element(v.begin(), v.end());
}

double GgufFloat(const gguf_context* ctx, const std::string& key) {
  int64_t id = gguf_find_key(ctx, key.c_str());
  if (id < 0) return 0;
  switch (gguf_get_kv_type(ctx, id)) {
    case GGUF_TYPE_FLOAT32: return gguf_get_val_f32(ctx, id);
    case GGUF_TYPE_FLOAT64: return gguf_get_val_f64(ctx, id);
    default: return double(std::max<int64_t>(0, GgufInt(ctx, key, 0)));
  }
}

std::string GgufString(const gguf_context* ctx, const std::string& key) {
  int64_t id = gguf_find_key(ctx, key.c_str());
  if (id < 0 || gguf_get_kv_type(ctx, id) != GGUF_TYPE_STRING) return "";
  return gguf_get_val_str(ctx, id);
}

int ModelShape::HeadsKv(int layer) const {
  return layer >= 0 && size_t(layer) < layer_head_kv.size() ? layer_head_kv[size_t(layer)] : n_head_kv;
}

ModelShape ReadModelShape(const gguf_context* ctx, const std::string& arch, const std::string& path) {
  // Shape values feed memory arithmetic: one that does not fit the int it becomes is an error
  // here, not a negative layer count later.
  auto check = [&](const std::string& key, int64_t value, int64_t limit) -> int {
    if (value > limit) {
      throw Error(kExitModel, "model " + path + ": implausible " + key + " = " + std::to_string(value) +
                                  " (corrupt GGUF header?)");
    }
    return static_cast<int>(std::max<int64_t>(0, value));
  };
  auto shape = [&](const std::string& key, int64_t limit = kMaxDim) { return check(key, GgufInt(ctx, key), limit); };
  const std::string a = arch + ".";
  ModelShape s;
  s.n_layer = shape(a + "block_count");
  s.n_embd = shape(a + "embedding_length");
  s.n_head = shape(a + "attention.head_count");
  s.n_ff = shape(a + "feed_forward_length");
  const std::string kv_key = a + "attention.head_count_kv";
  std::vector<int64_t> kv = GgufInts(ctx, kv_key);
  for (int64_t heads : kv) s.layer_head_kv.push_back(check(kv_key, heads, kMaxDim));
  s.n_head_kv = s.layer_head_kv.empty() ? 0 : *std::max_element(s.layer_head_kv.begin(), s.layer_head_kv.end());
  if (s.n_head_kv <= 0) {  // absent (or all zero): one KV head per query head
    s.n_head_kv = s.n_head;
    s.layer_head_kv.clear();
  } else if (s.layer_head_kv.size() == 1) {
    s.layer_head_kv.clear();  // a scalar: the same in every layer
  }
  int default_dim = s.n_head > 0 ? s.n_embd / s.n_head : 0;
  int k = shape(a + "attention.key_length");
  int v = shape(a + "attention.value_length");
  s.head_dim_k = k > 0 ? k : default_dim;
  s.head_dim_v = v > 0 ? v : default_dim;
  s.n_ctx_train = shape(a + "context_length", INT32_MAX);
  int64_t tokens = gguf_find_key(ctx, "tokenizer.ggml.tokens");
  s.vocab_size = tokens >= 0 && gguf_get_kv_type(ctx, tokens) == GGUF_TYPE_ARRAY
                     ? check("tokenizer.ggml.tokens", int64_t(gguf_get_arr_n(ctx, tokens)), INT32_MAX)
                     : shape(a + "vocab_size", INT32_MAX);
  return s;
}

uint64_t KvElementBytes(uint64_t elements, KvCacheType cache_type) {
  const uint64_t blocks = (elements + 31) / 32;
  switch (cache_type) {
    case KvCacheType::kF16: return elements * 2;
    case KvCacheType::kQ8_0: return blocks * 34;  // 32 int8 + an f16 scale
    case KvCacheType::kQ4_0: return blocks * 18;  // 32 nibbles + an f16 scale
  }
  return elements * 2;
}

uint64_t KvCacheBytes(const ModelShape& shape, uint64_t cells, KvCacheType cache_type) {
  // llama.cpp quantises each row (one cell of one layer) separately, so blocks round per row.
  uint64_t per_cell = 0;
  for (int layer = 0; layer < shape.n_layer; ++layer) {
    const uint64_t heads = uint64_t(shape.HeadsKv(layer));
    per_cell += KvElementBytes(heads * uint64_t(shape.head_dim_k), cache_type) +
                KvElementBytes(heads * uint64_t(shape.head_dim_v), cache_type);
  }
  return per_cell * cells;
}

uint64_t ContextCells(int ctx_size, int parallel, bool unified) {
  // The unified layout's spares only need room for a prefix (a system prompt plus template is
  // rarely more than a few hundred tokens; the scheduler evicts them when full).
  if (unified) {
    return uint64_t(ctx_size) * uint64_t(parallel) + uint64_t(std::min(ctx_size, 512)) * kSchedulerSpareSequences;
  }
  return uint64_t(ctx_size) * uint64_t(parallel + kSchedulerSpareSequences);
}

MemoryEstimate EstimateMemory(const ModelShape& shape, uint64_t weight_bytes, const MemoryLayout& layout) {
  MemoryEstimate m;
  m.weights = weight_bytes;
  m.kv_cache = KvCacheBytes(shape, ContextCells(layout.ctx_size, std::max(1, layout.parallel), layout.unified),
                            layout.cache_type);
  // llama.cpp reuses one compute buffer per micro-batch. Its size is dominated by the F32 logits
  // (n_vocab per token) and the FFN activations; with flash attention (the CPU default) the
  // attention scores are never materialised. Calibrated against llama.cpp's own report
  // ("CPU compute buffer size") for the catalogue shapes, within ~15%.
  m.compute = 4ull * uint64_t(std::max(1, layout.ubatch)) *
              (uint64_t(shape.vocab_size) + 2ull * uint64_t(shape.n_ff) + 4ull * uint64_t(shape.n_embd));
  m.overhead = 150ull * 1000 * 1000;
  return m;
}

}  // namespace scale::engine
