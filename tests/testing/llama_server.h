// TEST-ONLY (tests/testing, never linked into scale): runs a real llama-server (SCALE_LLAMA_BIN_DIR) on
// 127.0.0.1 with a free port, in its own process group, for tests against the genuine article; the
// destructor always stops it. Its stdout+stderr go to a log file, printed when the test has failed.
//
//   LlamaServer server({.model = path, .parallel = 2});
//   ASSERT_TRUE(server.Start()) << server.error();
//
// The child also gets PR_SET_PDEATHSIG(SIGKILL): if the test process dies without unwinding (a crash),
// the server goes with it. That signal fires when the *thread* that started it exits, so start servers
// from the test's own thread, not from a short-lived std::thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

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
  static std::string Binary(std::string* why = nullptr);

  explicit LlamaServer(Options options);
  ~LlamaServer();  // Stop(); prints the log's tail when the running test has failed
  LlamaServer(const LlamaServer&) = delete;
  LlamaServer& operator=(const LlamaServer&) = delete;

  // Spawns the server and waits until GET /health answers 200. A port taken between choosing and binding
  // is retried with a new one. False with error() (including the log's tail) when it does not come up.
  bool Start();
  const std::string& error() const { return error_; }

  void Kill();  // SIGKILL to the group and reap: "an instance died mid-run"
  void Stop();  // SIGTERM, then SIGKILL after 10 s; reaps. Idempotent.
  bool running() const { return pid_ > 0; }

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& log_path() const { return log_path_; }
  std::string log() const;  // the whole log so far

 private:
  enum class Launch { kReady, kPortTaken, kFailed };
  Launch LaunchOnce(const std::string& binary);
  // Waits up to `timeout` for the child to exit; true (and pid_ = 0) when it did.
  bool Reap(std::chrono::milliseconds timeout);
  void Signal(int sig);

  Options options_;
  std::unique_ptr<TempDir> own_dir_;
  pid_t pid_ = 0;
  int port_ = 0;
  std::string log_path_;
  std::string error_;
};

}  // namespace scale::testing
