// One try of one request against one server, and what to do next: use the answer, give up, try
// again (here or elsewhere), or switch the server to the raw completion API.
#pragma once

#include <string>

#include "engine/chat_format.h"
#include "engine/llm.h"
#include "remote/protocol.h"

namespace scale::remote {

// A server as one attempt needs it (a copy: attempts run on their own threads).
struct Target {
  std::string url;          // root, no trailing '/'
  std::string auth_header;  // "Authorization: Bearer ..." or ""
  std::string model;
  Api api = Api::kChat;
  engine::ChatFormat format = engine::ChatFormat::kChatML;  // for Api::kCompletion
  double time_limit_s = 0;  // the server's limit, when the request has none
  bool cache_prompt = true; // llama-server's prompt cache (off only to measure without it)
};

enum class Verdict {
  kAnswer,         // complete answer (stop or length), or a cancelled/timed-out one: final
  kFinal,          // an error no retry can mend (400, 401, context full): final
  kRetry,          // connection error, 429, 5xx, cut or malformed stream: nothing used
  kUseCompletion,  // the server has no chat endpoint: send it again as a raw completion
};

struct AttemptResult {
  engine::Response response;
  Verdict verdict = Verdict::kFinal;
  double retry_after_s = -1;  // the server's Retry-After, seconds
  bool server_fault = false;  // counts against the server's circuit (not a 429 or our error)
  size_t prompt_bytes = 0;    // bytes of what was sent as the prompt (token estimates learn from it)
};

// The prompt a raw completion sends: the messages in `format`, ending with the assistant opener.
std::string CompletionPrompt(const Target& target, const engine::Request& request);

// Sends `request` once. Never throws. `cancel` (the Llm's flag) ends it as kCancelled. When the
// request streams (on_piece), pieces go out as they come; an attempt that fails after some went
// out is final (a retry would repeat them).
AttemptResult SendOnce(const Target& target, const engine::Request& request, const volatile bool* cancel);

// `text` with every occurrence of `secret` replaced by "***" (error bodies may echo headers).
std::string Redacted(std::string text, const std::string& secret);

}  // namespace scale::remote
