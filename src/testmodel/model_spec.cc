#include "testmodel/model_spec.h"

#include <memory>

#include <gguf.h>

#include "util/error.h"

namespace scale::testmodel {
namespace {

// ChatML as Qwen2.5-Instruct and SmolLM2-Instruct ship it (minus the default system prompt), so
// llama.cpp's template detection picks "chatml" and our prompts format the same as with real models.
constexpr const char* kChatMlTemplate =
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + "
    "'<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

// Llama-3.x instruct format; llama.cpp detects it by the header tokens.
constexpr const char* kLlama3Template =
    "{{- bos_token }}{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + "
    "'<|end_header_id|>\n\n' + message['content'] | trim + '<|eot_id|>' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}";

struct Preset {
  const char* name;
  const char* arch;
  int n_layer, n_embd, n_head, n_head_kv, n_ff, n_ctx;
  float theta, eps;
  bool qkv_bias, tied;
  const char* vocab;
  const char* chat_template;  // nullptr: the vocab's own
  float rope_scaling_factor;
};

// Values from each model's config.json (see the table in model_spec.h).
constexpr Preset kPresets[] = {
    {"tiny", "qwen2", 2, 64, 4, 2, 128, 2048, 1e6f, 1e-6f, true, true, "qwen2", kChatMlTemplate, 0},
    {"qwen2.5-0.5b", "qwen2", 24, 896, 14, 2, 4864, 32768, 1e6f, 1e-6f, true, true, "qwen2", kChatMlTemplate, 0},
    {"smollm2-135m", "llama", 30, 576, 9, 3, 1536, 8192, 1e5f, 1e-5f, false, true, "starcoder", kChatMlTemplate, 0},
    {"smollm2-360m", "llama", 32, 960, 15, 5, 2560, 8192, 1e5f, 1e-5f, false, true, "starcoder", kChatMlTemplate, 0},
    {"llama-3.2-1b", "llama", 16, 2048, 32, 8, 8192, 131072, 5e5f, 1e-5f, false, true, "llama-bpe", kLlama3Template, 32},
};

bool IsQuantized(WeightType type) { return type == WeightType::kQ8_0 || type == WeightType::kQ4_0; }

uint64_t RowBytes(WeightType type, uint64_t n) {
  switch (type) {
    case WeightType::kF32: return 4 * n;
    case WeightType::kF16: return 2 * n;
    case WeightType::kQ8_0: return n / 32 * 34;
    case WeightType::kQ4_0: return n / 32 * 18;
  }
  return 0;
}

}  // namespace

const char* WeightTypeName(WeightType type) {
  switch (type) {
    case WeightType::kF32: return "f32";
    case WeightType::kF16: return "f16";
    case WeightType::kQ8_0: return "q8_0";
    case WeightType::kQ4_0: return "q4_0";
  }
  return "?";
}

WeightType ParseWeightType(std::string_view name) {
  for (WeightType t : {WeightType::kF32, WeightType::kF16, WeightType::kQ8_0, WeightType::kQ4_0}) {
    if (name == WeightTypeName(t)) return t;
  }
  throw Error(kExitUsage, "unknown weight type '" + std::string(name) + "' (use f32, f16, q8_0 or q4_0)");
}

std::vector<std::string> PresetNames() {
  std::vector<std::string> names;
  for (const Preset& p : kPresets) names.emplace_back(p.name);
  return names;
}

std::string VocabFile(std::string_view name, const std::string& vocab_dir) {
  std::string dir = vocab_dir.empty() ? std::string(SCALE_VOCAB_DIR) : vocab_dir;
  return dir + "/ggml-vocab-" + std::string(name) + ".gguf";
}

ModelSpec PresetSpec(std::string_view name, WeightType type, const std::string& vocab_dir) {
  for (const Preset& p : kPresets) {
    if (name != p.name) continue;
    ModelSpec s;
    s.name = std::string("scale-random-") + p.name;
    s.architecture = p.arch;
    s.n_layer = p.n_layer;
    s.n_embd = p.n_embd;
    s.n_head = p.n_head;
    s.n_head_kv = p.n_head_kv;
    s.n_ff = p.n_ff;
    s.n_ctx_train = p.n_ctx;
    s.rope_theta = p.theta;
    s.rms_eps = p.eps;
    s.qkv_bias = p.qkv_bias;
    s.tied_embeddings = p.tied;
    s.vocab_path = VocabFile(p.vocab, vocab_dir);
    s.chat_template = p.chat_template ? p.chat_template : "";
    s.rope_scaling_factor = p.rope_scaling_factor;
    s.type = type;
    return s;
  }
  std::string known;
  for (const Preset& p : kPresets) known += std::string(known.empty() ? "" : ", ") + p.name;
  throw Error(kExitUsage, "unknown preset '" + std::string(name) + "' (known: " + known + ")");
}

int VocabSize(const std::string& vocab_path) {
  gguf_init_params params = {/*no_alloc=*/true, /*ctx=*/nullptr};
  std::unique_ptr<gguf_context, decltype(&gguf_free)> ctx(gguf_init_from_file(vocab_path.c_str(), params),
                                                           gguf_free);
  if (!ctx) throw Error(kExitModel, "cannot read vocab GGUF " + vocab_path);
  int64_t id = gguf_find_key(ctx.get(), "tokenizer.ggml.tokens");
  if (id < 0 || gguf_get_kv_type(ctx.get(), id) != GGUF_TYPE_ARRAY) {
    throw Error(kExitModel, "vocab GGUF has no tokenizer.ggml.tokens: " + vocab_path);
  }
  return static_cast<int>(gguf_get_arr_n(ctx.get(), id));
}

uint64_t ParameterCount(const ModelSpec& s, int n_vocab) {
  const uint64_t e = s.n_embd, kv = static_cast<uint64_t>(s.n_head_kv) * s.head_dim(), ff = s.n_ff;
  uint64_t layer = e * e + 2 * e * kv + e * e + 3 * e * ff + 2 * e;
  if (s.qkv_bias) layer += e + 2 * kv;
  uint64_t total = layer * s.n_layer + e + e * n_vocab;
  if (!s.tied_embeddings) total += e * n_vocab;
  if (s.rope_scaling_factor > 0) total += s.head_dim() / 2;
  return total;
}

uint64_t TensorBytes(const ModelSpec& s, int n_vocab) {
  const uint64_t e = s.n_embd, kv = static_cast<uint64_t>(s.n_head_kv) * s.head_dim(), ff = s.n_ff;
  auto w = [&](uint64_t cols, uint64_t rows) { return RowBytes(s.type, cols) * rows; };
  uint64_t layer = w(e, e) * 2 + w(e, kv) * 2 + w(e, ff) * 2 + w(ff, e) + 4 * 2 * e;
  if (s.qkv_bias) layer += 4 * (e + 2 * kv);
  uint64_t total = layer * s.n_layer + 4 * e + w(e, n_vocab);
  if (!s.tied_embeddings) total += w(e, n_vocab);
  if (s.rope_scaling_factor > 0) total += 4 * (s.head_dim() / 2);
  return total;
}

void ValidateSpec(const ModelSpec& s) {
  auto fail = [](const std::string& why) { throw Error(kExitUsage, "invalid model shape: " + why); };
  if (s.architecture != "llama" && s.architecture != "qwen2") fail("architecture must be llama or qwen2");
  if (s.n_layer < 1 || s.n_layer > 512) fail("n_layer must be 1..512");
  if (s.n_embd < 1 || s.n_head < 1 || s.n_head_kv < 1 || s.n_ff < 1) fail("sizes must be positive");
  if (s.n_embd % s.n_head != 0) fail("n_embd must be a multiple of n_head");
  if (s.n_head % s.n_head_kv != 0) fail("n_head must be a multiple of n_head_kv");
  if (s.head_dim() % 2 != 0) fail("head dimension (n_embd / n_head) must be even for RoPE");
  if (s.n_ctx_train < 1) fail("context length must be positive");
  if (s.qkv_bias && s.architecture != "qwen2") fail("qkv_bias needs architecture qwen2");
  if (IsQuantized(s.type) && (s.n_embd % 32 != 0 || s.n_ff % 32 != 0)) {
    fail(std::string(WeightTypeName(s.type)) + " needs n_embd and n_ff to be multiples of 32");
  }
  if (s.vocab_path.empty()) fail("no vocab GGUF given");
}

}  // namespace scale::testmodel
