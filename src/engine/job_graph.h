// The dependency bookkeeping of Llm::RunJobs, shared by every engine: validates the graph, then
// hands out ready jobs lowest index first and releases dependants as jobs finish.
#pragma once

#include <cstddef>
#include <set>
#include <vector>

#include "engine/llm.h"

namespace scale::engine {

class JobGraph {
 public:
  // Throws scale::Error(kExitWorkFailed) for an out-of-range dependency or a dependency cycle,
  // so a bad graph is rejected before any job runs.
  explicit JobGraph(const std::vector<Job>& jobs);

  bool AnyReady() const { return !ready_.empty(); }
  size_t TakeReady();          // the lowest ready index; AnyReady() must hold
  void PutBack(size_t job);    // a taken job to run later (it keeps its place by index)
  void Finished(size_t job);   // done or skipped: dependants whose last dependency this was become ready
  bool AllFinished() const { return finished_ == waiting_.size(); }

 private:
  std::vector<int> waiting_;  // unfinished dependencies per job
  std::vector<std::vector<size_t>> dependants_;
  std::set<size_t> ready_;    // ordered: the same graph always runs the same way
  size_t finished_ = 0;
};

}  // namespace scale::engine
