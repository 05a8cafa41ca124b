// TEST-ONLY (tests/testing, never linked into scale): a tiny HTTP/1.1 Hub on 127.0.0.1 with an
// ephemeral port. It speaks the revision and tree APIs, answers /resolve/ with a 302 to a "CDN"
// path carrying X-Linked-Etag / X-Linked-Size for LFS files (as huggingface.co does), serves Range
// requests (206), and can drop a connection mid-file, serve slowly, lie about a checksum or a
// Content-Range, redirect anywhere, send malformed JSON, demand a token (401; the CDN path, like
// a signed CDN URL, needs none) or not know a repo (404). Every request line is logged.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace scale::models::testing {

class FakeHub {
 public:
  struct File {
    std::string content;
    bool lfs = true;
    std::string claimed_sha256;  // "" = the real SHA-256 of content
    size_t drop_after = 0;       // with drops > 0: send this many body bytes, then close
    int drops = 0;               // how many transfers of this file to cut short
    bool ignore_range = false;   // answer 200 with the whole file even to Range requests
    bool listed_sha = true;      // false: the listing has no LFS block (no hash); downloads still send X-Linked-*
    std::string linked_etag;     // X-Linked-Etag to send ("" = what the listing claims)
    int64_t range_shift = 0;     // a 206 serves (and honestly labels) bytes from start + range_shift
    int64_t range_total = -1;    // >= 0: the total a 206's Content-Range claims
    std::string location;        // where /resolve/ redirects ("" = this hub's /cdn/ path)
    size_t chunk_bytes = 0;      // with chunk_delay_ms > 0: send the body this many bytes at a time...
    int chunk_delay_ms = 0;      // ...pausing this long between chunks (a slow, large download)
  };
  struct Repo {
    std::string commit = "0123456789abcdef0123456789abcdef01234567";
    std::map<std::string, File> files;
    std::string token;  // non-empty: private, needs "Authorization: Bearer <token>"
    std::string revision_json;  // non-empty: the revision API's body, verbatim (malformed mirrors)
    std::string tree_json;      // non-empty: the tree API's body, verbatim
  };

  FakeHub();
  ~FakeHub();
  FakeHub(const FakeHub&) = delete;
  FakeHub& operator=(const FakeHub&) = delete;

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

  void AddRepo(const std::string& id, Repo repo) {
    std::lock_guard<std::mutex> lock(mu_);
    repos_[id] = std::move(repo);
  }
  File& file(const std::string& repo, const std::string& path) {
    std::lock_guard<std::mutex> lock(mu_);
    return repos_[repo].files[path];
  }

  // "GET /path" plus " range=bytes=N-" and " auth" when those headers were present.
  std::vector<std::string> log() {
    std::lock_guard<std::mutex> lock(mu_);
    return log_;
  }

 private:
  void AcceptLoop();
  void Serve(int fd);  // one connection: parse the request line and headers, route, reply
  // The body `chunk` bytes at a time with pauses, until done, the client is gone or the hub stops.
  void ReplySlowly(int fd, int status, const std::string& body, const std::string& extra, size_t chunk, int delay_ms);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::thread> workers_;
  std::map<std::string, Repo> repos_;
  std::vector<std::string> log_;
};

// `n` deterministic pseudo-random bytes from `seed`: content for a fake repo's files.
std::string Blob(size_t n, unsigned seed);

}  // namespace scale::models::testing
