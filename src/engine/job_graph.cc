#include "engine/job_graph.h"

#include "util/error.h"

namespace scale::engine {

JobGraph::JobGraph(const std::vector<Job>& jobs) : waiting_(jobs.size(), 0), dependants_(jobs.size()) {
  for (size_t i = 0; i < jobs.size(); ++i) {
    for (size_t d : jobs[i].deps) {
      if (d >= jobs.size()) throw Error(kExitWorkFailed, "job graph: dependency index out of range");
      ++waiting_[i];
      dependants_[d].push_back(i);
    }
  }
  // Kahn's algorithm on a copy of the counts: every job must be reachable before any one runs.
  std::vector<int> count = waiting_;
  std::vector<size_t> order;
  for (size_t i = 0; i < jobs.size(); ++i) {
    if (count[i] == 0) order.push_back(i);
  }
  for (size_t k = 0; k < order.size(); ++k) {
    for (size_t next : dependants_[order[k]]) {
      if (--count[next] == 0) order.push_back(next);
    }
  }
  if (order.size() != jobs.size()) throw Error(kExitWorkFailed, "job graph has a dependency cycle");
  for (size_t i = 0; i < jobs.size(); ++i) {
    if (waiting_[i] == 0) ready_.insert(i);
  }
}

size_t JobGraph::TakeReady() {
  size_t job = *ready_.begin();
  ready_.erase(ready_.begin());
  return job;
}

void JobGraph::PutBack(size_t job) { ready_.insert(job); }

void JobGraph::Finished(size_t job) {
  ++finished_;
  for (size_t next : dependants_[job]) {
    if (--waiting_[next] == 0) ready_.insert(next);
  }
}

}  // namespace scale::engine
