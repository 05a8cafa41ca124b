#include "lsp/channel.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

namespace scale::lsp {

struct Channel::State {
  int in_fd = 0, out_fd = 1;
  std::mutex write_mu;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Received> queue;
  std::set<std::string> cancelled;  // ids (as dumped JSON) of cancelled requests
  std::string current;              // id of the request being worked on, "" if none
  std::function<void()> on_cancel;
  std::string progress_token;
  std::map<std::string, std::optional<nlohmann::json>> replies;  // awaited ids -> reply once here
  int next_id = 1;

  void Cancel(const std::string& key) {
    std::function<void()> f;
    {
      std::lock_guard<std::mutex> lock(mu);
      cancelled.insert(key);
      if (key == current) f = on_cancel;
      cv.notify_all();
    }
    if (f) f();
  }

  // On the reader thread: what must not wait for the main loop is handled here.
  void Take(Received r) {
    const Incoming& m = r.message;
    if (r.problem.empty() && !r.end) {
      if (m.kind == Incoming::kNotification && m.method == "$/cancelRequest") {
        if (m.params.is_object() && m.params.contains("id")) Cancel(m.params["id"].dump());
        return;
      }
      if (m.kind == Incoming::kNotification && m.method == "window/workDoneProgress/cancel") {
        std::string key;
        {
          std::lock_guard<std::mutex> lock(mu);
          if (m.params.is_object() && m.params.value("token", nlohmann::json()).is_string() &&
              m.params["token"].get<std::string>() == progress_token && !progress_token.empty()) {
            key = current;
          }
        }
        if (!key.empty()) Cancel(key);
        return;
      }
      if (m.kind == Incoming::kResponse) {
        std::lock_guard<std::mutex> lock(mu);
        auto it = replies.find(m.id.dump());
        if (it != replies.end()) {
          it->second = m.body;
          cv.notify_all();
        }
        return;
      }
    }
    std::lock_guard<std::mutex> lock(mu);
    queue.push_back(std::move(r));
    cv.notify_all();
  }
};

Channel::Channel(int in_fd, int out_fd) : state_(std::make_shared<State>()) {
  state_->in_fd = in_fd;
  state_->out_fd = out_fd;
  std::thread([s = state_]() {
    FrameReader reader([fd = s->in_fd](char* buf, size_t size) -> long {
      for (;;) {
        ssize_t n = read(fd, buf, size);
        if (n < 0 && errno == EINTR) continue;
        return static_cast<long>(n);
      }
    });
    for (;;) {
      FrameReader::Frame f = reader.Next();
      Received r;
      if (f.end) {
        r.end = true;
        s->Take(std::move(r));
        return;
      }
      if (!f.problem.empty()) {
        r.problem = f.problem;
      } else {
        nlohmann::json body = nlohmann::json::parse(f.body, nullptr, false);
        if (body.is_discarded()) r.problem = "the body is not valid JSON";
        else r.message = Classify(std::move(body));
      }
      s->Take(std::move(r));
    }
  }).detach();
}

void Channel::Send(const nlohmann::json& message) {
  const std::string data = Frame(message);
  std::lock_guard<std::mutex> lock(state_->write_mu);
  size_t at = 0;
  while (at < data.size()) {
    ssize_t n = write(state_->out_fd, data.data() + at, data.size() - at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the client is gone; the end of its input ends the loop
    at += static_cast<size_t>(n);
  }
}

Received Channel::Pop() {
  std::unique_lock<std::mutex> lock(state_->mu);
  state_->cv.wait(lock, [this] { return !state_->queue.empty(); });
  Received r = std::move(state_->queue.front());
  if (!r.end) state_->queue.pop_front();  // the end stays: every later Pop sees it too
  return r;
}

void Channel::SetCurrent(const nlohmann::json& id, std::function<void()> on_cancel) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->current = id.dump();
  state_->on_cancel = std::move(on_cancel);
}

void Channel::ClearCurrent() {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->current.clear();
  state_->on_cancel = nullptr;
  state_->progress_token.clear();
}

bool Channel::TakeCancelled(const nlohmann::json& id) {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->cancelled.erase(id.dump()) > 0;
}

void Channel::SetProgressToken(const std::string& token) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->progress_token = token;
}

std::optional<nlohmann::json> Channel::Call(const std::string& method, nlohmann::json params, int timeout_ms) {
  std::string id;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    id = "scale-" + std::to_string(state_->next_id++);
    state_->replies[nlohmann::json(id).dump()] = std::nullopt;
  }
  Send(Request(id, method, std::move(params)));
  std::unique_lock<std::mutex> lock(state_->mu);
  const std::string key = nlohmann::json(id).dump();
  state_->cv.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                      [&] {
                        return state_->replies[key].has_value() ||
                               (!state_->current.empty() && state_->cancelled.count(state_->current) > 0);
                      });
  std::optional<nlohmann::json> reply = state_->replies[key];
  state_->replies.erase(key);
  return reply;
}

void Channel::CallAsync(const std::string& method, nlohmann::json params) {
  std::string id;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    id = "scale-" + std::to_string(state_->next_id++);
  }
  Send(Request(id, method, std::move(params)));
}

bool Channel::Queued(const std::string& method, const std::string& uri) {
  std::lock_guard<std::mutex> lock(state_->mu);
  for (const auto& r : state_->queue) {
    const Incoming& m = r.message;
    if (r.end || !r.problem.empty() || m.method != method || !m.params.is_object()) continue;
    const auto& doc = m.params.value("textDocument", nlohmann::json::object());
    if (doc.is_object() && doc.value("uri", "") == uri) return true;
  }
  return false;
}

}  // namespace scale::lsp
