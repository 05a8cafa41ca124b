#include "bench/throughput.h"

#include <algorithm>
#include <chrono>
#include <mutex>

namespace scale::bench {
namespace {

using Clock = std::chrono::steady_clock;

const char* const kWords[] = {"the",    "value",  "list",   "file",  "returns", "parses", "buffer", "index",
                              "cache",  "node",   "string", "error", "reads",   "writes", "count",  "table",
                              "update", "lookup", "thread", "queue", "socket",  "stream", "token",  "model",
                              "format", "header", "record", "query", "result",  "option", "config", "path"};

std::string Words(int count, uint64_t salt) {
  uint64_t x = salt * 0x9E3779B97F4A7C15ull + 1;
  std::string out;
  for (int i = 0; i < count; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    out += (i ? " " : "") + std::string(kWords[(x >> 33) % (sizeof(kWords) / sizeof(kWords[0]))]);
  }
  return out;
}

}  // namespace

std::vector<engine::Message> FillerMessages(engine::Llm& llm, int tokens, uint64_t salt) {
  auto make = [&](int words) { return std::vector<engine::Message>{{engine::Role::kUser, Words(words, salt)}}; };
  int lo = 1, hi = std::max(2, tokens * 2), best = 1;
  while (lo <= hi) {
    int mid = lo + (hi - lo) / 2;
    if (llm.CountPromptTokens(make(mid)) <= tokens) {
      best = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return make(best);
}

namespace {

struct BatchRun {
  double wall = 0;
  int64_t prompt_tokens = 0;
  int64_t generated = 0;
  double ttft = 0;
  int concurrency = 0;
  int failed = 0;
  engine::GenerationTiming generation;
};

BatchRun RunBatch(engine::Llm& llm, int jobs, int npp, int max_tokens, uint64_t salt, const BenchClock& now) {
  struct Timing {
    bool started = false;
    Clock::time_point first, done;
  };
  std::vector<Timing> timing(static_cast<size_t>(jobs));
  std::vector<engine::Request> requests(static_cast<size_t>(jobs));
  std::mutex mu;
  for (int i = 0; i < jobs; ++i) {
    engine::Request& r = requests[static_cast<size_t>(i)];
    r.messages = FillerMessages(llm, npp, salt * 1000003 + static_cast<uint64_t>(i));
    r.sampling.temperature = 0;
    r.sampling.max_tokens = max_tokens;
    r.id = "bench-" + std::to_string(i);
    r.on_piece = [&timing, &mu, &now, i](std::string_view) {
      std::lock_guard<std::mutex> lock(mu);
      Timing& t = timing[static_cast<size_t>(i)];
      if (!t.started) {
        t.started = true;
        t.first = now();
      }
      return true;
    };
  }
  BatchRun run;
  std::vector<engine::Job> graph(static_cast<size_t>(jobs));
  for (int i = 0; i < jobs; ++i) {
    graph[static_cast<size_t>(i)].make = [&requests, i]() -> std::optional<engine::Request> {
      return requests[static_cast<size_t>(i)];
    };
    graph[static_cast<size_t>(i)].done = [&, i](const engine::Response& r) {
      std::lock_guard<std::mutex> lock(mu);
      Timing& t = timing[static_cast<size_t>(i)];
      t.done = now();
      if (!t.started) {  // nothing streamed (empty answer): count the end as the first token
        t.started = true;
        t.first = t.done;
      }
      run.prompt_tokens += r.prompt_tokens - r.cached_prompt_tokens;
      run.generated += r.completion_tokens;
      if (!r.ok()) ++run.failed;
    };
  }
  Clock::time_point start = now();
  llm.RunJobs(graph);
  run.wall = std::chrono::duration<double>(now() - start).count();
  run.generation = llm.LastGenerationTiming();
  std::vector<std::pair<Clock::time_point, int>> events;
  for (const Timing& t : timing) {
    if (!t.started) continue;
    run.ttft += std::chrono::duration<double>(t.first - start).count() / jobs;
    events.emplace_back(t.first, +1);
    events.emplace_back(t.done, -1);
  }
  std::sort(events.begin(), events.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second < b.second;  // ends before starts on ties
  });
  int active = 0;
  for (const auto& e : events) {
    active += e.second;
    run.concurrency = std::max(run.concurrency, active);
  }
  return run;
}

}  // namespace

EngineSample MeasureEngine(engine::Llm& llm, int jobs, int npp, int ntg, uint64_t salt, const BenchClock& now) {
  BatchRun pp = RunBatch(llm, jobs, npp, 1, salt * 2, now);
  BatchRun full = RunBatch(llm, jobs, npp, ntg, salt * 2 + 1, now);
  EngineSample s;
  s.jobs = jobs;
  s.prompt_tokens = full.prompt_tokens;
  s.generated_tokens = full.generated;
  s.pp_seconds = pp.wall;
  s.total_seconds = full.wall;
  s.ttft_s = full.ttft;
  s.concurrency = full.concurrency;
  s.failed = pp.failed + full.failed;
  if (pp.wall > 0) s.pp_tps = static_cast<double>(pp.prompt_tokens) / pp.wall;
  if (full.generation.tokens > 0 && full.generation.seconds > 0) {
    s.tg_tps = static_cast<double>(full.generation.tokens) / full.generation.seconds;
    s.tg_from_steps = true;
    return s;
  }
  // The full run's prompt time, assuming the prompt-only run's speed.
  double prompt_time = s.pp_tps > 0 ? static_cast<double>(full.prompt_tokens) / s.pp_tps : 0;
  double tg_time = full.wall - prompt_time;
  int64_t decoded = std::max<int64_t>(0, full.generated - jobs);
  if (tg_time > 0) s.tg_tps = static_cast<double>(decoded) / tg_time;
  return s;
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace scale::bench
