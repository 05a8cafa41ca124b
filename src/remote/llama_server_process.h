// A real llama-server child process on 127.0.0.1 with a free port, for `scale bench --peer` (and,
// through tests/testing/llama_server.h, the tests): started in its own process group, ready when
// GET /health answers 200, always killed and reaped (Stop, Kill, the destructor, a failed start).
//
//   LlamaServerProcess server({.model = path, .parallel = 4, .ctx = 4 * 2048, .threads = 2});
//   if (!server.Start()) throw Error(kExitModel, server.error());
//
// The child gets PR_SET_PDEATHSIG(SIGKILL): if this process dies without unwinding, the server
// goes with it. That signal fires when the *thread* that started it exits, so start servers from a
// long-lived thread (the main one), not from a short-lived std::thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace scale::remote {

class LlamaServerProcess {
 public:
  struct Options {
    std::string binary;                 // "" = DefaultBinary()
    std::string model;                  // GGUF path (-m)
    int parallel = 1;                   // slots (-np)
    int ctx = 2048;                     // total context (-c), shared by the slots
    int threads = 1;                    // -t and -tb
    int batch_size = 0;                 // -b and -ub when > 0
    int gpu_layers = -1;                // -ngl when >= 0
    std::vector<std::string> extra;     // appended verbatim
    std::string log_dir;                // where server-PORT.log goes (must exist; required)
    int port = 0;                       // 0 = a free one; a fixed port that is taken falls back to a free one
    std::chrono::seconds ready_timeout{120};
  };

  // SCALE_LLAMA_BIN_DIR/llama-server, or "" (with the reason in *why) when it is not there.
  static std::string DefaultBinary(std::string* why = nullptr);

  explicit LlamaServerProcess(Options options);
  ~LlamaServerProcess();  // Stop()
  LlamaServerProcess(const LlamaServerProcess&) = delete;
  LlamaServerProcess& operator=(const LlamaServerProcess&) = delete;

  // Spawns the server and waits until GET /health answers 200. A port taken between choosing and
  // binding is retried with a new one. False with error() (including the log's tail) otherwise.
  bool Start();
  const std::string& error() const { return error_; }

  void Kill();  // SIGKILL to the group and reap
  void Stop();  // SIGTERM, then SIGKILL after 10 s; reaps. Idempotent.
  bool running() const { return pid_ > 0; }

  // The server's peak resident memory so far (VmHWM of /proc/PID/status), bytes; 0 when not running.
  uint64_t PeakRssBytes() const;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& log_path() const { return log_path_; }
  std::string log() const;  // the whole log so far
  const std::vector<std::string>& argv() const { return argv_; }  // of the last launch

 private:
  enum class Launch { kReady, kPortTaken, kFailed };
  Launch LaunchOnce(const std::string& binary);
  bool Reap(std::chrono::milliseconds timeout);  // true (and pid_ = 0) when the child exited in time
  bool Healthy() const;

  Options options_;
  pid_t pid_ = 0;
  int port_ = 0;
  std::string log_path_;
  std::string error_;
  std::vector<std::string> argv_;
};

// "VmHWM:" of a /proc/PID/status text, in bytes; 0 when absent.
uint64_t ParseVmHwm(const std::string& status_text);

}  // namespace scale::remote
