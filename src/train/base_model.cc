#include "train/base_model.h"

#include <cstdio>
#include <string>

#include "engine/model_facts.h"
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

// The hyper-parameters through the engine's one reading of GGUF metadata (any integer width,
// implausible values refused), plus what only the training graph needs.
void ReadHparams(const gguf_context* g, const std::string& path, Hparams* hp) {
  hp->architecture = engine::GgufString(g, "general.architecture");
  if (hp->architecture != "llama" && hp->architecture != "qwen2") {
    Fail(path, "training supports llama and qwen2 models, not '" + hp->architecture + "'");
  }
  const std::string a = hp->architecture + ".";
  const engine::ModelShape shape = engine::ReadModelShape(g, hp->architecture, path);
  if (shape.n_layer <= 0) Fail(path, "missing " + a + "block_count");
  if (shape.n_embd <= 0) Fail(path, "missing " + a + "embedding_length");
  if (shape.n_ff <= 0) Fail(path, "missing " + a + "feed_forward_length");
  if (shape.n_head <= 0) Fail(path, "missing " + a + "attention.head_count");
  if (!shape.layer_head_kv.empty()) Fail(path, "per-layer KV head counts are not a llama/qwen2 shape");
  hp->n_layer = shape.n_layer;
  hp->n_embd = shape.n_embd;
  hp->n_ff = shape.n_ff;
  hp->n_head = shape.n_head;
  hp->n_head_kv = shape.n_head_kv;
  hp->n_ctx_train = shape.n_ctx_train > 0 ? shape.n_ctx_train : 2048;
  auto number = [&](const std::string& key, double fallback) {
    const double v = engine::GgufFloat(g, a + key);
    return v > 0 ? v : fallback;
  };
  hp->rms_eps = static_cast<float>(number("attention.layer_norm_rms_epsilon", 1e-5));
  hp->rope_freq_base = static_cast<float>(number("rope.freq_base", 10000.0));
  if (hp->n_embd % hp->n_head != 0 || hp->n_head % hp->n_head_kv != 0) Fail(path, "inconsistent attention shape");
  hp->n_rot = static_cast<int>(engine::GgufInt(g, a + "rope.dimension_count", hp->head_dim()));
  if (shape.head_dim_k != hp->head_dim()) Fail(path, "head size differs from embedding/heads");
  const std::string scaling = engine::GgufString(g, a + "rope.scaling.type");
  const double factor = number("rope.scaling.factor", number("rope.scale_linear", 1.0));
  if (scaling == "yarn") Fail(path, "YaRN RoPE scaling is not reproduced by the trainer yet");
  if ((scaling == "linear" || scaling.empty()) && factor != 1.0) hp->rope_freq_scale = 1.0f / static_cast<float>(factor);
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
