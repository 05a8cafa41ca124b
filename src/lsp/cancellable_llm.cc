#include "lsp/cancellable_llm.h"

namespace scale::lsp {

engine::Request CancellableLlm::Guarded(engine::Request request) {
  auto inner_piece = std::move(request.on_piece);
  request.on_piece = [this, inner_piece](std::string_view piece) {
    if (run_cancelled_) return false;
    return inner_piece ? inner_piece(piece) : true;
  };
  return request;
}

engine::Response CancellableLlm::Complete(const engine::Request& request) {
  if (run_cancelled_) {
    engine::Response r;
    r.finish = engine::FinishReason::kCancelled;
    return r;
  }
  return inner_->Complete(Guarded(request));
}

void CancellableLlm::RunJobs(std::vector<engine::Job>& jobs) {
  std::vector<engine::Job> wrapped = jobs;
  const size_t total = jobs.size();
  auto done_count = std::make_shared<size_t>(0);
  for (auto& job : wrapped) {
    auto make = job.make;
    job.make = [this, make]() -> std::optional<engine::Request> {
      if (run_cancelled_ || !make) return std::nullopt;  // a skipped job: its dependants still run (and skip)
      std::optional<engine::Request> request = make();
      if (request) request = Guarded(std::move(*request));
      return request;
    };
    auto done = job.done;
    job.done = [this, done, done_count, total](const engine::Response& response) {
      if (done) done(response);
      ++*done_count;
      if (on_job_done_) on_job_done_(*done_count, total);
    };
  }
  inner_->RunJobs(wrapped);
}

}  // namespace scale::lsp
