#include "engine/llm.h"

#include <queue>

#include "util/error.h"

namespace scale::engine {

const char* FinishReasonName(FinishReason reason) {
  switch (reason) {
    case FinishReason::kStop: return "stop";
    case FinishReason::kLength: return "length";
    case FinishReason::kTimeout: return "timeout";
    case FinishReason::kCancelled: return "cancelled";
    case FinishReason::kContextFull: return "context_full";
    case FinishReason::kError: return "error";
  }
  return "unknown";
}

void Llm::RunJobs(std::vector<Job>& jobs) {
  // Kahn's algorithm with a min-heap so ties always run in index order (deterministic).
  std::vector<int> waiting(jobs.size(), 0);
  std::vector<std::vector<size_t>> dependants(jobs.size());
  for (size_t i = 0; i < jobs.size(); ++i) {
    for (size_t d : jobs[i].deps) {
      if (d >= jobs.size()) throw Error(kExitWorkFailed, "job graph: dependency index out of range");
      ++waiting[i];
      dependants[d].push_back(i);
    }
  }
  std::priority_queue<size_t, std::vector<size_t>, std::greater<size_t>> ready;
  for (size_t i = 0; i < jobs.size(); ++i) {
    if (waiting[i] == 0) ready.push(i);
  }
  size_t finished = 0;
  while (!ready.empty()) {
    size_t i = ready.top();
    ready.pop();
    if (!cancelled_) {
      std::optional<Request> request = jobs[i].make ? jobs[i].make() : std::nullopt;
      if (request) {
        Response response = Complete(*request);
        if (jobs[i].done) jobs[i].done(response);
      }
    }
    ++finished;
    for (size_t next : dependants[i]) {
      if (--waiting[next] == 0) ready.push(next);
    }
  }
  if (finished != jobs.size()) throw Error(kExitWorkFailed, "job graph has a dependency cycle");
}

}  // namespace scale::engine
