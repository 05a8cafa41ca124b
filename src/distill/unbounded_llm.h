// The engine::Llm that annotate::RoutineMessages sizes prompts with when a harvest has no model:
// an unlimited context, so the routine is shown whole (no elision, summary and examples kept).
// It measures in bytes and answers nothing; rows too long for a model are filtered by length.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/llm.h"

namespace scale::distill {

class UnboundedLlm : public engine::Llm {
 public:
  engine::Response Complete(const engine::Request& request) override;  // always kError: no model
  int CountTokens(std::string_view text) override { return static_cast<int>(text.size()); }
  int CountPromptTokens(const std::vector<engine::Message>& messages) override;
  int ContextSize() const override { return kContext; }
  std::string Fingerprint() const override { return "no-model"; }

 private:
  static constexpr int kContext = 1 << 30;
};

}  // namespace scale::distill
