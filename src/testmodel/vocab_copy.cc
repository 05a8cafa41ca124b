#include "testmodel/vocab_copy.h"

#include <memory>
#include <string_view>

#include <gguf.h>

#include "util/error.h"

namespace scale::testmodel {
namespace {

constexpr int32_t kTokenTypeNormal = 1;  // llama_token_type LLAMA_TOKEN_TYPE_NORMAL

void CopyKey(const gguf_context* src, int64_t id, gguf_context* dst) {
  const char* key = gguf_get_key(src, id);
  const gguf_type type = gguf_get_kv_type(src, id);
  if (type == GGUF_TYPE_ARRAY) {
    const gguf_type elem = gguf_get_arr_type(src, id);
    const size_t n = gguf_get_arr_n(src, id);
    if (elem == GGUF_TYPE_STRING) {
      std::vector<const char*> items(n);
      for (size_t i = 0; i < n; ++i) items[i] = gguf_get_arr_str(src, id, i);
      gguf_set_arr_str(dst, key, items.data(), n);
    } else {
      gguf_set_arr_data(dst, key, elem, gguf_get_arr_data(src, id), n);
    }
    return;
  }
  switch (type) {
    case GGUF_TYPE_STRING: gguf_set_val_str(dst, key, gguf_get_val_str(src, id)); break;
    case GGUF_TYPE_UINT8: gguf_set_val_u8(dst, key, gguf_get_val_u8(src, id)); break;
    case GGUF_TYPE_INT8: gguf_set_val_i8(dst, key, gguf_get_val_i8(src, id)); break;
    case GGUF_TYPE_UINT16: gguf_set_val_u16(dst, key, gguf_get_val_u16(src, id)); break;
    case GGUF_TYPE_INT16: gguf_set_val_i16(dst, key, gguf_get_val_i16(src, id)); break;
    case GGUF_TYPE_UINT32: gguf_set_val_u32(dst, key, gguf_get_val_u32(src, id)); break;
    case GGUF_TYPE_INT32: gguf_set_val_i32(dst, key, gguf_get_val_i32(src, id)); break;
    case GGUF_TYPE_FLOAT32: gguf_set_val_f32(dst, key, gguf_get_val_f32(src, id)); break;
    case GGUF_TYPE_UINT64: gguf_set_val_u64(dst, key, gguf_get_val_u64(src, id)); break;
    case GGUF_TYPE_INT64: gguf_set_val_i64(dst, key, gguf_get_val_i64(src, id)); break;
    case GGUF_TYPE_FLOAT64: gguf_set_val_f64(dst, key, gguf_get_val_f64(src, id)); break;
    case GGUF_TYPE_BOOL: gguf_set_val_bool(dst, key, gguf_get_val_bool(src, id)); break;
    default: break;  // no other scalar types exist in GGUF v3
  }
}

}  // namespace

VocabInfo CopyTokenizer(const std::string& vocab_path, gguf_context* dst) {
  gguf_init_params params = {/*no_alloc=*/true, /*ctx=*/nullptr};
  std::unique_ptr<gguf_context, decltype(&gguf_free)> src(gguf_init_from_file(vocab_path.c_str(), params),
                                                           gguf_free);
  if (!src) throw Error(kExitModel, "cannot read vocab GGUF " + vocab_path);
  const gguf_context* s = src.get();

  VocabInfo info;
  const int64_t tokens = gguf_find_key(s, "tokenizer.ggml.tokens");
  if (tokens < 0 || gguf_get_kv_type(s, tokens) != GGUF_TYPE_ARRAY) {
    throw Error(kExitModel, "vocab GGUF has no tokenizer.ggml.tokens: " + vocab_path);
  }
  info.n_vocab = static_cast<int>(gguf_get_arr_n(s, tokens));
  info.is_special.assign(info.n_vocab, false);
  const int64_t types = gguf_find_key(s, "tokenizer.ggml.token_type");
  if (types >= 0 && gguf_get_kv_type(s, types) == GGUF_TYPE_ARRAY &&
      gguf_get_arr_type(s, types) == GGUF_TYPE_INT32 && gguf_get_arr_n(s, types) == size_t(info.n_vocab)) {
    const auto* t = static_cast<const int32_t*>(gguf_get_arr_data(s, types));
    for (int i = 0; i < info.n_vocab; ++i) info.is_special[i] = t[i] != kTokenTypeNormal;
  }

  for (int64_t id = 0; id < gguf_get_n_kv(s); ++id) {
    if (std::string_view(gguf_get_key(s, id)).starts_with("tokenizer.")) CopyKey(s, id, dst);
  }
  return info;
}

}  // namespace scale::testmodel
