#include "engine/context_fit.h"

#include <algorithm>

#include "util/log.h"

namespace scale::engine {

std::optional<int> FitMaxTokens(int prompt_tokens, int requested, int context_size, int min_tokens) {
  int room = context_size - prompt_tokens;
  if (room < std::max(min_tokens, 1)) return std::nullopt;
  return std::min(requested, room);
}

bool ShrinkToFit(Llm& llm, Request* request, int min_tokens) {
  int prompt = llm.CountPromptTokens(request->messages);
  int requested = request->sampling.max_tokens;
  std::optional<int> fit = FitMaxTokens(prompt, requested, llm.ContextSize(), min_tokens);
  if (!fit) return false;
  if (*fit < requested) {
    LogVerbose((request->id.empty() ? std::string("request") : request->id) + ": answer budget lowered from " +
               std::to_string(requested) + " to " + std::to_string(*fit) + " tokens to fit the " +
               std::to_string(llm.ContextSize()) + "-token context (prompt is " + std::to_string(prompt) +
               " tokens)");
  }
  request->sampling.max_tokens = *fit;
  return true;
}

std::string ContextFullMessage(int prompt_tokens, int max_tokens, int context_size) {
  return "prompt (" + std::to_string(prompt_tokens) + " tokens) + answer budget (" + std::to_string(max_tokens) +
         " tokens) exceeds the context of " + std::to_string(context_size) +
         " tokens per sequence; raise --ctx-size, lower --max-tokens or shorten the input";
}

}  // namespace scale::engine
