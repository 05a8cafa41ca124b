#include "testmodel/gguf_writer.h"

#include <cmath>
#include <memory>

#include <gguf.h>

#include "testmodel/gguf_stream.h"
#include "testmodel/random_fill.h"
#include "testmodel/vocab_copy.h"
#include "util/error.h"

namespace scale::testmodel {
namespace {

using GgufPtr = std::unique_ptr<gguf_context, decltype(&gguf_free)>;

ggml_type GgmlType(WeightType type) {
  switch (type) {
    case WeightType::kF32: return GGML_TYPE_F32;
    case WeightType::kF16: return GGML_TYPE_F16;
    case WeightType::kQ8_0: return GGML_TYPE_Q8_0;
    case WeightType::kQ4_0: return GGML_TYPE_Q4_0;
  }
  return GGML_TYPE_F32;
}

// llama_ftype values (llama.h) for general.file_type, so llama.cpp prints the right type name.
uint32_t FileType(WeightType type) {
  switch (type) {
    case WeightType::kF32: return 0;
    case WeightType::kF16: return 1;
    case WeightType::kQ4_0: return 2;
    case WeightType::kQ8_0: return 7;
  }
  return 0;
}

// A tensor of independent random values (mean, stddev), generated row by row from (seed, name).
TensorPlan RandomTensor(const std::string& name, ggml_type type, int64_t ne0, int64_t ne1, uint64_t seed, float mean,
                        float stddev) {
  auto rng = std::make_shared<WeightRng>(seed, name);
  return {name, type, ne0, ne1, [rng, ne0, mean, stddev](int64_t, int64_t nrows, float* out) {
            rng->Fill(out, nrows * ne0, mean, stddev);
          }};
}

// Embedding rows of control/unused tokens are zero: their logits are then exactly 0 while ordinary
// tokens spread around it, so greedy decoding never emits EOS or a stray special token and random
// models always generate max_tokens of ordinary text (predictable for tests and benchmarks).
TensorPlan EmbeddingTensor(const std::string& name, ggml_type type, int64_t n_embd, const VocabInfo& vocab,
                           uint64_t seed) {
  auto rng = std::make_shared<WeightRng>(seed, name);
  auto special = std::make_shared<std::vector<bool>>(vocab.is_special);
  // Logit spread ~ stddev * sqrt(n_embd) = 3: varied but peaked distributions.
  const float stddev = 3.0f / std::sqrt(static_cast<float>(n_embd));
  return {name, type, n_embd, vocab.n_vocab, [rng, special, n_embd, stddev](int64_t row0, int64_t nrows, float* out) {
            rng->Fill(out, nrows * n_embd, 0.0f, stddev);
            for (int64_t r = 0; r < nrows; ++r) {
              if ((*special)[row0 + r]) std::fill(out + r * n_embd, out + (r + 1) * n_embd, 0.0f);
            }
          }};
}

// Llama-3.x "llama3" rope scaling, as convert_hf_to_gguf.py computes rope_freqs.weight
// (factor, low_freq_factor 1, high_freq_factor 4, original context 8192).
TensorPlan RopeFreqsTensor(const ModelSpec& s) {
  const int dim = s.head_dim();
  const float factor = s.rope_scaling_factor, low = 1.0f, high = 4.0f, old_ctx = 8192.0f;
  std::vector<float> factors;
  for (int i = 0; i < dim; i += 2) {
    const double freq = 1.0 / std::pow(static_cast<double>(s.rope_theta), static_cast<double>(i) / dim);
    const double wavelen = 2 * M_PI / freq;
    if (wavelen < old_ctx / high) {
      factors.push_back(1.0f);
    } else if (wavelen > old_ctx / low) {
      factors.push_back(factor);
    } else {
      const double smooth = (old_ctx / wavelen - low) / (high - low);
      factors.push_back(static_cast<float>(1.0 / ((1 - smooth) / factor + smooth)));
    }
  }
  return {"rope_freqs.weight", GGML_TYPE_F32, dim / 2, 1,
          [factors](int64_t, int64_t, float* out) { std::copy(factors.begin(), factors.end(), out); }};
}

void SetArchKeys(gguf_context* g, const ModelSpec& s, int n_vocab) {
  const std::string a = s.architecture + ".";
  gguf_set_val_u32(g, (a + "vocab_size").c_str(), static_cast<uint32_t>(n_vocab));
  gguf_set_val_u32(g, (a + "context_length").c_str(), static_cast<uint32_t>(s.n_ctx_train));
  gguf_set_val_u32(g, (a + "embedding_length").c_str(), static_cast<uint32_t>(s.n_embd));
  gguf_set_val_u32(g, (a + "block_count").c_str(), static_cast<uint32_t>(s.n_layer));
  gguf_set_val_u32(g, (a + "feed_forward_length").c_str(), static_cast<uint32_t>(s.n_ff));
  gguf_set_val_u32(g, (a + "attention.head_count").c_str(), static_cast<uint32_t>(s.n_head));
  gguf_set_val_u32(g, (a + "attention.head_count_kv").c_str(), static_cast<uint32_t>(s.n_head_kv));
  gguf_set_val_f32(g, (a + "rope.freq_base").c_str(), s.rope_theta);
  gguf_set_val_u32(g, (a + "rope.dimension_count").c_str(), static_cast<uint32_t>(s.head_dim()));
  gguf_set_val_f32(g, (a + "attention.layer_norm_rms_epsilon").c_str(), s.rms_eps);
}

}  // namespace

void WriteRandomModel(const ModelSpec& spec, const std::string& out_path) {
  ValidateSpec(spec);
  GgufPtr meta(gguf_init_empty(), gguf_free);
  gguf_context* g = meta.get();
  gguf_set_val_str(g, "general.architecture", spec.architecture.c_str());
  gguf_set_val_str(g, "general.type", "model");
  gguf_set_val_str(g, "general.name", (spec.name.empty() ? "scale-random" : spec.name).c_str());
  gguf_set_val_u32(g, "general.file_type", FileType(spec.type));
  if (spec.type == WeightType::kQ4_0 || spec.type == WeightType::kQ8_0) {
    gguf_set_val_u32(g, "general.quantization_version", GGML_QNT_VERSION);
  }
  // Marks the file as a random stand-in so tools can warn that its output means nothing.
  gguf_set_val_bool(g, "scale.random_weights", true);
  gguf_set_val_u64(g, "scale.seed", spec.seed);
  const VocabInfo vocab = CopyTokenizer(spec.vocab_path, g);
  if (!spec.chat_template.empty()) gguf_set_val_str(g, "tokenizer.chat_template", spec.chat_template.c_str());
  SetArchKeys(g, spec, vocab.n_vocab);

  const ggml_type wt = GgmlType(spec.type);
  const int64_t e = spec.n_embd, kv = static_cast<int64_t>(spec.n_head_kv) * spec.head_dim(), ff = spec.n_ff;
  const uint64_t seed = spec.seed;
  auto matrix = [&](const std::string& name, int64_t n_in, int64_t n_out) {
    // stddev 1/sqrt(n_in) keeps activations O(1) through the layers.
    return RandomTensor(name, wt, n_in, n_out, seed, 0.0f, 1.0f / std::sqrt(static_cast<float>(n_in)));
  };
  auto vec = [&](const std::string& name, int64_t n, float mean, float stddev) {
    return RandomTensor(name, GGML_TYPE_F32, n, 1, seed, mean, stddev);
  };

  std::vector<TensorPlan> t;
  if (spec.rope_scaling_factor > 0) t.push_back(RopeFreqsTensor(spec));
  t.push_back(EmbeddingTensor("token_embd.weight", wt, e, vocab, seed));
  t.push_back(vec("output_norm.weight", e, 1.0f, 0.05f));
  if (!spec.tied_embeddings) t.push_back(EmbeddingTensor("output.weight", wt, e, vocab, seed));
  for (int i = 0; i < spec.n_layer; ++i) {
    const std::string b = "blk." + std::to_string(i) + ".";
    t.push_back(vec(b + "attn_norm.weight", e, 1.0f, 0.05f));
    t.push_back(matrix(b + "attn_q.weight", e, e));
    if (spec.qkv_bias) t.push_back(vec(b + "attn_q.bias", e, 0.0f, 0.02f));
    t.push_back(matrix(b + "attn_k.weight", e, kv));
    if (spec.qkv_bias) t.push_back(vec(b + "attn_k.bias", kv, 0.0f, 0.02f));
    t.push_back(matrix(b + "attn_v.weight", e, kv));
    if (spec.qkv_bias) t.push_back(vec(b + "attn_v.bias", kv, 0.0f, 0.02f));
    t.push_back(matrix(b + "attn_output.weight", e, e));
    t.push_back(vec(b + "ffn_norm.weight", e, 1.0f, 0.05f));
    t.push_back(matrix(b + "ffn_gate.weight", e, ff));
    t.push_back(matrix(b + "ffn_down.weight", ff, e));
    t.push_back(matrix(b + "ffn_up.weight", e, ff));
  }
  WriteGgufStreaming(g, t, out_path);
}

void WriteRandomLora(const ModelSpec& base, int rank, float alpha, const std::string& out_path, uint64_t seed) {
  ValidateSpec(base);
  if (rank < 1 || rank > base.n_embd) {
    throw Error(kExitUsage, "LoRA rank must be 1.." + std::to_string(base.n_embd) + ", got " + std::to_string(rank));
  }
  if (!(alpha >= 0.0f) || !std::isfinite(alpha)) throw Error(kExitUsage, "LoRA alpha must be a finite number >= 0");
  GgufPtr meta(gguf_init_empty(), gguf_free);
  gguf_context* g = meta.get();
  // llama_adapter_lora_init requires exactly these: adapter type, and the base's architecture.
  gguf_set_val_str(g, "general.architecture", base.architecture.c_str());
  gguf_set_val_str(g, "general.type", "adapter");
  gguf_set_val_str(g, "general.name", ((base.name.empty() ? "scale-random" : base.name) + "-lora").c_str());
  gguf_set_val_str(g, "adapter.type", "lora");
  gguf_set_val_f32(g, "adapter.lora.alpha", alpha);
  gguf_set_val_bool(g, "scale.random_weights", true);
  gguf_set_val_u64(g, "scale.seed", seed);

  const int64_t e = base.n_embd, kv = static_cast<int64_t>(base.n_head_kv) * base.head_dim(), ff = base.n_ff;
  struct Target {
    const char* name;
    int64_t n_in, n_out;
  };
  const Target targets[] = {{"attn_q", e, e},       {"attn_k", e, kv},    {"attn_v", e, kv}, {"attn_output", e, e},
                            {"ffn_gate", e, ff},    {"ffn_down", ff, e},  {"ffn_up", e, ff}};
  std::vector<TensorPlan> t;
  for (int i = 0; i < base.n_layer; ++i) {
    for (const Target& target : targets) {
      const std::string w = "blk." + std::to_string(i) + "." + target.name + ".weight";
      // lora_a: [n_in, rank], lora_b: [rank, n_out] (ggml order), so that B*A matches the base
      // weight [n_in, n_out]. B is random, not zero as in training, so the adapter visibly
      // changes the model's output.
      t.push_back(RandomTensor(w + ".lora_a", GGML_TYPE_F32, target.n_in, rank, seed, 0.0f,
                               1.0f / std::sqrt(static_cast<float>(target.n_in))));
      t.push_back(RandomTensor(w + ".lora_b", GGML_TYPE_F32, rank, target.n_out, seed, 0.0f,
                               1.0f / std::sqrt(static_cast<float>(rank))));
    }
  }
  WriteGgufStreaming(g, t, out_path);
}

}  // namespace scale::testmodel
