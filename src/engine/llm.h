// The one interface every command talks to a language model through. The real implementation
// runs llama.cpp in-process (engine/llama_engine.h); tests may use a scripted fake (see
// tests/testing/fake_llm.h), which must say so in the test's name or comment.
//
// A caller either asks for one answer (Complete) or hands over a graph of jobs (RunJobs) and lets
// the engine decide how many to decode at once. Prompts are chat messages; the engine formats them
// with the model's chat template (or --format) and adds the family's stop strings.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scale::engine {

enum class Role { kSystem, kUser, kAssistant };

struct Message {
  Role role = Role::kUser;
  std::string content;
};

struct SamplingParams {
  float temperature = 0.0f;    // 0 = greedy (argmax), fully deterministic
  float top_p = 1.0f;          // 1 = off
  int top_k = 40;              // 0 = off
  float min_p = 0.05f;         // 0 = off
  float repeat_penalty = 1.0f; // 1 = off
  int repeat_last_n = 64;
  uint32_t seed = 42;
  int max_tokens = 256;        // new tokens at most
};

enum class FinishReason {
  kStop,         // end-of-generation token or a stop string
  kLength,       // max_tokens reached
  kTimeout,      // Request::time_limit_s elapsed
  kCancelled,    // on_piece returned false, or the run was interrupted (Ctrl-C)
  kContextFull,  // prompt + answer budget does not fit the context (nothing was generated)
  kError,        // decode failure; see Response::error
};
const char* FinishReasonName(FinishReason reason);

struct Request {
  std::vector<Message> messages;
  SamplingParams sampling;
  std::vector<std::string> stop;  // extra stop strings on top of the chat format's own
  double time_limit_s = 0;        // wall-clock limit for this request; 0 = none
  std::string id;                 // caller's label: progress lines, logs, scripted fakes
  // Requests with the same affinity share a long prompt prefix (one file's routines: system
  // prompt, template, file summary). Remote backends send them to one server so its prompt cache
  // serves that prefix (remote/routing.h); "" = no preference. The in-process engine ignores it.
  std::string affinity;
  // Streaming: called with each new piece of text (already cut at stop strings). Return false to
  // stop generation (FinishReason::kCancelled). May be empty.
  std::function<bool(std::string_view piece)> on_piece;
};

struct Response {
  std::string text;  // the answer, stop strings removed, no trailing end-of-turn marker
  FinishReason finish = FinishReason::kStop;
  std::string error;           // why, when finish is kError or kContextFull
  int prompt_tokens = 0;       // tokens in the formatted prompt
  int cached_prompt_tokens = 0;// of those, how many came from a shared/cached prefix (not decoded)
  int completion_tokens = 0;
  double seconds = 0;          // wall time from start of prompt processing to the last token
  bool ok() const { return finish == FinishReason::kStop || finish == FinishReason::kLength; }
};

// One unit of work in a dependency graph. `make` runs once every job in `deps` has finished (so it
// can use their answers); returning nullopt skips the job (its `done` is not called, dependants
// still run). `done` receives the answer. Both run on the thread that called RunJobs.
struct Job {
  std::vector<size_t> deps;  // indices into the same job vector
  std::function<std::optional<Request>()> make;
  std::function<void(const Response&)> done;
};

// How fast the last RunJobs generated when every slot was generating (one token per sequence per
// step, nothing else decoded), sampling included: the figure llama-batched-bench reports.
struct GenerationTiming {
  int64_t steps = 0;
  int64_t tokens = 0;
  double seconds = 0;
};

class Llm {
 public:
  virtual ~Llm() = default;

  // Answers one request. Never throws for generation problems: they come back in Response.
  virtual Response Complete(const Request& request) = 0;

  // Runs a job graph. The default runs jobs one at a time in dependency order (ties: lower index
  // first); the llama.cpp engine overrides it to decode up to --parallel jobs together. Output is
  // the same whatever the order jobs were run in. Throws scale::Error for a dependency cycle or
  // a bad index before running any job (engine/job_graph.h, the same rule for every engine).
  virtual void RunJobs(std::vector<Job>& jobs);
  // Of the last RunJobs; zero when the engine does not measure it.
  virtual GenerationTiming LastGenerationTiming() const { return {}; }

  // Exact token count of `text` with the model's tokenizer (no special tokens added).
  virtual int CountTokens(std::string_view text) = 0;
  // Exact token count of the formatted prompt these messages become (with generation prompt).
  virtual int CountPromptTokens(const std::vector<Message>& messages) = 0;
  // Tokens a single sequence may use (prompt + answer).
  virtual int ContextSize() const = 0;
  // Identifies model + anything that changes answers (adapters, format): used in cache keys.
  virtual std::string Fingerprint() const = 0;
  // What reports call the model: the GGUF file's name, or the model a server says it serves.
  virtual std::string ModelName() const { return Fingerprint(); }

  // Set from a signal handler (Ctrl-C): in-flight requests finish as kCancelled, queued jobs are
  // not started. Safe to call from any thread.
  void Cancel() { cancelled_ = true; }
  bool cancelled() const { return cancelled_; }

 protected:
  volatile bool cancelled_ = false;
};

}  // namespace scale::engine
