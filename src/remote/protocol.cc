#include "remote/protocol.h"

#include <nlohmann/json.hpp>

namespace scale::remote {
namespace {

using nlohmann::json;


int IntOr(const json& j, const char* key) {
  auto it = j.find(key);
  return (it != j.end() && it->is_number_integer()) ? it->get<int>() : -1;
}

void Usage(const json& usage, Answer* a) {
  if (!usage.is_object()) return;
  a->prompt_tokens = IntOr(usage, "prompt_tokens");
  a->completion_tokens = IntOr(usage, "completion_tokens");
  auto details = usage.find("prompt_tokens_details");
  if (details != usage.end() && details->is_object()) a->cached_tokens = IntOr(*details, "cached_tokens");
}

// llama-server also reports its own counters ("timings": cache_n = prompt tokens served from
// its cache); used where "usage" has no prompt_tokens_details.
void Timings(const json& timings, Answer* a) {
  if (!timings.is_object() || a->cached_tokens >= 0) return;
  a->cached_tokens = IntOr(timings, "cache_n");
}

// The piece of text one choice carries: chat deltas/messages or completion text.
std::string ChoiceText(const json& choice) {
  for (const char* key : {"delta", "message"}) {
    auto it = choice.find(key);
    if (it != choice.end() && it->is_object()) {
      auto c = it->find("content");
      if (c != it->end() && c->is_string()) return c->get<std::string>();
      return "";
    }
  }
  auto t = choice.find("text");
  return (t != choice.end() && t->is_string()) ? t->get<std::string>() : "";
}

// Reads one JSON answer object (a stream chunk or a whole answer) into `a`; the text pieces go
// to `piece`. False (with a->error set) for an error object or an unexpected shape.
bool ReadObject(const json& j, Answer* a, const std::function<bool(std::string_view)>& piece) {
  if (!j.is_object()) {
    a->error = "the server sent JSON that is not an object";
    return false;
  }
  if (auto e = j.find("error"); e != j.end()) {
    a->error = "the server reported an error: " + ErrorMessage(j.dump());
    return false;
  }
  if (auto u = j.find("usage"); u != j.end()) Usage(*u, a);
  if (auto t = j.find("timings"); t != j.end()) Timings(*t, a);
  auto choices = j.find("choices");
  if (choices == j.end() || !choices->is_array()) {
    a->error = "the server's answer has no \"choices\"";
    return false;
  }
  for (const json& choice : *choices) {
    if (!choice.is_object()) continue;
    auto index = choice.find("index");
    if (index != choice.end() && index->is_number_integer() && index->get<int>() != 0) continue;  // n = 1 only
    std::string text = ChoiceText(choice);
    if (!text.empty()) {
      a->text += text;
      if (piece && !piece(text)) return false;
    }
    auto finish = choice.find("finish_reason");
    if (finish != choice.end() && finish->is_string()) a->finish_reason = finish->get<std::string>();
  }
  return true;
}

}  // namespace

const char* RoleName(engine::Role r) {
  switch (r) {
    case engine::Role::kSystem: return "system";
    case engine::Role::kUser: return "user";
    case engine::Role::kAssistant: return "assistant";
  }
  return "user";
}

std::string RequestBody(Api api, const engine::Request& request, const std::string& model, const std::string& prompt,
                        const std::vector<std::string>& stop, bool stream, bool cache_prompt) {
  const engine::SamplingParams& s = request.sampling;
  json body = json::object();
  if (!model.empty()) body["model"] = model;
  if (api == Api::kChat) {
    json messages = json::array();
    for (const engine::Message& m : request.messages) messages.push_back({{"role", RoleName(m.role)}, {"content", m.content}});
    body["messages"] = std::move(messages);
  } else {
    body["prompt"] = prompt;
  }
  body["max_tokens"] = s.max_tokens;
  body["temperature"] = s.temperature;
  body["seed"] = s.seed;
  if (s.temperature > 0) {
    if (s.top_p < 1.0f) body["top_p"] = s.top_p;
    if (s.top_k > 0) body["top_k"] = s.top_k;
    if (s.min_p > 0) body["min_p"] = s.min_p;
    if (s.repeat_penalty != 1.0f) body["repeat_penalty"] = s.repeat_penalty;
  }
  if (!stop.empty()) body["stop"] = stop;
  // llama-server: reuse the slot's KV cache for a shared prefix (its default, said explicitly).
  body["cache_prompt"] = cache_prompt;
  if (stream) {
    body["stream"] = true;
    body["stream_options"] = {{"include_usage", true}};
  }
  // Invalid UTF-8 in a prompt (a file in another encoding) must not make the request fail.
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool StreamParser::Feed(std::string_view bytes) {
  if (stopped_) return false;
  pending_.append(bytes);
  // Events end at a blank line; each of their "data:" lines carries one JSON object.
  for (;;) {
    size_t end = pending_.find('\n');
    if (end == std::string::npos) break;
    std::string line = pending_.substr(0, end);
    pending_.erase(0, end + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("data:", 0) != 0) {
      // Comments (": ping"), "event:" and blank separators carry nothing we need. An error
      // page instead of a stream is caught by the caller's content check.
      continue;
    }
    std::string_view data(line);
    data.remove_prefix(5);
    while (!data.empty() && data.front() == ' ') data.remove_prefix(1);
    if (!Event(data)) {
      stopped_ = true;
      return false;
    }
  }
  return true;
}

void StreamParser::Finish() {
  if (stopped_ || pending_.empty()) return;
  std::string rest;
  rest.swap(pending_);
  Feed(rest + "\n");
}

bool StreamParser::Event(std::string_view data) {
  if (data == "[DONE]") {
    answer_.saw_done = true;
    return true;
  }
  json j = json::parse(data.begin(), data.end(), nullptr, false);
  if (j.is_discarded()) {
    answer_.error = "the server sent an event that is not JSON";
    return false;
  }
  return ReadObject(j, &answer_, on_piece_);
}

Answer ParseWhole(std::string_view body) {
  Answer a;
  json j = json::parse(body.begin(), body.end(), nullptr, false);
  if (j.is_discarded()) {
    a.error = "the server's answer is not JSON";
    return a;
  }
  ReadObject(j, &a, {});
  return a;
}

std::string ErrorMessage(std::string_view body) {
  json j = json::parse(body.begin(), body.end(), nullptr, false);
  std::string out;
  if (j.is_object()) {
    auto e = j.find("error");
    if (e != j.end() && e->is_object() && e->contains("message") && (*e)["message"].is_string()) {
      out = (*e)["message"].get<std::string>();
    } else if (e != j.end() && e->is_string()) {
      out = e->get<std::string>();
    }
  }
  if (out.empty()) out = std::string(body.substr(0, 200));
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return out;
}

void ReadUsage(const std::string& usage_json, Answer* answer) {
  json j = json::parse(usage_json, nullptr, false);
  if (!j.is_discarded()) Usage(j, answer);
}

}  // namespace scale::remote
