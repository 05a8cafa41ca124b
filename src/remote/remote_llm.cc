#include "remote/remote_llm.h"

#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "engine/job_graph.h"
#include "remote/attempt.h"
#include "remote/routing.h"
#include "remote/transport.h"
#include "util/error.h"
#include "util/log.h"

namespace scale::remote {

using engine::Job;
using engine::Request;
using engine::Response;
using nlohmann::json;

struct RemoteLlm::Endpoint {
  settings::Backend config;
  Target target;
  std::string secret;  // the API key, only to redact it from messages
  int ctx = 0;          // tokens per request the server allows; 0 = unknown
  bool tokenize = false, apply_template = false;
  Circuit circuit;
  int in_flight = 0;
  EndpointStats stats;
};

namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// A GET or POST with short limits, for probes and token counts; the parsed JSON or null.
json Fetch(const RemoteLlm::Endpoint& e, const std::string& path, const std::string& body, std::string* error = nullptr) {
  HttpCall call;
  call.url = e.target.url + path;
  call.body = body;
  if (!e.target.auth_header.empty()) call.headers.push_back(e.target.auth_header);
  call.connect_timeout_s = 5;
  call.time_limit_s = 30;
  HttpResult r = Perform(call);
  if (!r.error.empty() || r.status < 200 || r.status >= 300) {
    if (error) *error = Redacted(r.error.empty() ? "HTTP " + std::to_string(r.status) : r.error, e.secret);
    return nullptr;
  }
  json j = json::parse(r.body, nullptr, false);
  if (j.is_discarded()) {
    if (error) *error = "not JSON";
    return nullptr;
  }
  return j;
}

int IntAt(const json& j, std::initializer_list<const char*> path) {
  const json* at = &j;
  for (const char* key : path) {
    if (!at->is_object() || !at->contains(key)) return 0;
    at = &(*at)[key];
  }
  return at->is_number_integer() ? at->get<int>() : 0;
}

// Model name, context size and tokenizer endpoints of one server. False when it does not answer.
bool Probe(RemoteLlm::Endpoint* e, std::string* error) {
  json models = Fetch(*e, "/v1/models", "", error);
  if (models.is_null()) return false;
  if (e->target.model.empty() && models.contains("data") && models["data"].is_array() && !models["data"].empty() &&
      models["data"][0].contains("id") && models["data"][0]["id"].is_string()) {
    e->target.model = models["data"][0]["id"].get<std::string>();
  }
  int ctx = 0;
  if (models.contains("data") && models["data"].is_array() && !models["data"].empty()) {
    ctx = IntAt(models["data"][0], {"max_model_len"});  // vLLM
  }
  json props = Fetch(*e, "/props", "");
  if (!props.is_null()) {
    const int slot = IntAt(props, {"default_generation_settings", "n_ctx"});  // llama-server: per slot
    if (slot > 0) ctx = slot;
  }
  e->ctx = e->config.ctx_size > 0 ? e->config.ctx_size : ctx;
  json tokens = Fetch(*e, "/tokenize", json{{"content", "probe"}}.dump());
  e->tokenize = tokens.is_object() && tokens.contains("tokens") && tokens["tokens"].is_array();
  if (e->tokenize && e->target.api == Api::kChat) {
    json t = Fetch(*e, "/apply-template", json{{"messages", json::array({{{"role", "user"}, {"content", "probe"}}})}}.dump());
    e->apply_template = t.is_object() && t.contains("prompt") && t["prompt"].is_string();
  }
  return true;
}

Response ErrorResponse(engine::FinishReason finish, std::string error) {
  Response r;
  r.finish = finish;
  r.error = std::move(error);
  return r;
}

}  // namespace

std::unique_ptr<RemoteLlm> RemoteLlm::Open(const settings::RemoteConfig& config) {
  if (config.backends.empty()) throw Error(kExitUsage, "no backend given");
  std::unique_ptr<RemoteLlm> llm(new RemoteLlm());
  llm->routing_ = config.routing;
  llm->retries_ = config.retries;
  std::vector<std::string> problems;
  std::set<std::string> models;
  int context = 0;
  for (const settings::Backend& b : config.backends) {
    auto e = std::make_unique<Endpoint>();
    e->config = b;
    e->target.url = b.url;
    e->target.model = b.model;
    e->target.time_limit_s = b.time_limit_s;
    e->target.cache_prompt = b.cache_prompt;
    e->target.api = b.api == settings::BackendApi::kCompletion ? Api::kCompletion : Api::kChat;
    auto format = engine::ParseChatFormat(b.format);
    if (!format || *format == engine::ChatFormat::kAuto) {
      throw Error(kExitUsage, b.where + ": backend format '" + b.format + "' is not a chat format scale can apply");
    }
    e->target.format = *format;
    if (!b.api_key_env.empty()) {
      const char* key = std::getenv(b.api_key_env.c_str());
      if (key == nullptr || *key == '\0') {
        throw Error(kExitUsage, b.where + ": backend " + b.url + ": environment variable " + b.api_key_env + " is not set");
      }
      e->secret = key;
      e->target.auth_header = "Authorization: Bearer " + e->secret;
    }
    e->stats.url = b.url;
    std::string error;
    if (Probe(e.get(), &error)) {
      models.insert(e->target.model);
      if (e->ctx > 0) context = context == 0 ? e->ctx : std::min(context, e->ctx);
      LogVerbose("backend " + b.url + ": model " + (e->target.model.empty() ? "(server default)" : e->target.model) +
                 ", context " + (e->ctx > 0 ? std::to_string(e->ctx) : "unknown") + ", token counts " +
                 (e->tokenize ? "from the server" : "estimated") + ", api " + (e->target.api == Api::kChat ? "chat" : "completion"));
    } else {
      // Down at the start: out of the rotation until a probe request gets through.
      problems.push_back(b.url + ": " + error);
      e->circuit.Failed(Now());
      e->circuit.Failed(Now());
      e->circuit.Failed(Now());
      LogWarning("backend " + b.url + " does not answer (" + error + "); trying the others");
    }
    e->stats.model = e->target.model;
    llm->endpoints_.push_back(std::move(e));
  }
  if (models.empty()) {
    std::string all;
    for (const std::string& p : problems) all += (all.empty() ? "" : "; ") + p;
    throw Error(kExitModel, "no backend answered: " + all);
  }
  if (models.size() > 1) LogWarning("backends serve different models; answers depend on which one a file reaches");
  llm->context_ = context > 0 ? context : 2048;
  if (context == 0) LogWarning("no backend says its context size; assuming 2048 tokens (set ctx_size in [[backend]])");
  llm->fingerprint_ = "remote";
  for (const std::string& m : models) {
    llm->fingerprint_ += " " + m;
    llm->model_name_ += (llm->model_name_.empty() ? "" : ", ") + m;
  }
  for (const auto& e : llm->endpoints_) {
    if (e->target.api == Api::kCompletion) llm->fingerprint_ += std::string(" completion:") + engine::ChatFormatName(e->target.format);
  }
  return llm;
}

RemoteLlm::~RemoteLlm() {
  for (const std::string& line : StatsLines()) LogVerbose("backend " + line);
}

Response RemoteLlm::Complete(const Request& request) {
  Response out;
  std::vector<Job> jobs(1);
  jobs[0].make = [&]() -> std::optional<Request> { return request; };
  jobs[0].done = [&](const Response& r) { out = r; };
  RunJobs(jobs);
  return out;
}

void RemoteLlm::RunJobs(std::vector<Job>& jobs) {
  engine::JobGraph graph(jobs);
  struct Task {
    size_t job = 0;
    Request request;
    std::string key;           // affinity (else the id): what routing keeps together
    std::vector<size_t> rank;  // endpoints, preferred first
    std::set<size_t> failed_on;  // servers an attempt of this task failed on
    int attempts = 0;          // sent so far
    double not_before = 0;
  };
  struct Finished {
    uint64_t ticket;
    size_t endpoint;
    AttemptResult result;
  };
  std::deque<Task> queue;
  std::map<uint64_t, std::pair<Task, std::thread>> running;
  // Attempts in flight stop when this is set: on Ctrl-C (copied from cancelled_ at every turn of
  // the loop below, at most 200 ms apart) and when a job's make or done throws, so no thread
  // outlives this call.
  volatile bool stop_attempts = false;
  struct JoinAll {
    std::map<uint64_t, std::pair<Task, std::thread>>& running;
    volatile bool& stop;
    ~JoinAll() {
      stop = true;
      for (auto& [ticket, slot] : running) {
        if (slot.second.joinable()) slot.second.join();
      }
    }
  };
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Finished> finished;
  uint64_t next_ticket = 0;
  std::mt19937_64 jitter(std::random_device{}());
  std::vector<double> weights;
  for (const auto& e : endpoints_) weights.push_back(e->config.weight);

  auto finish = [&](size_t job, const Response& r) {
    if (jobs[job].done) jobs[job].done(r);
    graph.Finished(job);
  };
  auto launch = [&](Task task, size_t e) {
    Endpoint& ep = *endpoints_[e];
    if (routing_ == settings::Routing::kPrefix) bound_[task.key] = e;
    ep.circuit.Sent(Now());
    ++ep.in_flight;
    ++ep.stats.requests;
    ++task.attempts;
    const uint64_t ticket = next_ticket++;
    Target target = ep.target;
    Request request = task.request;  // the thread's own copy
    auto& slot = running[ticket];
    slot.first = std::move(task);
    slot.second = std::thread([&, ticket, e, target, request = std::move(request)]() {
      AttemptResult result = SendOnce(target, request, &stop_attempts);
      std::lock_guard<std::mutex> lock(mu);
      finished.push_back({ticket, e, std::move(result)});
      cv.notify_one();
    });
  };
  // Where a task may go now. Spread routing: the live server with the fewest requests per weight.
  // Prefix routing: a file (affinity key) is bound to the server its first request went to, and
  // its other requests wait for room there, so that server's prompt cache serves their shared
  // prefix. A file not yet bound goes to its preferred live server when that has room, or, in the
  // second pass (steal), to any idle live server: files spread over the fleet, routines do not.
  auto choose = [&](const Task& t, double now, bool steal) -> int {
    if (routing_ == settings::Routing::kSpread) {
      int best = -1;
      double load = 0;
      for (size_t e = 0; e < endpoints_.size(); ++e) {
        const Endpoint& ep = *endpoints_[e];
        if (!ep.circuit.Allows(now) || ep.in_flight >= ep.config.max_concurrent) continue;
        const double l = (ep.in_flight + 1) / ep.config.weight;
        if (best < 0 || l < load) best = static_cast<int>(e), load = l;
      }
      return best;
    }
    if (auto b = bound_.find(t.key); b != bound_.end()) {
      const Endpoint& ep = *endpoints_[b->second];
      if (ep.circuit.Allows(now)) return ep.in_flight < ep.config.max_concurrent ? static_cast<int>(b->second) : -1;
      if (!ep.circuit.open()) return -1;  // a probe is under way: wait for its verdict
      bound_.erase(b);                     // the server is out: the file moves
    }
    // A server that failed this task is tried again only when every live one has; one that is
    // failing at all is never "idle" for stealing (it is idle because it fails).
    bool fresh_left = false;
    for (size_t e : t.rank) fresh_left |= endpoints_[e]->circuit.Allows(now) && !t.failed_on.count(e);
    for (size_t e : t.rank) {
      const Endpoint& ep = *endpoints_[e];
      if (!ep.circuit.Allows(now) || (fresh_left && t.failed_on.count(e))) continue;
      if (!steal) return ep.in_flight < ep.config.max_concurrent ? static_cast<int>(e) : -1;
      if (ep.in_flight == 0 && ep.circuit.failures() == 0) return static_cast<int>(e);
    }
    return -1;
  };

  JoinAll join_all{running, stop_attempts};
  while (!graph.AllFinished()) {
    stop_attempts = cancelled_;
    while (graph.AnyReady()) {
      const size_t j = graph.TakeReady();
      if (cancelled_) {
        graph.Finished(j);  // not started: its done is not called, as for the in-process engine
        continue;
      }
      std::optional<Request> request = jobs[j].make ? jobs[j].make() : std::nullopt;
      if (!request) {
        graph.Finished(j);
        continue;
      }
      Task t;
      t.job = j;
      t.key = request->affinity.empty() ? request->id : request->affinity;
      t.rank = RankEndpoints(t.key, weights);
      t.request = std::move(*request);
      queue.push_back(std::move(t));
    }
    if (graph.AllFinished()) break;
    double now = Now();
    for (bool steal : {false, true}) {
      for (auto it = queue.begin(); it != queue.end();) {
        if (cancelled_) {
          finish(it->job, ErrorResponse(engine::FinishReason::kCancelled, "cancelled"));
          it = queue.erase(it);
          continue;
        }
        const int e = it->not_before <= now ? choose(*it, now, steal) : -1;
        if (e < 0) {
          ++it;
          continue;
        }
        Task t = std::move(*it);
        it = queue.erase(it);
        launch(std::move(t), static_cast<size_t>(e));
      }
    }
    std::vector<Finished> done;
    {
      std::unique_lock<std::mutex> lock(mu);
      // Wake for a finished attempt, a backoff or probe time, or (at most every 200 ms) Ctrl-C.
      double wake = now + 0.2;
      for (const Task& t : queue) {
        if (t.not_before > now) wake = std::min(wake, t.not_before);
      }
      for (const auto& e : endpoints_) {
        if (e->circuit.open() && e->circuit.reopens_at() > now) wake = std::min(wake, e->circuit.reopens_at());
      }
      cv.wait_for(lock, std::chrono::duration<double>(std::max(0.0, wake - now)), [&] { return !finished.empty(); });
      done.swap(finished);
    }
    now = Now();
    for (Finished& f : done) {
      auto node = running.find(f.ticket);
      node->second.second.join();
      Task task = std::move(node->second.first);
      running.erase(node);
      Endpoint& ep = *endpoints_[f.endpoint];
      --ep.in_flight;
      AttemptResult& r = f.result;
      if (r.verdict == Verdict::kAnswer || r.verdict == Verdict::kFinal) {
        if (r.verdict == Verdict::kAnswer || !r.server_fault) ep.circuit.Succeeded();
        if (r.response.ok()) {
          ++ep.stats.answered;
          ep.stats.prompt_tokens += r.response.prompt_tokens;
          ep.stats.cached_tokens += r.response.cached_prompt_tokens;
          ep.stats.completion_tokens += r.response.completion_tokens;
          if (r.response.prompt_tokens > 0) {
            std::lock_guard<std::mutex> lock(count_mu_);
            seen_bytes_ += static_cast<double>(r.prompt_bytes);
            seen_tokens_ += r.response.prompt_tokens;
          }
        } else if (r.server_fault) {
          ++ep.stats.failed;
        }
        finish(task.job, r.response);
        continue;
      }
      if (r.verdict == Verdict::kUseCompletion) {
        // Sticky for this server; resent at once (no attempt is charged for a missing endpoint).
        if (ep.config.api == settings::BackendApi::kAuto) {
          ep.target.api = Api::kCompletion;
          LogVerbose("backend " + ep.config.url + ": no chat endpoint; sending raw completions in " +
                     engine::ChatFormatName(ep.target.format));
          --task.attempts;
          queue.push_front(std::move(task));
          continue;
        }
        finish(task.job, r.response);
        continue;
      }
      // kRetry: nothing of the answer is used.
      ++ep.stats.failed;
      if (r.server_fault) ep.circuit.Failed(now);
      if (ep.circuit.open() && ep.circuit.failures() == 3) {
        LogWarning("backend " + ep.config.url + " taken out after repeated failures (" + r.response.error + ")");
      }
      if (task.attempts > retries_ || cancelled_) {
        finish(task.job, ErrorResponse(engine::FinishReason::kError,
                                       "gave up after " + std::to_string(task.attempts) + " attempts: " + r.response.error));
        continue;
      }
      LogVerbose("retrying " + task.request.id + " (" + r.response.error + ")");
      if (r.server_fault) {
        task.failed_on.insert(f.endpoint);
        bound_.erase(task.key);  // the file may move to a live server
      }
      const double u = std::uniform_real_distribution<double>(0, 1)(jitter);
      task.not_before = now + BackoffSeconds(task.attempts, r.retry_after_s, u);
      queue.push_back(std::move(task));
    }
    // A server whose circuit closed again after a probe is back in rotation.
    for (auto& e : endpoints_) e->stats.alive = !e->circuit.open();
  }
}

int RemoteLlm::Estimate(size_t bytes) const {
  std::lock_guard<std::mutex> lock(count_mu_);
  // Code runs 3-4 bytes per token with the tokenizers of code models; until the run has seen the
  // servers' own counts, assume 2.5 (over-counting is safe: the guard trims more than needed).
  const double per_token = seen_tokens_ >= 200 ? std::max(1.0, seen_bytes_ / seen_tokens_) : 2.5;
  return static_cast<int>(std::ceil(static_cast<double>(bytes) / per_token * 1.15)) + 4;
}

int RemoteLlm::TokensOnServer(std::string_view text) {
  const uint64_t key = XXH64(text.data(), text.size(), 0);
  {
    std::lock_guard<std::mutex> lock(count_mu_);
    if (auto it = counted_.find(key); it != counted_.end()) return it->second;
  }
  const std::string body = json{{"content", std::string(text)}}.dump(-1, ' ', false, json::error_handler_t::replace);
  for (const auto& e : endpoints_) {
    if (!e->tokenize || e->circuit.open()) continue;
    json tokens = Fetch(*e, "/tokenize", body);
    if (!tokens.is_object() || !tokens.contains("tokens") || !tokens["tokens"].is_array()) continue;
    const int n = static_cast<int>(tokens["tokens"].size());
    std::lock_guard<std::mutex> lock(count_mu_);
    if (counted_.size() > 100000) counted_.clear();
    counted_[key] = n;
    return n;
  }
  return -1;
}

int RemoteLlm::CountTokens(std::string_view text) {
  const int n = TokensOnServer(text);
  return n >= 0 ? n : Estimate(text.size());
}

int RemoteLlm::CountPromptTokens(const std::vector<engine::Message>& messages) {
  const Endpoint& first = *endpoints_.front();
  if (first.target.api == Api::kCompletion) {
    Request r;
    r.messages = messages;
    return CountTokens(CompletionPrompt(first.target, r));
  }
  // Each message's content is counted on its own (the system prompt and the template's examples
  // recur in every request: remembered, so a request costs one /tokenize call for its new text),
  // plus what the server's template adds for these roles, measured once per role sequence. One
  // token of margin per message covers a merge across a content's edge.
  int total = 0;
  for (const engine::Message& m : messages) total += CountTokens(m.content) + 1;
  return total + TemplateOverhead(messages);
}

int RemoteLlm::TemplateOverhead(const std::vector<engine::Message>& messages) {
  std::string roles;  // the cache key: the role sequence
  json probe = json::array();
  for (const engine::Message& m : messages) {
    roles += std::string(RoleName(m.role)) + " ";
    probe.push_back({{"role", RoleName(m.role)}, {"content", "x"}});
  }
  {
    std::lock_guard<std::mutex> lock(count_mu_);
    if (auto it = overhead_.find(roles); it != overhead_.end()) return it->second;
  }
  int whole = -1;
  for (const auto& e : endpoints_) {
    if (!e->apply_template || e->circuit.open()) continue;
    json t = Fetch(*e, "/apply-template", json{{"messages", probe}}.dump());
    if (!t.is_object() || !t.contains("prompt") || !t["prompt"].is_string()) continue;
    whole = TokensOnServer(t["prompt"].get<std::string>());
    break;
  }
  // Without the server's template: a few tokens of role markers per message (ChatML uses 4-5).
  const int overhead = whole >= 0 ? std::max(0, whole - static_cast<int>(messages.size()) * CountTokens("x"))
                                  : 8 * static_cast<int>(messages.size());
  std::lock_guard<std::mutex> lock(count_mu_);
  overhead_[roles] = overhead;
  return overhead;
}

std::vector<EndpointStats> RemoteLlm::Stats() const {
  std::vector<EndpointStats> out;
  for (const auto& e : endpoints_) out.push_back(e->stats);
  return out;
}

std::vector<std::string> RemoteLlm::StatsLines() const {
  std::vector<std::string> out;
  for (const auto& e : endpoints_) {
    const EndpointStats& s = e->stats;
    out.push_back(s.url + ": " + std::to_string(s.requests) + " requests, " + std::to_string(s.answered) + " answered, " +
                  std::to_string(s.failed) + " failed; " + std::to_string(s.cached_tokens) + " of " +
                  std::to_string(s.prompt_tokens) + " prompt tokens cached by the server, " +
                  std::to_string(s.completion_tokens) + " generated" + (s.alive ? "" : " (out of rotation)"));
  }
  return out;
}

}  // namespace scale::remote
