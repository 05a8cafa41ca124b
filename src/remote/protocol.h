// The OpenAI-compatible wire format that llama-server, vLLM, Ollama and hosted APIs share:
// request bodies for /v1/chat/completions and /v1/completions, and a parser for their answers,
// streamed (server-sent events) or whole. Plain functions over text; no I/O.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "engine/llm.h"

namespace scale::remote {

enum class Api { kChat, kCompletion };

const char* RoleName(engine::Role role);  // "system", "user", "assistant": the wire's role names

// The JSON body. Chat sends the messages (the server applies its chat template); completion
// sends `prompt` (already formatted by the caller). Sampling is passed through: temperature 0
// means greedy; seed, max_tokens and stop always; top_p/top_k/min_p/repeat_penalty only where
// they are not off, so strict hosted APIs that reject unknown fields still accept greedy requests.
std::string RequestBody(Api api, const engine::Request& request, const std::string& model, const std::string& prompt,
                        const std::vector<std::string>& stop, bool stream, bool cache_prompt = true);

// What an answer said, filled as it arrives.
struct Answer {
  std::string text;
  std::string finish_reason;  // "stop", "length", ... ("" until the server said one)
  bool saw_done = false;      // the stream's "data: [DONE]"
  int prompt_tokens = -1, cached_tokens = -1, completion_tokens = -1;  // -1: not reported
  std::string error;          // a malformed event or an error object in the stream
  // An answer may be used only when the server said how it ended: a stream cut short (no
  // finish_reason) holds a truncated text.
  bool complete() const { return error.empty() && !finish_reason.empty(); }
};

// Reads a streamed answer chunk by chunk (chunks may split lines anywhere). `on_piece` gets each
// new piece of text; its false return stops the parser (Feed returns false from then on).
class StreamParser {
 public:
  explicit StreamParser(std::function<bool(std::string_view)> on_piece = {}) : on_piece_(std::move(on_piece)) {}
  bool Feed(std::string_view bytes);  // false once stopped by on_piece or a malformed event
  // Call at the end of the body: a last event without its blank line is still read.
  void Finish();
  const Answer& answer() const { return answer_; }

 private:
  bool Event(std::string_view data);
  std::function<bool(std::string_view)> on_piece_;
  std::string pending_;
  Answer answer_;
  bool stopped_ = false;
};

// A whole (non-streamed) JSON answer of either API.
Answer ParseWhole(std::string_view body);

// The "message" of an OpenAI-style error body ({"error":{"message":...}}), else the body's first
// 200 bytes, one line.
std::string ErrorMessage(std::string_view body);

// Fills usage fields from a JSON "usage" object (shared by both parsers; exposed for tests).
void ReadUsage(const std::string& usage_json, Answer* answer);

}  // namespace scale::remote
