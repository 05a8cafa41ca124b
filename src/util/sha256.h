// SHA-256 (FIPS 180-4) for content identity: downloaded model files against the Hub's LFS object
// ids, the undo journal's originals, the KV prefix files. OpenSSL's libcrypto does the hashing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace scale {

// Incremental: Update() any number of times, then HexDigest() once.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(const void* data, size_t size);
  void Update(std::string_view data) { Update(data.data(), data.size()); }
  // Finishes the hash and returns 64 lowercase hex digits. The object is spent afterwards.
  std::string HexDigest();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

std::string Sha256Hex(std::string_view data);

// HMAC-SHA-256 of `data` under `key`, as 64 lowercase hex digits (authenticates the undo journal).
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// `n` bytes from the operating system's CSPRNG. Throws std::runtime_error if it has none.
std::string RandomBytes(size_t n);

// Hashes a file in 1 MiB chunks. `on_progress(bytes_done)` (may be empty) is called per chunk.
// Throws scale::Error(kExitInput) if the file cannot be read.
std::string Sha256File(const std::filesystem::path& path,
                       const std::function<void(uint64_t)>& on_progress = {});

}  // namespace scale
