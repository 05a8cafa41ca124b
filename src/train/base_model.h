// A llama-family base model (llama, qwen2) loaded for training: its hyper-parameters and its
// weights in one CPU backend buffer, as stored (quantised weights stay quantised; nothing trains them).
#pragma once

#include <memory>
#include <string>
#include <vector>

struct ggml_context;
struct ggml_tensor;
struct ggml_backend_buffer;

namespace scale::train {

struct Hparams {
  std::string architecture;  // "llama" or "qwen2"
  int n_layer = 0, n_embd = 0, n_head = 0, n_head_kv = 0, n_ff = 0, n_vocab = 0;
  int n_rot = 0;             // rotary dimensions per head
  int n_ctx_train = 0;
  float rms_eps = 1e-5f;
  float rope_freq_base = 10000.0f;
  float rope_freq_scale = 1.0f;  // 1 / linear scaling factor
  int head_dim() const { return n_embd / n_head; }
  int kv_dim() const { return head_dim() * n_head_kv; }
};

struct Layer {
  ggml_tensor* attn_norm = nullptr;
  ggml_tensor* wq = nullptr;
  ggml_tensor* wk = nullptr;
  ggml_tensor* wv = nullptr;
  ggml_tensor* wo = nullptr;
  ggml_tensor* bq = nullptr;  // qwen2 only
  ggml_tensor* bk = nullptr;
  ggml_tensor* bv = nullptr;
  ggml_tensor* ffn_norm = nullptr;
  ggml_tensor* ffn_gate = nullptr;
  ggml_tensor* ffn_up = nullptr;
  ggml_tensor* ffn_down = nullptr;
};

class BaseModel {
 public:
  // Throws scale::Error(kExitModel) for a missing/corrupt file, an architecture other than llama or
  // qwen2, a missing tensor, or RoPE scaling we do not reproduce (YaRN).
  static std::unique_ptr<BaseModel> Load(const std::string& path);
  ~BaseModel();
  BaseModel(const BaseModel&) = delete;
  BaseModel& operator=(const BaseModel&) = delete;

  const Hparams& hparams() const { return hp_; }
  const std::string& path() const { return path_; }
  ggml_tensor* token_embd() const { return token_embd_; }
  ggml_tensor* output_norm() const { return output_norm_; }
  ggml_tensor* output() const { return output_; }          // token_embd when tied
  ggml_tensor* rope_freqs() const { return rope_freqs_; }  // llama-3 frequency factors, or null
  const std::vector<Layer>& layers() const { return layers_; }
  size_t weight_bytes() const;  // the buffer that holds every tensor

 private:
  BaseModel() = default;
  std::string path_;
  Hparams hp_;
  ggml_context* ctx_ = nullptr;
  ggml_backend_buffer* buffer_ = nullptr;
  ggml_tensor* token_embd_ = nullptr;
  ggml_tensor* output_norm_ = nullptr;
  ggml_tensor* output_ = nullptr;
  ggml_tensor* rope_freqs_ = nullptr;
  std::vector<Layer> layers_;
};

}  // namespace scale::train
