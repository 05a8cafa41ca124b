#include "bench/recording_llm.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <tuple>

#include "util/sha256.h"

namespace scale::bench {
namespace {

std::string Key(const RecordedRequest& r) {
  std::string key = r.id;
  key += '\0';
  key += std::to_string(r.max_tokens);
  for (const engine::Message& m : r.messages) {
    key += '\0';
    key += static_cast<char>('0' + static_cast<int>(m.role));
    key += std::to_string(m.content.size());
    key += ':';
    key += m.content;
  }
  return key;
}

// The records job i waited for: those of its dependencies, and through a skipped dependency (no
// request) that one's own. Bad indices are left to the inner engine's graph check.
std::vector<size_t> RecordedDeps(const std::vector<engine::Job>& jobs, const std::vector<size_t>& slots, size_t i) {
  std::vector<size_t> out, stack(jobs[i].deps.begin(), jobs[i].deps.end());
  std::vector<bool> seen(jobs.size(), false);
  while (!stack.empty()) {
    const size_t d = stack.back();
    stack.pop_back();
    if (d >= jobs.size() || seen[d]) continue;
    seen[d] = true;
    if (slots[d] != SIZE_MAX) {
      out.push_back(slots[d]);
    } else {
      stack.insert(stack.end(), jobs[d].deps.begin(), jobs[d].deps.end());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

size_t RecordingLlm::Record(const engine::Request& request, int phase, std::vector<size_t> after) {
  std::lock_guard<std::mutex> lock(mu_);
  RecordedRequest r;
  r.id = request.id;
  r.messages = request.messages;
  r.max_tokens = request.sampling.max_tokens;
  r.request = request;
  r.request.on_piece = nullptr;
  r.phase = phase;
  r.after = std::move(after);
  records_.push_back(std::move(r));
  return records_.size() - 1;
}

void RecordingLlm::Answer(size_t index, const engine::Response& response) {
  std::lock_guard<std::mutex> lock(mu_);
  records_[index].answer = response.text;
  records_[index].finish = response.finish;
}

engine::Response RecordingLlm::Complete(const engine::Request& request) {
  const size_t index = Record(request, phases_++, {});
  engine::Response response = inner_.Complete(request);
  Answer(index, response);
  return response;
}

void RecordingLlm::RunJobs(std::vector<engine::Job>& jobs) {
  // The same graph with each make/done wrapped: the inner engine schedules it as it would the
  // original (dependencies and indices unchanged).
  std::vector<engine::Job> wrapped(jobs.size());
  auto slots = std::make_shared<std::vector<size_t>>(jobs.size(), SIZE_MAX);
  const int phase = phases_++;
  for (size_t i = 0; i < jobs.size(); ++i) {
    wrapped[i].deps = jobs[i].deps;
    wrapped[i].make = [this, &jobs, i, slots, phase]() -> std::optional<engine::Request> {
      std::optional<engine::Request> request = jobs[i].make ? jobs[i].make() : std::nullopt;
      if (request) (*slots)[i] = Record(*request, phase, RecordedDeps(jobs, *slots, i));
      return request;
    };
    wrapped[i].done = [this, &jobs, i, slots](const engine::Response& response) {
      if ((*slots)[i] != SIZE_MAX) Answer((*slots)[i], response);
      if (jobs[i].done) jobs[i].done(response);
    };
  }
  inner_.RunJobs(wrapped);
}

std::vector<RecordedRequest> RecordingLlm::Sorted() const {
  std::vector<RecordedRequest> out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    out = records_;
  }
  std::vector<std::pair<std::string, size_t>> keys;
  for (size_t i = 0; i < out.size(); ++i) keys.emplace_back(Key(out[i]), i);
  std::sort(keys.begin(), keys.end());
  std::vector<RecordedRequest> sorted;
  sorted.reserve(out.size());
  for (const auto& [key, i] : keys) sorted.push_back(std::move(out[i]));
  return sorted;
}

std::vector<RecordedRequest> RecordingLlm::InOrder() const {
  std::lock_guard<std::mutex> lock(mu_);
  return records_;
}

size_t RecordingLlm::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return records_.size();
}

std::string RequestStreamDigest(const std::vector<RecordedRequest>& sorted, bool answers) {
  Sha256 hash;
  for (const RecordedRequest& r : sorted) {
    std::string key = Key(r);
    hash.Update(std::to_string(key.size()) + ":");
    hash.Update(key);
    if (answers) {
      hash.Update(std::to_string(r.answer.size()) + ":");
      hash.Update(r.answer);
    }
  }
  return hash.HexDigest();
}

std::string FirstDifference(const std::vector<RecordedRequest>& a, const std::vector<RecordedRequest>& b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    if (Key(a[i]) != Key(b[i])) return a[i].id.empty() ? "request " + std::to_string(i) : a[i].id;
  }
  if (a.size() != b.size()) return std::to_string(a.size()) + " vs " + std::to_string(b.size()) + " requests";
  return "";
}

}  // namespace scale::bench

namespace scale::bench {

ReplayResult Replay(engine::Llm& llm, const std::vector<RecordedRequest>& in_order) {
  ReplayResult out;
  const auto start = std::chrono::steady_clock::now();
  size_t begin = 0;
  while (begin < in_order.size()) {
    size_t end = begin;
    while (end < in_order.size() && in_order[end].phase == in_order[begin].phase) ++end;
    std::vector<engine::Job> jobs(end - begin);
    for (size_t k = begin; k < end; ++k) {
      engine::Job& job = jobs[k - begin];
      for (size_t a : in_order[k].after) {
        if (a >= begin && a < end) job.deps.push_back(a - begin);
      }
      job.make = [&in_order, k]() -> std::optional<engine::Request> { return in_order[k].request; };
      job.done = [&out](const engine::Response& r) {
        out.prompt_tokens += r.prompt_tokens;
        out.cached_tokens += r.cached_prompt_tokens;
        out.generated_tokens += r.completion_tokens;
      };
    }
    llm.RunJobs(jobs);
    if (llm.cancelled()) break;
    begin = end;
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace scale::bench
