#include "testing/fake_llm.h"

namespace scale::engine {

Response FakeLlm::Complete(const Request& request) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back(request);
  }
  Response response;
  response.prompt_tokens = CountPromptTokens(request.messages);
  if (response.prompt_tokens + request.sampling.max_tokens > context_size_) {
    response.finish = FinishReason::kContextFull;
    response.error = "prompt does not fit the context";
    return response;
  }
  response.text = script_(request);
  response.completion_tokens = CountTokens(response.text);
  if (request.on_piece && !request.on_piece(response.text)) response.finish = FinishReason::kCancelled;
  return response;
}

int FakeLlm::CountPromptTokens(const std::vector<Message>& messages) {
  int total = 0;
  for (const auto& m : messages) total += CountTokens(m.content) + 4;  // role markers
  return total;
}

std::vector<Request> FakeLlm::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

}  // namespace scale::engine
