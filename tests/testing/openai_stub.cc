#include "testing/openai_stub.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace scale::testing {

using nlohmann::json;

namespace {

constexpr int64_t kCreated = 1700000000;  // fixed, so replies are byte-identical run to run

std::string Lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> SplitPieces(const std::string& text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = i;
    while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j]))) ++j;
    while (j < text.size() && std::isspace(static_cast<unsigned char>(text[j]))) ++j;
    out.push_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string ErrorBody(int status, const std::string& message, const std::string& type) {
  return json{{"error", {{"code", status}, {"message", message}, {"type", type}}}}.dump();
}

std::string ErrorType(int status) {
  switch (status) {
    case 400: return "invalid_request_error";
    case 401: return "authentication_error";
    case 404: return "not_found_error";
    case 429: return "rate_limit_error";
    case 503: return "unavailable_error";
    default: return "server_error";
  }
}

std::string ChatMl(const json& messages) {
  std::string out;
  if (messages.is_array()) {
    for (const auto& m : messages) {
      out += "<|im_start|>" + m.value("role", std::string()) + "\n";
      if (m.contains("content") && m["content"].is_string()) out += m["content"].get<std::string>();
      out += "<|im_end|>\n";
    }
  }
  return out + "<|im_start|>assistant\n";
}

}  // namespace

std::string OpenAIStub::Request::header(const std::string& name) const {
  const std::string want = Lower(name);
  for (const auto& [k, v] : headers) {
    if (Lower(k) == want) return v;
  }
  return "";
}

OpenAIStub::Action OpenAIStub::Answer(std::string text, std::string finish) {
  return Answer(std::move(text), std::move(finish), Usage{});
}

OpenAIStub::Action OpenAIStub::Answer(std::string text, std::string finish, Usage usage) {
  Action a;
  a.text = std::move(text);
  a.finish = std::move(finish);
  a.usage = usage;
  return a;
}

OpenAIStub::Action OpenAIStub::Status(int status, std::string retry_after, std::string body) {
  Action a;
  a.raw = true;
  a.status = status;
  a.retry_after = std::move(retry_after);
  a.body = body.empty() ? ErrorBody(status, "scripted error " + std::to_string(status), ErrorType(status))
                        : std::move(body);
  return a;
}

OpenAIStub::Action OpenAIStub::Malformed(std::string body) { return Raw(200, std::move(body)); }

OpenAIStub::Action OpenAIStub::Raw(int status, std::string body) {
  Action a;
  a.raw = true;
  a.status = status;
  a.body = std::move(body);
  return a;
}

OpenAIStub::Action OpenAIStub::Truncated(std::string text, int after_chunks) {
  Action a = Answer(std::move(text));
  a.truncate_after = after_chunks;
  return a;
}

OpenAIStub::Action OpenAIStub::Drip(std::string text, std::chrono::milliseconds delay) {
  Action a = Answer(std::move(text));
  a.delay = delay;
  return a;
}

OpenAIStub::Action OpenAIStub::Hang() {
  Action a = Answer("");
  a.hang = true;
  return a;
}

OpenAIStub::Action OpenAIStub::Respond(std::function<Action(const Request&)> fn) {
  Action a;
  a.respond = std::move(fn);
  return a;
}

int OpenAIStub::CountTokens(const std::string& text) { return int((text.size() + 3) / 4); }

struct OpenAIStub::Impl {
  Options options;
  httplib::Server server;
  std::thread thread;
  int port = 0;

  mutable std::mutex mu;
  mutable std::condition_variable cv;  // requests arrived, Release(), stopping
  bool stopping = false;
  uint64_t release_gen = 0;
  std::deque<Action> queue;
  std::map<std::string, std::deque<Action>> path_queues;
  Action default_action = Answer("ok");
  std::vector<Request> log;

  // Waits `d` unless the stub stops first; false when it is stopping.
  bool Pause(std::chrono::milliseconds d) {
    std::unique_lock<std::mutex> lock(mu);
    return !cv.wait_for(lock, d, [&] { return stopping; });
  }

  // Records the request and takes its action under one lock, so arrival order is also the order in which
  // actions are handed out. `gen` is the release generation at arrival: a Release() right after
  // WaitForRequests() frees this request. The action is its path's queue, else (completions only) the
  // shared queue or the default. A switched-off endpoint takes nothing, so that a client's fallback
  // request gets the scripted action.
  Request Arrive(const httplib::Request& req, bool enabled, bool completion, uint64_t* gen, Action* action) {
    Request r;
    r.method = req.method;
    r.path = req.path;
    r.body = req.body;
    for (const auto& [k, v] : req.headers) {
      if (k == "REMOTE_ADDR" || k == "REMOTE_PORT" || k == "LOCAL_ADDR" || k == "LOCAL_PORT") continue;
      r.headers.emplace_back(k, v);
    }
    r.json = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (r.json.is_discarded()) r.json = nullptr;
    std::lock_guard<std::mutex> lock(mu);
    r.seq = int(log.size());
    *gen = release_gen;
    log.push_back(r);
    cv.notify_all();
    auto it = path_queues.find(r.path);
    if (!enabled) {
      *action = Action{};
    } else if (it != path_queues.end() && !it->second.empty()) {
      *action = std::move(it->second.front());
      it->second.pop_front();
    } else if (!completion) {
      *action = Action{};
    } else if (!queue.empty()) {
      *action = std::move(queue.front());
      queue.pop_front();
    } else {
      *action = default_action;
    }
    return r;
  }

  // Holds a hanging request; false when the stub is stopping.
  bool HoldIfHanging(const Action& a, uint64_t gen) {
    if (!a.hang) return true;
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return stopping || release_gen != gen; });
    return !stopping;
  }

  // A raw reply; true when `a` was one.
  bool ReplyRaw(const Action& a, httplib::Response& res) {
    if (!a.raw) return false;
    res.status = a.status;
    if (!a.retry_after.empty()) res.set_header("Retry-After", a.retry_after);
    res.set_content(a.body, "application/json");
    return true;
  }

  void Handle(const httplib::Request& req, httplib::Response& res, bool enabled, bool completion,
              const std::function<void(const Request&, const Action&, httplib::Response&)>& answer) {
    uint64_t gen = 0;
    Action a;
    const Request r = Arrive(req, enabled, completion, &gen, &a);
    if (a.respond) a = a.respond(r);
    if (!enabled) {
      res.status = 404;
      res.set_content(ErrorBody(404, "File Not Found", "not_found_error"), "application/json");
      return;
    }
    if (!HoldIfHanging(a, gen)) {
      res.status = 503;
      res.set_content(ErrorBody(503, "stub stopping", "unavailable_error"), "application/json");
      return;
    }
    if (ReplyRaw(a, res)) return;
    answer(r, a, res);
  }

  json UsageJson(const Action& a, const std::string& prompt, size_t n_pieces) const {
    const int prompt_tokens = a.usage.prompt_tokens >= 0 ? a.usage.prompt_tokens : CountTokens(prompt);
    const int completion_tokens = a.usage.completion_tokens >= 0 ? a.usage.completion_tokens : int(n_pieces);
    return {{"completion_tokens", completion_tokens},
            {"prompt_tokens", prompt_tokens},
            {"total_tokens", prompt_tokens + completion_tokens},
            {"prompt_tokens_details", {{"cached_tokens", a.usage.cached_tokens}}}};
  }

  static json Timings(const json& usage) {
    const int cached = usage["prompt_tokens_details"]["cached_tokens"];
    const int prompt = usage["prompt_tokens"];
    return {{"cache_n", cached}, {"prompt_n", prompt - cached}, {"predicted_n", usage["completion_tokens"]}};
  }

  // Sends `body` whole, or dripped / cut short as the action says.
  void SendBody(const Action& a, const std::string& body, httplib::Response& res) {
    if (a.truncate_after < 0 && a.delay.count() == 0) {
      res.set_content(body, "application/json");
      return;
    }
    const size_t limit = a.truncate_after >= 0 ? body.size() / 2 : body.size();
    const size_t step = a.delay.count() > 0 ? 16 : limit;
    res.set_content_provider(body.size(), "application/json",
                             [this, a, body, limit, step](size_t offset, size_t, httplib::DataSink& sink) {
                               if (offset >= limit) return false;  // closes the connection short of the length
                               if (a.delay.count() > 0 && !Pause(a.delay)) return false;
                               const size_t n = std::min(step, limit - offset);
                               return sink.write(body.data() + offset, n);
                             });
  }

  // SSE events one by one; after `truncate_after` content events the connection is dropped.
  void SendStream(const Action& a, std::vector<std::string> head, std::vector<std::string> content,
                  std::vector<std::string> tail, httplib::Response& res) {
    res.set_chunked_content_provider(
        "text/event-stream", [this, a, head, content, tail](size_t, httplib::DataSink& sink) {
          auto send = [&](const std::string& event) {
            if (a.delay.count() > 0 && !Pause(a.delay)) return false;
            const std::string line = "data: " + event + "\n\n";
            return sink.write(line.data(), line.size());
          };
          for (const auto& e : head) {
            if (!send(e)) return false;
          }
          for (size_t i = 0; i < content.size(); ++i) {
            if (a.truncate_after >= 0 && int(i) >= a.truncate_after) return false;
            if (!send(content[i])) return false;
          }
          if (a.truncate_after >= 0 && size_t(a.truncate_after) >= content.size()) return false;
          for (const auto& e : tail) {
            if (!send(e)) return false;
          }
          sink.done();
          return true;
        });
  }

  static std::vector<std::string> Pieces(const Action& a) {
    return a.pieces.empty() ? SplitPieces(a.text) : a.pieces;
  }

  void Chat(const Request& r, const Action& a, httplib::Response& res) {
    const std::string prompt = ChatMl(r.json.is_object() ? r.json.value("messages", json()) : json());
    const auto pieces = Pieces(a);
    const json usage = UsageJson(a, prompt, pieces.size());
    const std::string id = "chatcmpl-stub" + std::to_string(r.seq);
    json base = {{"created", kCreated}, {"id", id}, {"model", options.model}, {"system_fingerprint", "stub"}};
    const bool stream = r.json.is_object() && r.json.value("stream", false);
    if (!stream) {
      json j = base;
      j["choices"] = json::array({{{"finish_reason", a.finish},
                                   {"index", 0},
                                   {"message", {{"role", "assistant"}, {"content", a.text}}}}});
      j["object"] = "chat.completion";
      j["usage"] = usage;
      j["timings"] = Timings(usage);
      return SendBody(a, j.dump(), res);
    }
    base["object"] = "chat.completion.chunk";
    auto chunk = [&](json finish, json delta) {
      json j = base;
      j["choices"] = json::array({{{"finish_reason", finish}, {"index", 0}, {"delta", delta}}});
      return j.dump();
    };
    std::vector<std::string> head = {chunk(nullptr, {{"role", "assistant"}, {"content", nullptr}})};
    std::vector<std::string> content, tail;
    for (const auto& p : pieces) content.push_back(chunk(nullptr, {{"content", p}}));
    tail.push_back(chunk(a.finish, json::object()));
    const json opts = r.json.value("stream_options", json::object());
    if (opts.is_object() && opts.value("include_usage", false)) {
      json j = base;
      j["choices"] = json::array();
      j["usage"] = usage;
      j["timings"] = Timings(usage);
      tail.push_back(j.dump());
    }
    tail.push_back("[DONE]");
    SendStream(a, std::move(head), std::move(content), std::move(tail), res);
  }

  void Completion(const Request& r, const Action& a, httplib::Response& res) {
    std::string prompt;
    if (r.json.is_object() && r.json.contains("prompt") && r.json["prompt"].is_string()) prompt = r.json["prompt"];
    const auto pieces = Pieces(a);
    const json usage = UsageJson(a, prompt, pieces.size());
    const std::string id = "chatcmpl-stub" + std::to_string(r.seq);
    json base = {{"created", kCreated}, {"model", options.model}, {"system_fingerprint", "stub"},
                 {"object", "text_completion"}, {"id", id}};
    auto choice = [](const std::string& text, json finish) {
      return json::array({{{"text", text}, {"index", 0}, {"logprobs", nullptr}, {"finish_reason", finish}}});
    };
    const bool stream = r.json.is_object() && r.json.value("stream", false);
    if (!stream) {
      json j = base;
      j["choices"] = choice(a.text, a.finish);
      j["usage"] = usage;
      j["timings"] = Timings(usage);
      return SendBody(a, j.dump(), res);
    }
    std::vector<std::string> content;
    for (const auto& p : pieces) {
      json j = base;
      j["choices"] = choice(p, nullptr);
      content.push_back(j.dump());
    }
    json last = base;  // llama-server puts usage in the finishing chunk here, include_usage or not
    last["choices"] = choice("", a.finish);
    last["usage"] = usage;
    last["timings"] = Timings(usage);
    SendStream(a, {}, std::move(content), {last.dump(), "[DONE]"}, res);
  }
};

OpenAIStub::OpenAIStub() : OpenAIStub(Options{}) {}

OpenAIStub::OpenAIStub(Options options) : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  s.options = std::move(options);
  // Hanging requests each hold a worker: enough workers that a test's hangs never starve the rest.
  s.server.new_task_queue = [] { return new httplib::ThreadPool(32); };
  // An idle keep-alive connection holds its worker this long after stop(): keep the destructor quick.
  s.server.set_keep_alive_timeout(1);
  s.server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.status == 404 && res.body.empty()) {
      res.set_content(ErrorBody(404, "File Not Found", "not_found_error"), "application/json");
    }
  });

  using HReq = httplib::Request;
  using HRes = httplib::Response;
  s.server.Post("/v1/chat/completions", [&s](const HReq& q, HRes& p) {
    s.Handle(q, p, s.options.chat, true, [&s](const Request& r, const Action& a, HRes& res) { s.Chat(r, a, res); });
  });
  s.server.Post("/v1/completions", [&s](const HReq& q, HRes& p) {
    s.Handle(q, p, true, true, [&s](const Request& r, const Action& a, HRes& res) { s.Completion(r, a, res); });
  });
  s.server.Post("/tokenize", [&s](const HReq& q, HRes& p) {
    s.Handle(q, p, s.options.tokenize, false, [](const Request& r, const Action&, HRes& res) {
      std::string content;
      if (r.json.is_object() && r.json.contains("content") && r.json["content"].is_string()) {
        content = r.json["content"];
      }
      json tokens = json::array();
      for (size_t i = 0; i < content.size(); i += 4) {
        uint32_t h = 2166136261u;  // FNV-1a of the 4-byte piece: same text, same ids
        for (char c : content.substr(i, 4)) h = (h ^ uint8_t(c)) * 16777619u;
        tokens.push_back(int(h % 32000));
      }
      res.set_content(json{{"tokens", tokens}}.dump(), "application/json");
    });
  });
  s.server.Post("/apply-template", [&s](const HReq& q, HRes& p) {
    s.Handle(q, p, s.options.apply_template, false, [](const Request& r, const Action&, HRes& res) {
      if (!r.json.is_object() || !r.json.contains("messages") || !r.json["messages"].is_array()) {
        res.status = 400;
        res.set_content(ErrorBody(400, "Expected 'messages' to be an array", "invalid_request_error"),
                        "application/json");
        return;
      }
      res.set_content(json{{"prompt", ChatMl(r.json["messages"])}}.dump(), "application/json");
    });
  });
  s.server.Get("/props", [&s](const HReq& q, HRes& p) {
    s.Handle(q, p, true, false, [&s](const Request&, const Action&, HRes& res) {
      json j = {{"default_generation_settings", {{"n_ctx", s.options.n_ctx}}},
                {"total_slots", s.options.total_slots},
                {"model_path", s.options.model}};
      res.set_content(j.dump(), "application/json");
    });
  });
  s.server.Get("/v1/models", [&s](const HReq& q, HRes& p) {
    s.Handle(q, p, true, false, [&s](const Request&, const Action&, HRes& res) {
      json j = {{"object", "list"},
                {"data", json::array({{{"id", s.options.model}, {"object", "model"}, {"created", kCreated},
                                       {"owned_by", "llamacpp"}, {"meta", {{"n_ctx", s.options.n_ctx}}}}})}};
      res.set_content(j.dump(), "application/json");
    });
  });
  s.server.Get("/health", [&s](const HReq& q, HRes& p) {
    s.Handle(q, p, true, false, [](const Request&, const Action&, HRes& res) {
      res.set_content(R"({"status":"ok"})", "application/json");
    });
  });

  s.port = s.server.bind_to_any_port("127.0.0.1");
  if (s.port <= 0) throw std::runtime_error("OpenAIStub: cannot bind 127.0.0.1");
  s.thread = std::thread([&s] { s.server.listen_after_bind(); });
  // stop() is a no-op until the listen loop runs, so the destructor must not race its start.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!s.server.is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

OpenAIStub::~OpenAIStub() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

int OpenAIStub::port() const { return impl_->port; }

void OpenAIStub::Script(Action action) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->queue.push_back(std::move(action));
}

void OpenAIStub::SetDefault(Action action) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->default_action = std::move(action);
}

void OpenAIStub::ScriptPath(const std::string& path, Action action) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->path_queues[path].push_back(std::move(action));
}

void OpenAIStub::Release() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    ++impl_->release_gen;
  }
  impl_->cv.notify_all();
}

std::vector<OpenAIStub::Request> OpenAIStub::requests() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->log;
}

std::vector<OpenAIStub::Request> OpenAIStub::requests(const std::string& path) const {
  std::vector<Request> out;
  for (auto& r : requests()) {
    if (r.path == path) out.push_back(std::move(r));
  }
  return out;
}

bool OpenAIStub::WaitForRequests(size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(impl_->mu);
  return impl_->cv.wait_for(lock, timeout, [&] { return impl_->log.size() >= n; });
}

}  // namespace scale::testing
