// One HTTP exchange with an inference server over libcurl: a JSON POST (or GET) whose answer
// body is handed over as it arrives, so a streamed answer is read token by token.
//
// Separate from models/http.h (the Hub client) on purpose: API calls follow no redirects (a
// server that redirects a POST is misconfigured, and the API key must reach only the host the
// user named), and they need cancellation and a per-request time limit rather than resumable files.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace scale::remote {

struct HttpCall {
  std::string url;
  std::string body;                  // POSTed when not empty, else GET
  std::vector<std::string> headers;  // "Name: value"
  double connect_timeout_s = 10;
  double time_limit_s = 0;           // whole exchange; 0 = none
  double stall_timeout_s = 120;      // under 1 byte/s for this long: abandoned
  // Called with each piece of a 2xx body; return false to stop reading (the call ends cancelled).
  // Not called for other statuses: their body (at most 64 KiB) is in HttpResult::body.
  std::function<bool(std::string_view)> on_data;
  const volatile bool* cancel = nullptr;  // polled while waiting; true ends the call
};

struct HttpResult {
  long status = 0;           // 0: no response (see error)
  std::string body;          // non-2xx bodies, and 2xx bodies when there is no on_data
  std::string retry_after;   // the Retry-After header, as sent
  std::string content_type;
  std::string error;         // transport failure (refused, reset, timeout ...); "" when none
  bool timed_out = false;    // time_limit_s or the stall limit ended it
  bool cancelled = false;    // `cancel` or on_data ended it
  bool connected = false;    // a TCP connection was made (a refusal is safe to send elsewhere)
};

HttpResult Perform(const HttpCall& call);

}  // namespace scale::remote
