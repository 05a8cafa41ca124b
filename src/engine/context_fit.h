// Fitting a request into the per-sequence context: the engine refuses (kContextFull) rather than
// truncate; callers that can live with a shorter answer shrink max_tokens first with these.
#pragma once

#include <optional>
#include <string>

#include "engine/llm.h"

namespace scale::engine {

// The answer budget that fits: min(requested, context_size - prompt_tokens), or nullopt when
// fewer than min_tokens would remain.
std::optional<int> FitMaxTokens(int prompt_tokens, int requested, int context_size, int min_tokens);

// Counts the request's prompt and lowers request->sampling.max_tokens to fit (LogVerbose says so).
// Returns false, leaving the request unchanged, when fewer than min_tokens would remain.
bool ShrinkToFit(Llm& llm, Request* request, int min_tokens);

// The kContextFull message: which numbers did not fit, and what the user can change.
std::string ContextFullMessage(int prompt_tokens, int max_tokens, int context_size);

}  // namespace scale::engine
