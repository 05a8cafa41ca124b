#include "engine/llm.h"

#include "engine/job_graph.h"

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
  JobGraph graph(jobs);  // throws for a bad graph before anything runs
  while (graph.AnyReady()) {
    const size_t i = graph.TakeReady();
    if (!cancelled_) {
      std::optional<Request> request = jobs[i].make ? jobs[i].make() : std::nullopt;
      if (request) {
        Response response = Complete(*request);
        if (jobs[i].done) jobs[i].done(response);
      }
    }
    graph.Finished(i);
  }
}

}  // namespace scale::engine
