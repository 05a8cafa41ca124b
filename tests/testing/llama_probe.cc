#include "testing/llama_probe.h"

#include <cstdio>
#include <mutex>

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

ModelPtr LoadModelQuietly(const std::string& path) {
  InitOnce();
  llama_model_params params = llama_model_default_params();
  params.n_gpu_layers = 0;
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

}  // namespace scale::testing
