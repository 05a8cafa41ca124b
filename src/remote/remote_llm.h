// engine::Llm over OpenAI-compatible servers (llama-server, vLLM, Ollama, hosted APIs): every
// command that generates works through it unchanged. One request at a time per job, up to each
// server's max_concurrent at once; a file's requests go to one server (prefix-aware routing);
// failures are retried with backoff on the same or another live server, a server that keeps
// failing is taken out (circuit) and probed back in; an answer is used only when the server said
// how it ended (a cut stream is never an answer).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/chat_format.h"
#include "engine/llm.h"
#include "remote/health.h"
#include "remote/protocol.h"
#include "settings/backends.h"

namespace scale::remote {

// What one server did in this process, from the servers' own usage numbers.
struct EndpointStats {
  std::string url;
  std::string model;
  int requests = 0;        // attempts sent
  int answered = 0;        // of those, complete answers
  int failed = 0;          // connection errors, 429/5xx, cut or malformed streams
  long prompt_tokens = 0, cached_tokens = 0, completion_tokens = 0;
  bool alive = true;       // its circuit is closed now
};

class RemoteLlm : public engine::Llm {
 public:
  // Probes every server (its model, context size, tokenizer endpoints). Throws Error(kExitUsage)
  // for an api_key_env that is not set, Error(kExitModel) when no server answers.
  static std::unique_ptr<RemoteLlm> Open(const settings::RemoteConfig& config);
  ~RemoteLlm() override;

  engine::Response Complete(const engine::Request& request) override;
  void RunJobs(std::vector<engine::Job>& jobs) override;
  // The server's /tokenize where it has one, else an estimate from the bytes per token its own
  // usage numbers showed in this run, with a safety margin (never below the true count in tests).
  int CountTokens(std::string_view text) override;
  int CountPromptTokens(const std::vector<engine::Message>& messages) override;
  int ContextSize() const override { return context_; }
  std::string Fingerprint() const override { return fingerprint_; }
  std::string ModelName() const override { return model_name_; }

  std::vector<EndpointStats> Stats() const;
  // One line per server for -v and reports: "URL: 12 requests, 0 failed, 830 of 2100 prompt tokens cached".
  std::vector<std::string> StatsLines() const;

  struct Endpoint;  // remote_llm.cc

 private:
  RemoteLlm() = default;
  // Tokens of `text` from the first live server with /tokenize (remembered by the text's hash);
  // -1 when no server can count.
  int TokensOnServer(std::string_view text);
  // Tokens the server's chat template adds around messages of these roles, measured once per role
  // sequence with /apply-template.
  int TemplateOverhead(const std::vector<engine::Message>& messages);
  int Estimate(size_t bytes) const;

  std::vector<std::unique_ptr<Endpoint>> endpoints_;
  settings::Routing routing_ = settings::Routing::kPrefix;
  int retries_ = 5;
  int context_ = 2048;
  std::string fingerprint_;
  std::string model_name_;  // the servers' model ids, joined by ", "
  std::unordered_map<std::string, size_t> bound_;  // prefix routing: affinity key -> its server
  // Token counting: exact counts remembered by text hash; bytes and tokens seen, for the estimate.
  mutable std::mutex count_mu_;
  std::unordered_map<uint64_t, int> counted_;
  std::unordered_map<std::string, int> overhead_;
  double seen_bytes_ = 0, seen_tokens_ = 0;
};

}  // namespace scale::remote
