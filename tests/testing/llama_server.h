// TEST-ONLY (tests/testing, never linked into scale): a real llama-server (SCALE_LLAMA_BIN_DIR) on
// 127.0.0.1 with a free port for tests against the genuine article: a thin wrapper over the product's
// remote::LlamaServerProcess that adds a log folder of its own and prints the log when the test failed.
//
//   LlamaServer server({.model = path, .parallel = 2});
//   ASSERT_TRUE(server.Start()) << server.error();
//
// Start servers from the test's own thread (PR_SET_PDEATHSIG fires when the starting thread exits).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "remote/llama_server_process.h"

namespace scale::testing {

class TempDir;

class LlamaServer {
 public:
  struct Options {
    std::string model;                  // GGUF path (-m)
    int parallel = 1;                   // slots (-np)
    int ctx = 2048;                     // total context (-c), shared by the slots
    int threads = 1;                    // -t and -tb; 1 keeps greedy output reproducible
    std::vector<std::string> extra;     // appended verbatim
    std::string log_dir;                // where server-PORT.log goes ("" = a TempDir of its own)
    int port = 0;                       // 0 = a free one; a fixed port that is taken falls back to a free one
    std::chrono::seconds ready_timeout{60};
  };

  // SCALE_LLAMA_BIN_DIR/llama-server, or "" (with the reason in *why) when it is not there.
  static std::string Binary(std::string* why = nullptr) { return remote::LlamaServerProcess::DefaultBinary(why); }

  explicit LlamaServer(Options options);
  ~LlamaServer();  // Stop(); prints the log's tail when the running test has failed
  LlamaServer(const LlamaServer&) = delete;
  LlamaServer& operator=(const LlamaServer&) = delete;

  bool Start() { return process_->Start(); }
  const std::string& error() const { return process_->error(); }
  void Kill() { process_->Kill(); }  // SIGKILL to the group and reap: "an instance died mid-run"
  void Stop() { process_->Stop(); }  // SIGTERM, then SIGKILL after 10 s; reaps. Idempotent.
  bool running() const { return process_->running(); }
  int port() const { return process_->port(); }
  pid_t pid() const { return process_->pid(); }
  std::string url() const { return process_->url(); }
  const std::string& log_path() const { return process_->log_path(); }
  std::string log() const { return process_->log(); }

 private:
  std::unique_ptr<TempDir> own_dir_;
  std::unique_ptr<remote::LlamaServerProcess> process_;
};

}  // namespace scale::testing
