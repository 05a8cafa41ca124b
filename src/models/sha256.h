// SHA-256 (FIPS 180-4) for checking downloaded model files against the Hub's LFS object ids.
// Incremental: Update() any number of times, then HexDigest() once. No external crypto library.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace scale::models {

class Sha256 {
 public:
  Sha256();
  void Update(const void* data, size_t size);
  void Update(std::string_view data) { Update(data.data(), data.size()); }
  // Finishes the hash and returns 64 lowercase hex digits. The object is spent afterwards.
  std::string HexDigest();

 private:
  void Block(const uint8_t* block);
  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_;
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

std::string Sha256Hex(std::string_view data);

// Hashes a file in 1 MiB chunks. `on_progress(bytes_done)` (may be empty) is called per chunk.
// Throws scale::Error(kExitInput) if the file cannot be read.
std::string Sha256File(const std::filesystem::path& path,
                       const std::function<void(uint64_t)>& on_progress = {});

}  // namespace scale::models
