// TEST-ONLY (tests/testing, never linked into scale): a scripted OpenAI-compatible server on 127.0.0.1
// (ephemeral port, own threads, stopped in the destructor) that speaks llama-server's wire format and can
// produce the failures a real server cannot: HTTP errors with Retry-After, malformed JSON, truncated
// streams, slow drips, hangs. Every request is recorded (thread-safe) for assertions.
//
// Endpoints: POST /v1/chat/completions, POST /v1/completions (both also with "stream": true, SSE exactly as
// llama-server sends it), POST /tokenize, POST /apply-template, GET /props, GET /v1/models, GET /health.
// Token rule (used by /tokenize and by default usage numbers): one token per 4 bytes of text, rounded up.
// /apply-template renders ChatML ("<|im_start|>role\ncontent<|im_end|>\n" ..., then "<|im_start|>assistant\n").
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace scale::testing {

class OpenAIStub {
 public:
  // One request as it arrived.
  struct Request {
    int seq = 0;  // arrival order, 0-based, over all paths
    std::string method, path, body;
    std::vector<std::pair<std::string, std::string>> headers;  // as sent (httplib's REMOTE_*/LOCAL_* dropped)
    nlohmann::json json;                                     // body parsed; null when it is not JSON
    // Value of a header, case-insensitive; "" when absent.
    std::string header(const std::string& name) const;
  };

  struct Usage {  // < 0: derived (prompt: token rule on the prompt; completion: number of pieces)
    int prompt_tokens = -1;
    int completion_tokens = -1;
    int cached_tokens = 0;
  };

  // What one request gets. Build with the factories below; fields may be combined (e.g. Drip + Truncated).
  struct Action {
    // Completion endpoints: the answer. `pieces` are the stream's content chunks (empty: the text split
    // after each run of whitespace, so "a b" -> "a ", "b"); non-streaming replies carry `text` whole.
    std::string text;
    std::vector<std::string> pieces;
    std::string finish = "stop";  // "stop" | "length"
    Usage usage;
    // A raw reply instead of the endpoint's own answer: `status` with `body` verbatim (application/json).
    bool raw = false;
    int status = 200;
    std::string body;
    std::string retry_after;  // non-empty: sent as a Retry-After header (raw replies)
    // Failure shapes of an answer. truncate_after >= 0: a stream closes the connection after that many
    // content chunks (no finish_reason, no [DONE]); a non-streaming reply sends Content-Length of the whole
    // body but only its first half, then closes.
    int truncate_after = -1;
    std::chrono::milliseconds delay{0};  // > 0: pause before each SSE event (non-stream: each 16 body bytes)
    bool hang = false;                   // hold the request until Release() or the stub stops, then go on
    // Set: the action is respond(request), evaluated when the request arrives (routing checks, echoes).
    std::function<Action(const Request&)> respond;
  };

  static Action Answer(std::string text, std::string finish = "stop");
  static Action Answer(std::string text, std::string finish, Usage usage);
  // An HTTP error; an empty body becomes an OpenAI-style {"error":{...}} object.
  static Action Status(int status, std::string retry_after = "", std::string body = "");
  static Action Malformed(std::string body = R"({"choices":[{"message":{"content":"cut)");
  static Action Raw(int status, std::string body);  // any verbatim reply, e.g. a custom /props
  static Action Truncated(std::string text, int after_chunks);
  static Action Drip(std::string text, std::chrono::milliseconds delay);
  static Action Hang();  // after Release(): answers "" (finish "stop")
  static Action Respond(std::function<Action(const Request&)> fn);

  struct Options {
    std::string model = "m";   // "model" in replies and /v1/models
    int n_ctx = 4096;          // /props default_generation_settings.n_ctx (per slot, as llama-server)
    int total_slots = 1;       // /props total_slots
    bool chat = true;          // false: /v1/chat/completions answers 404
    bool tokenize = true;      // false: /tokenize answers 404
    bool apply_template = true;  // false: /apply-template answers 404
  };

  OpenAIStub();
  explicit OpenAIStub(Options options);
  ~OpenAIStub();  // wakes hanging and dripping handlers, stops the server, joins its threads
  OpenAIStub(const OpenAIStub&) = delete;
  OpenAIStub& operator=(const OpenAIStub&) = delete;

  int port() const;
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }

  // Completion requests (chat and completions share one queue, in arrival order) take the next scripted
  // action, else the default (Answer("ok") until set).
  void Script(Action action);
  void SetDefault(Action action);
  // A queue for one exact path, consulted before everything else (e.g. "/health" -> Status(503)). On
  // the non-completion endpoints only raw replies and hangs change anything; other actions give the
  // endpoint's normal answer.
  void ScriptPath(const std::string& path, Action action);
  // Lets every request that is hanging now go on.
  void Release();

  std::vector<Request> requests() const;
  std::vector<Request> requests(const std::string& path) const;
  // Blocks until at least n requests have arrived (any path) or the timeout passes; false on timeout.
  bool WaitForRequests(size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

  // The token rule: ceil(bytes / 4), at least 1 for non-empty text.
  static int CountTokens(const std::string& text);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace scale::testing
