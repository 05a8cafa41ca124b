#include "testing/fake_hub.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include <nlohmann/json.hpp>

#include "util/sha256.h"

namespace scale::models::testing {

namespace {

// False when the client went away.
bool SendAll(int fd, std::string_view data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += size_t(n);
  }
  return true;
}

void Reply(int fd, int status, const std::string& body, const std::string& extra = "",
           const std::string& type = "application/json") {
  static const std::map<int, std::string> kReason = {{200, "OK"}, {206, "Partial Content"}, {302, "Found"},
                                                     {401, "Unauthorized"}, {404, "Not Found"},
                                                     {416, "Range Not Satisfiable"}};
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " + kReason.at(status) + "\r\nContent-Type: " + type +
                     "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n" + extra + "\r\n";
  SendAll(fd, head + body);
}

std::string ClaimedSha(const FakeHub::File& f) {
  return f.claimed_sha256.empty() ? Sha256Hex(f.content) : f.claimed_sha256;
}

std::string Decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += char(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) out.push_back(Decode(path.substr(i, j - i)));
    i = j + 1;
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts, size_t from) {
  std::string out;
  for (size_t i = from; i < parts.size(); ++i) out += (i > from ? "/" : "") + parts[i];
  return out;
}

}  // namespace

FakeHub::FakeHub() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  listen(listen_fd_, 16);
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

FakeHub::~FakeHub() {
  stopping_ = true;
  shutdown(listen_fd_, SHUT_RDWR);
  close(listen_fd_);
  acceptor_.join();
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    workers.swap(workers_);
  }
  for (auto& t : workers) t.join();
}

void FakeHub::AcceptLoop() {
  while (!stopping_) {
    int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) {
      if (stopping_) return;
      continue;
    }
    std::lock_guard<std::mutex> lock(mu_);
    workers_.emplace_back([this, fd] { Serve(fd); close(fd); });
  }
}

void FakeHub::ReplySlowly(int fd, int status, const std::string& body, const std::string& extra, size_t chunk, int delay_ms) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + (status == 206 ? " Partial Content" : " OK") +
                     "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + std::to_string(body.size()) +
                     "\r\nConnection: close\r\n" + extra + "\r\n";
  if (!SendAll(fd, head)) return;
  for (size_t at = 0; at < body.size() && !stopping_; at += chunk) {
    if (!SendAll(fd, std::string_view(body).substr(at, chunk))) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
  }
}

void FakeHub::Serve(int fd) {
  std::string req;
  char buf[4096];
  while (req.find("\r\n\r\n") == std::string::npos) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    req.append(buf, size_t(n));
  }
  std::string target = req.substr(req.find(' ') + 1);
  target = target.substr(0, target.find(' '));
  std::string path = target.substr(0, target.find('?'));
  std::string range, auth;
  for (size_t pos = req.find("\r\n"); pos != std::string::npos && pos + 2 < req.size();) {
    size_t end = req.find("\r\n", pos + 2);
    std::string line = req.substr(pos + 2, end - pos - 2);
    std::string lower = line;
    for (auto& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (lower.rfind("range:", 0) == 0) range = line.substr(line.find(':') + 2);
    if (lower.rfind("authorization:", 0) == 0) auth = line.substr(line.find(':') + 2);
    pos = end;
  }
  std::unique_lock<std::mutex> lock(mu_);
  log_.push_back("GET " + target + (range.empty() ? "" : " range=" + range) + (auth.empty() ? "" : " auth"));

  // Routes: /api/models/O/R/revision/REV, /api/models/O/R/tree/REV, /O/R/resolve/REV/FILE, /cdn/O/R/FILE
  auto parts = Split(path);
  std::string repo_id;
  Repo* repo = nullptr;
  size_t rest = 0;
  if (parts.size() >= 4 && parts[0] == "api" && parts[1] == "models") {
    repo_id = parts[2] + "/" + parts[3], rest = 4;
  } else if (parts.size() >= 3 && parts[0] == "cdn") {
    repo_id = parts[1] + "/" + parts[2], rest = 3;
  } else if (parts.size() >= 2) {
    repo_id = parts[0] + "/" + parts[1], rest = 2;
  }
  auto it = repos_.find(repo_id);
  if (it != repos_.end()) repo = &it->second;
  if (!repo) return Reply(fd, 404, R"({"error":"Repository not found"})");
  const bool cdn = parts[0] == "cdn";
  if (!cdn && !repo->token.empty() && auth != "Bearer " + repo->token) {
    return Reply(fd, 401, R"({"error":"Invalid credentials"})");
  }

  if (parts[0] == "api" && parts.size() > rest + 1 && parts[rest] == "revision") {
    if (!repo->revision_json.empty()) return Reply(fd, 200, repo->revision_json);
    nlohmann::json j = {{"id", repo_id}, {"sha", repo->commit}, {"siblings", nlohmann::json::array()}};
    for (const auto& [name, f] : repo->files) j["siblings"].push_back({{"rfilename", name}});
    return Reply(fd, 200, j.dump());
  }
  if (parts[0] == "api" && parts.size() > rest + 1 && parts[rest] == "tree") {
    if (!repo->tree_json.empty()) return Reply(fd, 200, repo->tree_json);
    nlohmann::json j = nlohmann::json::array();
    for (const auto& [name, f] : repo->files) {
      nlohmann::json e = {{"type", "file"}, {"path", name}, {"size", f.content.size()}, {"oid", "gitblob"}};
      if (f.lfs && f.listed_sha) {
        e["lfs"] = {{"oid", ClaimedSha(f)}, {"size", f.content.size()}, {"pointerSize", 134}};
      }
      j.push_back(e);
    }
    return Reply(fd, 200, j.dump());
  }
  if (parts.size() > rest + 2 && parts[rest] == "resolve") {
    std::string file = Join(parts, rest + 2);
    auto f = repo->files.find(file);
    if (f == repo->files.end()) return Reply(fd, 404, R"({"error":"Entry not found"})");
    std::string extra = "Location: " + (f->second.location.empty() ? endpoint() + "/cdn/" + repo_id + "/" + file
                                                                       : f->second.location) + "\r\n";
    if (f->second.lfs) {
      std::string etag = f->second.linked_etag.empty() ? ClaimedSha(f->second) : f->second.linked_etag;
      extra += "X-Linked-Etag: \"" + etag + "\"\r\nX-Linked-Size: " + std::to_string(f->second.content.size()) + "\r\n";
    }
    return Reply(fd, 302, "", extra);
  }
  if (parts[0] == "cdn") {
    std::string file = Join(parts, rest);
    auto f = repo->files.find(file);
    if (f == repo->files.end()) return Reply(fd, 404, "not found", "", "text/plain");
    File& data = f->second;
    size_t start = 0;
    if (!range.empty() && !data.ignore_range) start = std::stoul(range.substr(range.find('=') + 1));
    if (start >= data.content.size() && start > 0) return Reply(fd, 416, "", "", "text/plain");
    int status = 200;
    size_t total = data.content.size();
    if (start > 0) {
      status = 206;
      start = size_t(std::clamp<int64_t>(int64_t(start) + data.range_shift, 0, int64_t(total) - 1));
    }
    std::string body = data.content.substr(start);
    std::string extra;
    if (status == 206) {
      extra = "Content-Range: bytes " + std::to_string(start) + "-" + std::to_string(total - 1) + "/" +
              std::to_string(data.range_total >= 0 ? size_t(data.range_total) : total) + "\r\n";
    }
    if (data.drops > 0) {
      --data.drops;
      size_t keep = std::min(body.size(), data.drop_after);
      lock.unlock();
      std::string head = "HTTP/1.1 " + std::to_string(status) + (status == 206 ? " Partial Content" : " OK") +
                         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n" + extra + "\r\n";
      SendAll(fd, head + body.substr(0, keep));
      return;  // closing now leaves the client short of Content-Length
    }
    const size_t chunk = data.chunk_bytes;
    const int delay_ms = data.chunk_delay_ms;
    lock.unlock();
    if (delay_ms > 0 && chunk > 0) return ReplySlowly(fd, status, body, extra, chunk, delay_ms);
    return Reply(fd, status, body, extra, "application/octet-stream");
  }
  Reply(fd, 404, R"({"error":"Not found"})");
}

std::string Blob(size_t n, unsigned seed) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (auto& c : s) {
    x = x * 1664525u + 1013904223u;
    c = char(x >> 24);
  }
  return s;
}

}  // namespace scale::models::testing
