#include "remote/llama_server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "remote/transport.h"

namespace scale::remote {
namespace {

// A port nobody listens on right now (the kernel's pick for port 0). Another process may take it
// before llama-server binds it: Start() retries then.
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

std::string Tail(const std::string& text, size_t n = 4000) {
  return text.size() <= n ? text : "..." + text.substr(text.size() - n);
}

std::string DescribeStatus(int status) {
  if (WIFEXITED(status)) return "exited with " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("killed by signal ") + strsignal(WTERMSIG(status));
  return "stopped";
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

uint64_t ParseVmHwm(const std::string& status_text) {
  size_t at = status_text.find("VmHWM:");
  if (at == std::string::npos) return 0;
  return std::strtoull(status_text.c_str() + at + 6, nullptr, 10) * 1024;  // "VmHWM:   1234 kB"
}

std::string LlamaServerProcess::DefaultBinary(std::string* why) {
#ifdef SCALE_LLAMA_BIN_DIR
  const std::string path = std::string(SCALE_LLAMA_BIN_DIR) + "/llama-server";
#else
  const std::string path = "llama-server";
#endif
  if (access(path.c_str(), X_OK) == 0) return path;
  if (why) *why = path + " is missing (deps/bootstrap.sh builds it)";
  return "";
}

LlamaServerProcess::LlamaServerProcess(Options options) : options_(std::move(options)) {}

LlamaServerProcess::~LlamaServerProcess() { Stop(); }

std::string LlamaServerProcess::log() const { return log_path_.empty() ? "" : ReadText(log_path_); }

uint64_t LlamaServerProcess::PeakRssBytes() const {
  if (pid_ <= 0) return 0;
  return ParseVmHwm(ReadText("/proc/" + std::to_string(pid_) + "/status"));
}

bool LlamaServerProcess::Start() {
  error_.clear();
  if (pid_ > 0) return true;
  std::string binary = options_.binary;
  if (binary.empty()) {
    std::string why;
    binary = DefaultBinary(&why);
    if (binary.empty()) {
      error_ = why;
      return false;
    }
  }
  if (options_.log_dir.empty()) {
    error_ = "llama-server: no log folder given";
    return false;
  }
  for (int attempt = 0; attempt < 5; ++attempt) {
    switch (LaunchOnce(binary)) {
      case Launch::kReady: return true;
      case Launch::kFailed: return false;
      case Launch::kPortTaken: break;
    }
  }
  error_ = "llama-server: every chosen port was taken; last log " + log_path_ + ":\n" + Tail(log());
  return false;
}

bool LlamaServerProcess::Healthy() const {
  remote::HttpCall call;
  call.url = url() + "/health";
  call.connect_timeout_s = 1;
  call.time_limit_s = 2;
  remote::HttpResult r = remote::Perform(call);
  return r.error.empty() && r.status == 200;
}

LlamaServerProcess::Launch LlamaServerProcess::LaunchOnce(const std::string& binary) {
  port_ = options_.port > 0 ? options_.port : FreePort();
  options_.port = 0;  // a fixed port is tried once; retries pick free ones
  if (port_ <= 0) {
    error_ = "llama-server: no free port on 127.0.0.1";
    return Launch::kFailed;
  }
  log_path_ = options_.log_dir + "/server-" + std::to_string(port_) + ".log";

  argv_ = {binary,
           "-m", options_.model,
           "--host", "127.0.0.1",
           "--port", std::to_string(port_),
           "-np", std::to_string(options_.parallel),
           "-c", std::to_string(options_.ctx),
           "-t", std::to_string(options_.threads),
           "-tb", std::to_string(options_.threads),
           "--no-ui"};
  if (options_.batch_size > 0) {
    for (const char* flag : {"-b", "-ub"}) {
      argv_.push_back(flag);
      argv_.push_back(std::to_string(options_.batch_size));
    }
  }
  if (options_.gpu_layers >= 0) {
    argv_.push_back("-ngl");
    argv_.push_back(std::to_string(options_.gpu_layers));
  }
  argv_.insert(argv_.end(), options_.extra.begin(), options_.extra.end());
  std::vector<std::string> args = argv_;
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  const int log_fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (log_fd < 0 || null_fd < 0) {
    error_ = "llama-server: cannot open " + log_path_ + ": " + std::strerror(errno);
    if (log_fd >= 0) close(log_fd);
    if (null_fd >= 0) close(null_fd);
    return Launch::kFailed;
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec (the parent has other threads).
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the parent died before prctl took effect
    dup2(null_fd, 0);
    dup2(log_fd, 1);
    dup2(log_fd, 2);
#ifdef SYS_close_range
    syscall(SYS_close_range, 3u, ~0u, 0u);  // no inherited sockets (a test's stub server) in the child
#endif
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(log_fd);
  close(null_fd);
  if (pid < 0) {
    error_ = std::string("llama-server: fork failed: ") + std::strerror(errno);
    return Launch::kFailed;
  }
  setpgid(pid, pid);  // also from here, so a Kill() right after fork() reaches the group
  pid_ = pid;

  const auto deadline = std::chrono::steady_clock::now() + options_.ready_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    const bool exited = waitpid(pid_, &status, WNOHANG) == pid_;
    if (exited) pid_ = 0;
    // Checked before /health: whoever holds a taken port may answer it (another server).
    const std::string text = log();
    if (text.find("couldn't bind") != std::string::npos) {
      Kill();
      return Launch::kPortTaken;
    }
    if (exited) {
      error_ = "llama-server " + DescribeStatus(status) + " before it was ready; log " + log_path_ + ":\n" + Tail(text);
      return Launch::kFailed;
    }
    // Polling: a child process offers nothing to wait on. Its own "listening on" line tells our
    // server's 200 from that of whoever else might hold the port.
    if (text.find("listening on " + url()) != std::string::npos && Healthy()) return Launch::kReady;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  Stop();
  error_ = "llama-server not healthy after " + std::to_string(options_.ready_timeout.count()) + " s; log " + log_path_ +
           ":\n" + Tail(log());
  return Launch::kFailed;
}

bool LlamaServerProcess::Reap(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (pid_ > 0) {
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_ || (r < 0 && errno == ECHILD)) {
      pid_ = 0;
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

void LlamaServerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = 0;
}

void LlamaServerProcess::Stop() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGTERM);
  if (!Reap(std::chrono::seconds(10))) Kill();
}

}  // namespace scale::remote
