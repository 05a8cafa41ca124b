#include "engine/scheduler_bench.h"

#include <chrono>
#include <string>
#include <vector>

#include "engine/llama_engine.h"

namespace scale::engine {
namespace {

using Clock = std::chrono::steady_clock;

// Distinct words until the text is about `tokens` tokens long (the tokenizer decides exactly).
std::string Words(LlamaEngine& engine, const std::string& tag, int tokens) {
  std::string text;
  for (int k = 0; static_cast<int>(engine.Tokenize(text, false, false).size()) < tokens; ++k) {
    text += tag + std::to_string(k * 7919 % 10007) + (k % 9 == 8 ? ".\n" : " ");
  }
  return text;
}

}  // namespace

double SchedulerBenchResult::prefill_tps() const {
  return all_started_s > 0 ? static_cast<double>(stats.prefill_tokens) / all_started_s : 0;
}
double SchedulerBenchResult::gen_tps() const {
  return seconds > 0 ? static_cast<double>(stats.generated_tokens) / seconds : 0;
}
double SchedulerBenchResult::total_tps() const {
  return seconds > 0 ? static_cast<double>(stats.prompt_tokens + stats.generated_tokens) / seconds : 0;
}

SchedulerBenchResult BenchScheduler(LlamaEngine& engine, const SchedulerBenchConfig& config) {
  const std::string shared = config.shared > 0 ? Words(engine, "sys", config.shared) : "";
  std::vector<Job> jobs(config.jobs);
  std::vector<double> first(config.jobs, 0);
  const Clock::time_point start = Clock::now();
  for (int i = 0; i < config.jobs; ++i) {
    Request r;
    r.messages = {{Role::kUser, shared + Words(engine, "w" + std::to_string(i) + "x", config.npp - config.shared)}};
    r.sampling.max_tokens = config.ntg;
    r.on_piece = [&first, &start, i](std::string_view) {
      if (first[i] == 0) first[i] = std::chrono::duration<double>(Clock::now() - start).count();
      return true;
    };
    jobs[i].make = [r] { return std::optional<Request>(r); };
  }
  SchedulerBenchResult result;
  result.texts.resize(config.jobs);
  for (int i = 0; i < config.jobs; ++i) {
    jobs[i].done = [&result, i](const Response& response) { result.texts[i] = response.text; };
  }
  result.parallel = engine.params().parallel;
  result.jobs = config.jobs;
  RunScheduled(engine, jobs, config.options, &result.stats);
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (double t : first) {
    result.all_started_s = std::max(result.all_started_s, t);
    result.mean_ttft_s += t / config.jobs;
  }
  return result;
}

}  // namespace scale::engine
