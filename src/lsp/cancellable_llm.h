// An Llm that forwards to another and can be cancelled per run and then used again: the warm model
// of `scale lsp` outlives many requests, while Llm::Cancel() (Ctrl-C) is one-way.
// Cancelling skips jobs not yet started and stops generating ones through Request::on_piece.
#pragma once

#include <atomic>
#include <functional>
#include <memory>

#include "engine/llm.h"

namespace scale::lsp {

class CancellableLlm : public engine::Llm {
 public:
  explicit CancellableLlm(std::unique_ptr<engine::Llm> inner) : inner_(std::move(inner)) {}

  // Safe from any thread: the run in progress (and any until Reset) ends as cancelled.
  void CancelRun() { run_cancelled_ = true; }
  void Reset() { run_cancelled_ = false; }
  bool run_cancelled() const { return run_cancelled_; }
  // Called after each finished job (on the RunJobs thread), e.g. to report progress.
  void OnJobDone(std::function<void(size_t done, size_t total)> f) { on_job_done_ = std::move(f); }

  engine::Llm& inner() { return *inner_; }

  engine::Response Complete(const engine::Request& request) override;
  void RunJobs(std::vector<engine::Job>& jobs) override;
  engine::GenerationTiming LastGenerationTiming() const override { return inner_->LastGenerationTiming(); }
  int CountTokens(std::string_view text) override { return inner_->CountTokens(text); }
  int CountPromptTokens(const std::vector<engine::Message>& messages) override {
    return inner_->CountPromptTokens(messages);
  }
  int ContextSize() const override { return inner_->ContextSize(); }
  std::string Fingerprint() const override { return inner_->Fingerprint(); }
  std::string ModelName() const override { return inner_->ModelName(); }

 private:
  engine::Request Guarded(engine::Request request);

  std::unique_ptr<engine::Llm> inner_;
  std::atomic<bool> run_cancelled_{false};
  std::function<void(size_t, size_t)> on_job_done_;
};

}  // namespace scale::lsp
