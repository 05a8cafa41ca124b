#include "train/base_model.h"

#include <cstdio>
#include <string>

#include "ggml-alloc.h"
#include "ggml-backend.h"
#include "ggml-cpu.h"
#include "ggml.h"
#include "gguf.h"
#include "util/error.h"

namespace scale::train {
namespace {

[[noreturn]] void Fail(const std::string& path, const std::string& why) {
  throw Error(kExitModel, path + ": " + why);
}

// GGUF writers differ in the integer type of the same key (u32 in llama.cpp's converter, i32 in
// others), so counts are read whatever their width.
bool ReadNumber(const gguf_context* g, const std::string& key, double* out) {
  const int64_t id = gguf_find_key(g, key.c_str());
  if (id < 0) return false;
  switch (gguf_get_kv_type(g, id)) {
    case GGUF_TYPE_UINT8: *out = gguf_get_val_u8(g, id); return true;
    case GGUF_TYPE_INT8: *out = gguf_get_val_i8(g, id); return true;
    case GGUF_TYPE_UINT16: *out = gguf_get_val_u16(g, id); return true;
    case GGUF_TYPE_INT16: *out = gguf_get_val_i16(g, id); return true;
    case GGUF_TYPE_UINT32: *out = gguf_get_val_u32(g, id); return true;
    case GGUF_TYPE_INT32: *out = gguf_get_val_i32(g, id); return true;
    case GGUF_TYPE_UINT64: *out = static_cast<double>(gguf_get_val_u64(g, id)); return true;
    case GGUF_TYPE_INT64: *out = static_cast<double>(gguf_get_val_i64(g, id)); return true;
    case GGUF_TYPE_FLOAT32: *out = gguf_get_val_f32(g, id); return true;
    case GGUF_TYPE_FLOAT64: *out = gguf_get_val_f64(g, id); return true;
    default: return false;
  }
}

std::string ReadString(const gguf_context* g, const std::string& key) {
  const int64_t id = gguf_find_key(g, key.c_str());
  if (id < 0 || gguf_get_kv_type(g, id) != GGUF_TYPE_STRING) return "";
  return gguf_get_val_str(g, id);
}

void ReadHparams(const gguf_context* g, const std::string& path, Hparams* hp) {
  hp->architecture = ReadString(g, "general.architecture");
  if (hp->architecture != "llama" && hp->architecture != "qwen2") {
    Fail(path, "training supports llama and qwen2 models, not '" + hp->architecture + "'");
  }
  const std::string a = hp->architecture + ".";
  auto need = [&](const std::string& key) {
    double v = 0;
    if (!ReadNumber(g, a + key, &v)) Fail(path, "missing " + a + key);
    return v;
  };
  auto want = [&](const std::string& key, double fallback) {
    double v = fallback;
    ReadNumber(g, a + key, &v);
    return v;
  };
  hp->n_layer = static_cast<int>(need("block_count"));
  hp->n_embd = static_cast<int>(need("embedding_length"));
  hp->n_ff = static_cast<int>(need("feed_forward_length"));
  hp->n_head = static_cast<int>(need("attention.head_count"));
  hp->n_head_kv = static_cast<int>(want("attention.head_count_kv", hp->n_head));
  hp->n_ctx_train = static_cast<int>(want("context_length", 2048));
  hp->rms_eps = static_cast<float>(want("attention.layer_norm_rms_epsilon", 1e-5));
  hp->rope_freq_base = static_cast<float>(want("rope.freq_base", 10000.0));
  if (hp->n_head <= 0 || hp->n_embd % hp->n_head != 0 || hp->n_head_kv <= 0 || hp->n_head % hp->n_head_kv != 0) {
    Fail(path, "inconsistent attention shape");
  }
  hp->n_rot = static_cast<int>(want("rope.dimension_count", hp->head_dim()));
  const double key_length = want("attention.key_length", hp->head_dim());
  if (static_cast<int>(key_length) != hp->head_dim()) Fail(path, "head size differs from embedding/heads");
  const std::string scaling = ReadString(g, a + "rope.scaling.type");
  double factor = want("rope.scaling.factor", want("rope.scale_linear", 1.0));
  if (scaling == "yarn") Fail(path, "YaRN RoPE scaling is not reproduced by the trainer yet");
  if ((scaling == "linear" || scaling.empty()) && factor > 0 && factor != 1.0) hp->rope_freq_scale = 1.0f / static_cast<float>(factor);
}

}  // namespace

std::unique_ptr<BaseModel> BaseModel::Load(const std::string& path) {
  std::unique_ptr<BaseModel> m(new BaseModel());
  m->path_ = path;
  ggml_context* meta = nullptr;
  gguf_init_params params = {/*no_alloc=*/true, /*ctx=*/&meta};
  gguf_context* g = gguf_init_from_file(path.c_str(), params);
  if (!g) Fail(path, "not a readable GGUF model");
  m->ctx_ = meta;
  try {
    ReadHparams(g, path, &m->hp_);
    auto tensor = [&](const std::string& name, bool required) -> ggml_tensor* {
      ggml_tensor* t = ggml_get_tensor(meta, name.c_str());
      if (!t && required) Fail(path, "missing tensor " + name);
      return t;
    };
    m->token_embd_ = tensor("token_embd.weight", true);
    m->output_norm_ = tensor("output_norm.weight", true);
    m->output_ = tensor("output.weight", false);
    if (!m->output_) m->output_ = m->token_embd_;
    m->rope_freqs_ = tensor("rope_freqs.weight", false);
    m->hp_.n_vocab = static_cast<int>(m->token_embd_->ne[1]);
    for (int i = 0; i < m->hp_.n_layer; ++i) {
      const std::string p = "blk." + std::to_string(i) + ".";
      Layer l;
      l.attn_norm = tensor(p + "attn_norm.weight", true);
      l.wq = tensor(p + "attn_q.weight", true);
      l.wk = tensor(p + "attn_k.weight", true);
      l.wv = tensor(p + "attn_v.weight", true);
      l.wo = tensor(p + "attn_output.weight", true);
      l.bq = tensor(p + "attn_q.bias", false);
      l.bk = tensor(p + "attn_k.bias", false);
      l.bv = tensor(p + "attn_v.bias", false);
      l.ffn_norm = tensor(p + "ffn_norm.weight", true);
      l.ffn_gate = tensor(p + "ffn_gate.weight", true);
      l.ffn_up = tensor(p + "ffn_up.weight", true);
      l.ffn_down = tensor(p + "ffn_down.weight", true);
      if (l.wq->ne[0] != m->hp_.n_embd || l.wk->ne[1] != m->hp_.kv_dim() || l.ffn_up->ne[1] != m->hp_.n_ff) {
        Fail(path, "tensor shapes of " + p + "* do not match the model's hyper-parameters");
      }
      m->layers_.push_back(l);
    }
    m->buffer_ = ggml_backend_alloc_ctx_tensors_from_buft(meta, ggml_backend_cpu_buffer_type());
    if (!m->buffer_) Fail(path, "not enough memory for the weights");
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) Fail(path, "cannot open");
    const size_t data_offset = gguf_get_data_offset(g);
    bool ok = true;
    for (int64_t i = 0; ok && i < gguf_get_n_tensors(g); ++i) {
      ggml_tensor* t = ggml_get_tensor(meta, gguf_get_tensor_name(g, i));
      const size_t offset = data_offset + gguf_get_tensor_offset(g, i);
      ok = t && fseeko(f, static_cast<off_t>(offset), SEEK_SET) == 0 &&
           std::fread(t->data, 1, ggml_nbytes(t), f) == ggml_nbytes(t);
    }
    std::fclose(f);
    if (!ok) Fail(path, "truncated tensor data");
  } catch (...) {
    gguf_free(g);
    throw;
  }
  gguf_free(g);
  return m;
}

BaseModel::~BaseModel() {
  if (buffer_) ggml_backend_buffer_free(buffer_);
  if (ctx_) ggml_free(ctx_);
}

size_t BaseModel::weight_bytes() const { return buffer_ ? ggml_backend_buffer_get_size(buffer_) : 0; }

}  // namespace scale::train
