#include "testing/llama_probe.h"

#include <cmath>
#include <cstdio>
#include <mutex>

#include "ggml.h"
#include "gguf.h"

namespace scale::testing {
namespace {

void QuietLog(ggml_log_level level, const char* text, void*) {
  if (level == GGML_LOG_LEVEL_ERROR) std::fputs(text, stderr);
}

void InitOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    llama_log_set(QuietLog, nullptr);
    llama_backend_init();
  });
}

}  // namespace

ModelPtr LoadModelQuietly(const std::string& path, bool repack) {
  InitOnce();
  llama_model_params params = llama_model_default_params();
  params.n_gpu_layers = 0;
  params.use_extra_bufts = repack;
  return ModelPtr(llama_model_load_from_file(path.c_str(), params));
}

std::vector<llama_token> GreedyTokens(llama_model* model, const std::string& prompt, int n_tokens,
                                      llama_adapter_lora* lora) {
  InitOnce();
  const llama_vocab* vocab = llama_model_get_vocab(model);
  std::vector<llama_token> tokens(prompt.size() + 8);
  int n = llama_tokenize(vocab, prompt.data(), static_cast<int32_t>(prompt.size()), tokens.data(),
                         static_cast<int32_t>(tokens.size()), /*add_special=*/true, /*parse_special=*/true);
  if (n <= 0) return {};
  tokens.resize(static_cast<size_t>(n));

  llama_context_params cp = llama_context_default_params();
  cp.n_ctx = 256;
  cp.n_batch = 256;
  cp.n_threads = 1;  // a fixed thread count keeps float reductions (and so argmax ties) stable
  cp.n_threads_batch = 1;
  std::unique_ptr<llama_context, void (*)(llama_context*)> ctx(llama_init_from_model(model, cp), llama_free);
  if (!ctx) return {};
  if (lora) {
    float scale = 1.0f;
    if (llama_set_adapters_lora(ctx.get(), &lora, 1, &scale) != 0) return {};
  }
  std::unique_ptr<llama_sampler, void (*)(llama_sampler*)> sampler(llama_sampler_init_greedy(), llama_sampler_free);

  std::vector<llama_token> out;
  llama_batch batch = llama_batch_get_one(tokens.data(), static_cast<int32_t>(tokens.size()));
  llama_token next = 0;
  for (int i = 0; i < n_tokens; ++i) {
    if (llama_decode(ctx.get(), batch) != 0) return {};
    next = llama_sampler_sample(sampler.get(), ctx.get(), -1);
    out.push_back(next);
    batch = llama_batch_get_one(&next, 1);
  }
  return out;
}

std::vector<float> AllLogits(llama_model* model, const std::vector<llama_token>& tokens, llama_adapter_lora* lora,
                             float lora_scale, int threads) {
  InitOnce();
  llama_context_params cp = llama_context_default_params();
  cp.n_ctx = static_cast<uint32_t>(tokens.size() < 64 ? 64 : tokens.size());
  cp.n_batch = cp.n_ctx;
  cp.n_ubatch = cp.n_ctx;
  cp.n_threads = threads;
  cp.n_threads_batch = threads;
  cp.type_k = GGML_TYPE_F32;
  cp.type_v = GGML_TYPE_F32;
  cp.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
  std::unique_ptr<llama_context, void (*)(llama_context*)> ctx(llama_init_from_model(model, cp), llama_free);
  if (!ctx) return {};
  if (lora && llama_set_adapters_lora(ctx.get(), &lora, 1, &lora_scale) != 0) return {};
  llama_batch batch = llama_batch_init(static_cast<int32_t>(tokens.size()), 0, 1);
  for (size_t i = 0; i < tokens.size(); ++i) {
    batch.token[i] = tokens[i];
    batch.pos[i] = static_cast<llama_pos>(i);
    batch.n_seq_id[i] = 1;
    batch.seq_id[i][0] = 0;
    batch.logits[i] = 1;
  }
  batch.n_tokens = static_cast<int32_t>(tokens.size());
  std::vector<float> out;
  if (llama_decode(ctx.get(), batch) == 0) {
    const int n_vocab = llama_vocab_n_tokens(llama_model_get_vocab(model));
    for (size_t i = 0; i < tokens.size(); ++i) {
      const float* row = llama_get_logits_ith(ctx.get(), static_cast<int32_t>(i));
      out.insert(out.end(), row, row + n_vocab);
    }
  }
  llama_batch_free(batch);
  return out;
}

std::string TokensToText(llama_model* model, const std::vector<llama_token>& tokens) {
  const llama_vocab* vocab = llama_model_get_vocab(model);
  std::string text;
  char buf[256];
  for (llama_token t : tokens) {
    int n = llama_token_to_piece(vocab, t, buf, sizeof(buf), 0, /*special=*/true);
    if (n > 0) text.append(buf, static_cast<size_t>(n));
  }
  return text;
}

int64_t NonFiniteF32Values(const std::string& path, int64_t* values) {
  ggml_context* ctx = nullptr;
  gguf_init_params p = {/*no_alloc=*/false, &ctx};
  gguf_context* g = gguf_init_from_file(path.c_str(), p);
  if (g == nullptr) return -1;
  int64_t bad = 0;
  *values = 0;
  for (int64_t k = 0; k < gguf_get_n_tensors(g) && bad >= 0; ++k) {
    ggml_tensor* t = ggml_get_tensor(ctx, gguf_get_tensor_name(g, k));
    if (t == nullptr || t->type != GGML_TYPE_F32) {
      bad = -1;
      break;
    }
    const float* d = static_cast<const float*>(t->data);
    for (int64_t i = 0; i < ggml_nelements(t); ++i, ++*values) bad += std::isfinite(d[i]) ? 0 : 1;
  }
  gguf_free(g);
  ggml_free(ctx);
  return bad;
}

}  // namespace scale::testing
