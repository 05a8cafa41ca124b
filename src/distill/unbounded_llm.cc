#include "distill/unbounded_llm.h"

#include <algorithm>

namespace scale::distill {

engine::Response UnboundedLlm::Complete(const engine::Request&) {
  engine::Response r;
  r.finish = engine::FinishReason::kError;
  r.error = "scale distill --harvest runs no model";
  return r;
}

int UnboundedLlm::CountPromptTokens(const std::vector<engine::Message>& messages) {
  size_t n = 0;
  for (const auto& m : messages) n += m.content.size();
  return static_cast<int>(std::min<size_t>(n, kContext / 2));
}

}  // namespace scale::distill
