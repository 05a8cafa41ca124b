#include "remote/attempt.h"

#include <chrono>
#include <ctime>

#include "remote/health.h"
#include "remote/transport.h"

namespace scale::remote {
namespace {

constexpr size_t kMaxAnswerBytes = 16 << 20;

bool LooksLikeContextFull(const std::string& message) {
  for (const char* needle : {"context size", "context length", "context_length", "maximum context", "exceed_context",
                             "too many tokens", "n_ctx"}) {
    if (message.find(needle) != std::string::npos) return true;
  }
  return false;
}

engine::Response Failure(engine::FinishReason finish, std::string error) {
  engine::Response r;
  r.finish = finish;
  r.error = std::move(error);
  return r;
}

}  // namespace

std::string Redacted(std::string text, const std::string& secret) {
  if (secret.size() < 4) return text;  // never redact so short a string that it would mangle text
  for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
    text.replace(at, secret.size(), "***");
  }
  return text;
}

std::string CompletionPrompt(const Target& target, const engine::Request& request) {
  return engine::FormatMessages(target.format, request.messages);
}

AttemptResult SendOnce(const Target& target, const engine::Request& request, const volatile bool* cancel) {
  AttemptResult out;
  const auto start = std::chrono::steady_clock::now();
  const std::string secret = target.auth_header.empty() ? "" : target.auth_header.substr(target.auth_header.rfind(' ') + 1);
  const std::string where = target.url + ": ";

  std::vector<std::string> stop = request.stop;
  std::string prompt;
  if (target.api == Api::kCompletion) {
    prompt = CompletionPrompt(target, request);
    for (const std::string& s : engine::StopStringsFor(target.format)) stop.push_back(s);
    out.prompt_bytes = prompt.size();
  } else {
    for (const engine::Message& m : request.messages) out.prompt_bytes += m.content.size();
  }
  HttpCall call;
  call.url = target.url + (target.api == Api::kChat ? "/v1/chat/completions" : "/v1/completions");
  call.body = RequestBody(target.api, request, target.model, prompt, stop, /*stream=*/true, target.cache_prompt);
  if (!target.auth_header.empty()) call.headers.push_back(target.auth_header);
  call.headers.push_back("Accept: text/event-stream");
  call.time_limit_s = request.time_limit_s > 0 ? request.time_limit_s : target.time_limit_s;
  call.cancel = cancel;

  bool streamed = false;
  bool too_large = false;
  std::string raw;  // the body as sent, for servers that answer a stream request with one JSON
  StreamParser parser([&](std::string_view piece) {
    if (!request.on_piece) return true;
    streamed = true;
    return request.on_piece(piece);
  });
  call.on_data = [&](std::string_view bytes) {
    if (raw.size() + bytes.size() > kMaxAnswerBytes) {
      too_large = true;
      return false;
    }
    raw.append(bytes);
    parser.Feed(bytes);
    return true;
  };
  HttpResult http = Perform(call);
  parser.Finish();
  out.response.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  Answer answer = parser.answer();
  const bool got_events = !answer.text.empty() || !answer.finish_reason.empty() || answer.saw_done || !answer.error.empty();
  if (!got_events && http.status >= 200 && http.status < 300 && !raw.empty() && raw.find_first_not_of(" \r\n\t") != std::string::npos &&
      raw[raw.find_first_not_of(" \r\n\t")] == '{') {
    answer = ParseWhole(raw);  // the server ignored "stream": one JSON answer
  }
  out.response.text = answer.text;
  out.response.prompt_tokens = std::max(0, answer.prompt_tokens);
  out.response.cached_prompt_tokens = std::max(0, answer.cached_tokens);
  out.response.completion_tokens = std::max(0, answer.completion_tokens);

  const bool user_cancel = cancel != nullptr && *cancel;
  if (http.cancelled && (user_cancel || (request.on_piece && !too_large))) {
    out.response.finish = engine::FinishReason::kCancelled;
    out.verdict = Verdict::kAnswer;
    return out;
  }
  if (http.timed_out && call.time_limit_s > 0 &&
      out.response.seconds + 0.05 >= call.time_limit_s) {
    out.response.finish = engine::FinishReason::kTimeout;
    out.response.error = "time limit of " + std::to_string(static_cast<int>(call.time_limit_s)) + " s reached";
    out.verdict = Verdict::kAnswer;
    return out;
  }
  auto retry_or_final = [&](std::string error, bool fault) {
    out.response = Failure(engine::FinishReason::kError, Redacted(where + error, secret));
    // Pieces already shown cannot be taken back: a retry would show them twice.
    out.verdict = streamed ? Verdict::kFinal : Verdict::kRetry;
    out.server_fault = fault;
    return out;
  };
  if (too_large) return retry_or_final("the answer is larger than 16 MiB", true);
  if (http.status == 0) return retry_or_final(http.error.empty() ? "no response" : http.error, true);
  if (http.status == 429 || http.status >= 500) {
    struct timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    out.retry_after_s = ParseRetryAfter(http.retry_after, static_cast<double>(now.tv_sec));
    const std::string message = ErrorMessage(http.body);
    return retry_or_final("HTTP " + std::to_string(http.status) + (message.empty() ? "" : ": " + message),
                          http.status != 429);
  }
  if (http.status == 404 && target.api == Api::kChat) {
    out.verdict = Verdict::kUseCompletion;
    out.response = Failure(engine::FinishReason::kError, where + "no /v1/chat/completions (HTTP 404)");
    return out;
  }
  if (http.status < 200 || http.status >= 300) {
    const std::string message = Redacted(ErrorMessage(http.body), secret);
    const bool full = http.status == 400 && LooksLikeContextFull(message);
    out.response = Failure(full ? engine::FinishReason::kContextFull : engine::FinishReason::kError,
                           where + "HTTP " + std::to_string(http.status) + (message.empty() ? "" : ": " + message));
    out.verdict = Verdict::kFinal;
    return out;
  }
  if (!http.error.empty() && !answer.complete()) return retry_or_final(http.error, true);
  if (!answer.error.empty()) return retry_or_final(answer.error, true);
  if (!answer.complete()) {
    return retry_or_final("the answer ended before the server said it was finished (" + std::to_string(answer.text.size()) +
                              " bytes received)", true);
  }
  out.response.finish = answer.finish_reason == "length" ? engine::FinishReason::kLength : engine::FinishReason::kStop;
  out.verdict = Verdict::kAnswer;
  return out;
}

}  // namespace scale::remote
