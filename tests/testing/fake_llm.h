// A scripted stand-in for a language model, for unit tests only (lives in tests/, never linked
// into scale): it answers each request with whatever the script function returns and counts
// "tokens" as bytes/4 rounded up. Tests that use it are unit tests of the code around the model,
// and say so; anything about real generation is tested through LlamaEngine on a real GGUF.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "engine/llm.h"

namespace scale::engine {

class FakeLlm : public Llm {
 public:
  using Script = std::function<std::string(const Request&)>;
  explicit FakeLlm(Script script, int context_size = 4096)
      : script_(std::move(script)), context_size_(context_size) {}

  Response Complete(const Request& request) override;
  int CountTokens(std::string_view text) override { return static_cast<int>((text.size() + 3) / 4); }
  int CountPromptTokens(const std::vector<Message>& messages) override;
  int ContextSize() const override { return context_size_; }
  std::string Fingerprint() const override { return "fake"; }

  // Every request seen, in the order answered (for asserting prompt contents and order).
  std::vector<Request> requests() const;

 private:
  Script script_;
  int context_size_;
  mutable std::mutex mutex_;
  std::vector<Request> requests_;
};

}  // namespace scale::engine
