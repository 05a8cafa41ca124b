// The server's side of the wire: a reader thread that frames and classifies incoming messages into
// a queue, and a locked writer. Cancellation ($/cancelRequest, window/workDoneProgress/cancel)
// and replies to the server's own requests are taken by the reader at once, so they reach a
// request that is busy generating.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "lsp/jsonrpc.h"

namespace scale::lsp {

struct Received {
  bool end = false;        // input ended
  std::string problem;     // a frame or JSON that could not be read: answer with a ParseError
  Incoming message;        // otherwise
};

class Channel {
 public:
  Channel(int in_fd, int out_fd);  // starts the reader thread (detached: it may block in read)
  void Send(const nlohmann::json& message);

  Received Pop();  // blocks until a message arrives

  // The request being worked on now; `on_cancel` runs (on the reader thread) when it is cancelled.
  void SetCurrent(const nlohmann::json& id, std::function<void()> on_cancel);
  void ClearCurrent();
  // Whether request `id` was cancelled (before or while it ran); forgets it.
  bool TakeCancelled(const nlohmann::json& id);
  // Progress token of the current work: window/workDoneProgress/cancel for it counts as a cancel.
  void SetProgressToken(const std::string& token);

  // Sends a request and waits up to `timeout_ms` for the reply ({"result"} or {"error"}); nullopt
  // on timeout. The id is the channel's own ("scale-N").
  std::optional<nlohmann::json> Call(const std::string& method, nlohmann::json params, int timeout_ms);
  // Sends a request and does not wait (its reply is dropped).
  void CallAsync(const std::string& method, nlohmann::json params);

  // Whether a queued, not yet handled notification `method` is about `uri` (textDocument.uri).
  bool Queued(const std::string& method, const std::string& uri);

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace scale::lsp
