#include "train/memory.h"

#include <cstdio>

#include "engine/gguf_header.h"
#include "util/error.h"
#include "util/size.h"

namespace scale::train {
namespace {

// The constants of the estimate. They are calibrated against the measured peak RSS of
// `scale bench --train` (Qwen2.5-0.5B shape, ctx 512: 4.6 GiB measured): ggml's allocator reuses
// the buffers of activations whose gradient is done, so their gradients add little at the peak.
constexpr uint64_t kF32 = 4;                      // bytes per float
constexpr uint64_t kAdapterCopies = 4;            // value, gradient accumulator, AdamW m, AdamW v
constexpr uint64_t kActEmbdPerToken = 6;          // n_embd-wide values kept per layer per token
constexpr uint64_t kActKvPerToken = 4;            // kv_dim-wide values (K, V before and after RoPE)
constexpr uint64_t kActFfnPerToken = 3;           // n_ff-wide values (gate, up, their product, SiLU)
constexpr uint64_t kActScoresPerHead = 2;         // attention scores: raw, masked, softmax
constexpr uint64_t kLogitCopies = 3;              // logits, softmax, their gradient
constexpr uint64_t kOverhead = 64ull << 20;       // runtime, graphs, tokenizer, data set

uint64_t KvDim(const ModelShape& s) {
  return s.n_head > 0 ? uint64_t(s.n_embd) * uint64_t(s.n_head_kv) / uint64_t(s.n_head) : uint64_t(s.n_embd);
}

// in and out features of the weight a module adapts.
void ModuleDims(const ModelShape& s, Module m, uint64_t* in, uint64_t* out) {
  const uint64_t embd = uint64_t(s.n_embd), ff = uint64_t(s.n_ff);
  switch (m) {
    case Module::kQ:
    case Module::kO: *in = embd, *out = embd; return;
    case Module::kK:
    case Module::kV: *in = embd, *out = KvDim(s); return;
    case Module::kGate:
    case Module::kUp: *in = embd, *out = ff; return;
    case Module::kDown: *in = ff, *out = embd; return;
  }
  *in = *out = 0;
}

uint64_t ActivationBytesPerLayerToken(const ModelShape& s, int ctx) {
  const uint64_t widths = kActEmbdPerToken * uint64_t(s.n_embd) + kActKvPerToken * KvDim(s) +
                          kActFfnPerToken * uint64_t(s.n_ff);
  return widths * kF32 + kActScoresPerHead * uint64_t(s.n_head) * uint64_t(ctx) * kF32;
}

std::string Line(const char* label, uint64_t bytes, const std::string& why) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%-14s %10s", label, FormatBytes(bytes).c_str());
  return std::string(buf) + (why.empty() ? "" : "  " + why);
}

}  // namespace

uint64_t AdapterParams(const ModelShape& shape, const LoraOptions& lora) {
  uint64_t per_layer = 0;
  for (Module m : lora.modules) {
    uint64_t in = 0, out = 0;
    ModuleDims(shape, m, &in, &out);
    per_layer += uint64_t(lora.rank) * (in + out);
  }
  return per_layer * uint64_t(shape.n_layer);
}

// Elements of the matrices the matmuls read: every layer's seven projections and the output head.
static uint64_t MatrixParams(const ModelShape& s) {
  const uint64_t e = uint64_t(s.n_embd), kv = KvDim(s), ff = uint64_t(s.n_ff);
  return uint64_t(s.n_vocab) * e + uint64_t(s.n_layer) * (2 * e * e + 2 * e * kv + 3 * e * ff);
}

MemoryEstimate EstimateMemory(const ModelShape& shape, const TrainOptions& options) {
  MemoryEstimate m;
  const uint64_t ctx = uint64_t(options.ctx);
  m.weights = shape.weight_bytes;
  // A base stored as F32 is used as is; any smaller storage means quantised or F16 matrices.
  const uint64_t f32_matrices = MatrixParams(shape) * kF32;
  if (options.dequantize && shape.weight_bytes < f32_matrices) m.weight_copies = f32_matrices;
  m.adapter = AdapterParams(shape, options.lora) * kF32 * kAdapterCopies;
  // Rows of a batch run one after another (gradient accumulation): one row's graph is alive.
  m.activations = uint64_t(shape.n_layer) * ctx * ActivationBytesPerLayerToken(shape, options.ctx);
  m.logits = ctx * uint64_t(shape.n_vocab) * kF32 * kLogitCopies;
  m.total = m.weights + m.weight_copies + m.adapter + m.activations + m.logits + kOverhead;
  return m;
}

std::vector<std::string> ExplainMemory(const MemoryEstimate& m, const ModelShape& s, const TrainOptions& o) {
  std::string modules;
  for (Module mod : o.lora.modules) modules += (modules.empty() ? "" : ",") + std::string(ModuleFlagName(mod));
  char buf[400];
  std::vector<std::string> out;
  out.push_back(Line("  weights", m.weights, "(the base model as stored; frozen)"));
  if (m.weight_copies) {
    out.push_back(Line("+ F32 copies", m.weight_copies,
                       "(matrices converted once per pass for a fast backward; --keep-quantized: none)"));
  }
  std::snprintf(buf, sizeof buf,
                "= %llu x 4 B x %llu params (rank %d x (in + out) of %s, x %d layers; value, gradient, AdamW m and v)",
                (unsigned long long)kAdapterCopies, (unsigned long long)AdapterParams(s, o.lora), o.lora.rank,
                modules.c_str(), s.n_layer);
  out.push_back(Line("+ adapter", m.adapter, buf));
  std::snprintf(buf, sizeof buf,
                "= %d layers x %d ctx x ((%llu x %d embd + %llu x %llu kv + %llu x %d ffn) x 4 B"
                " + %llu x %d heads x %d ctx x 4 B)",
                s.n_layer, o.ctx, (unsigned long long)kActEmbdPerToken, s.n_embd, (unsigned long long)kActKvPerToken,
                (unsigned long long)KvDim(s), (unsigned long long)kActFfnPerToken, s.n_ff,
                (unsigned long long)kActScoresPerHead, s.n_head, o.ctx);
  out.push_back(Line("+ activations", m.activations, buf));
  std::snprintf(buf, sizeof buf, "= 3 (logits, softmax, gradient) x %d ctx x %d vocab x 4 B", o.ctx, s.n_vocab);
  out.push_back(Line("+ logits", m.logits, buf));
  out.push_back(Line("+ overhead", kOverhead, "(runtime, graphs, data set)"));
  std::snprintf(buf, sizeof buf, "(batch %d adds nothing: its rows run one after another, gradients accumulate)", o.batch);
  out.push_back(Line("= total", m.total, buf));
  return out;
}

ModelShape ReadModelShape(const std::string& gguf_path) {
  const engine::GgufHeader h = engine::ReadGgufHeader(gguf_path);
  if (h.architecture != "llama" && h.architecture != "qwen2") {
    throw Error(kExitModel, gguf_path + ": architecture \"" + h.architecture +
                                "\" cannot be trained by scale train (llama or qwen2 models only)");
  }
  ModelShape s;
  s.architecture = h.architecture;
  s.n_layer = h.shape.n_layer;
  s.n_embd = h.shape.n_embd;
  s.n_head = h.shape.n_head;
  s.n_head_kv = h.shape.n_head_kv;
  s.n_ff = h.shape.n_ff;
  s.n_vocab = h.shape.vocab_size;  // tokenizer.ggml.tokens' length
  if (s.n_layer <= 0 || s.n_embd <= 0 || s.n_head <= 0 || s.n_vocab <= 0) {
    throw Error(kExitModel, gguf_path + ": the header lacks the model's shape (layers, embedding, heads, vocabulary)");
  }
  if (s.n_head_kv <= 0) s.n_head_kv = s.n_head;
  // The header reader gives the file size, not the tensor bytes: the metadata (vocabulary, template)
  // is a small part of any real model, so the file size is a slight over-estimate of the weights.
  s.weight_bytes = h.tensor_bytes ? h.tensor_bytes : h.file_bytes;
  return s;
}

}  // namespace scale::train
