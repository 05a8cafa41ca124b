// An engine::Llm decorator that forwards everything to the real one and records every request it
// was asked to run (id + messages) and its answer, so `scale bench --peer` can prove that the
// in-process engine and llama-server were sent the identical request stream.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "engine/llm.h"

namespace scale::bench {

struct RecordedRequest {
  std::string id;
  std::vector<engine::Message> messages;
  int max_tokens = 0;
  std::string answer;  // "" until answered
  engine::FinishReason finish = engine::FinishReason::kStop;
  // For a replay: the request as sent (no on_piece), the RunJobs/Complete call it came from
  // (0, 1, ...) and the records (indices in recording order) it had to wait for in that call.
  engine::Request request;
  int phase = 0;
  std::vector<size_t> after;
};

class RecordingLlm : public engine::Llm {
 public:
  explicit RecordingLlm(engine::Llm& inner) : inner_(inner) {}

  engine::Response Complete(const engine::Request& request) override;
  void RunJobs(std::vector<engine::Job>& jobs) override;
  engine::GenerationTiming LastGenerationTiming() const override { return inner_.LastGenerationTiming(); }
  int CountTokens(std::string_view text) override { return inner_.CountTokens(text); }
  int CountPromptTokens(const std::vector<engine::Message>& messages) override {
    return inner_.CountPromptTokens(messages);
  }
  int ContextSize() const override { return inner_.ContextSize(); }
  std::string Fingerprint() const override { return inner_.Fingerprint(); }

  // Every request so far, ordered by id (ties by content): the order the engines ran them in
  // differs by design, the set must not.
  std::vector<RecordedRequest> Sorted() const;
  std::vector<RecordedRequest> InOrder() const;  // as recorded (what Replay takes)
  size_t size() const;

 private:
  size_t Record(const engine::Request& request, int phase, std::vector<size_t> after);
  void Answer(size_t index, const engine::Response& response);

  engine::Llm& inner_;
  mutable std::mutex mu_;
  std::vector<RecordedRequest> records_;
  int phases_ = 0;
};

// What one replay of a recorded stream cost.
struct ReplayResult {
  int64_t prompt_tokens = 0, cached_tokens = 0, generated_tokens = 0;
  double seconds = 0;
};

// Sends the recorded requests (InOrder()) to `llm` again, phase by phase, each job after the ones
// it waited for when recorded: the same prompts and the same ordering constraints, whatever `llm`
// answers (its answers feed nothing).
ReplayResult Replay(engine::Llm& llm, const std::vector<RecordedRequest>& in_order);

// SHA-256 over the sorted requests' ids, max_tokens and messages (roles and bytes), or over their
// answers too when `answers` is set.
std::string RequestStreamDigest(const std::vector<RecordedRequest>& sorted, bool answers = false);

// The id of the first request where two sorted streams differ ("" when they are equal), for the
// report's note on why a comparison is void.
std::string FirstDifference(const std::vector<RecordedRequest>& a, const std::vector<RecordedRequest>& b);

}  // namespace scale::bench
