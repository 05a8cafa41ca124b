#include "util/sha256.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <fstream>
#include <stdexcept>
#include <vector>

#include "util/error.h"
#include "util/hex.h"

namespace scale {

struct Sha256::State {
  EVP_MD_CTX* ctx = nullptr;
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  state_->ctx = EVP_MD_CTX_new();
  if (!state_->ctx || EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL: cannot initialise SHA-256");
  }
}

Sha256::~Sha256() { EVP_MD_CTX_free(state_->ctx); }

void Sha256::Update(const void* data, size_t size) {
  if (size > 0 && EVP_DigestUpdate(state_->ctx, data, size) != 1) throw std::runtime_error("OpenSSL: SHA-256 update failed");
}

std::string Sha256::HexDigest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(state_->ctx, digest, &len) != 1) throw std::runtime_error("OpenSSL: SHA-256 final failed");
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), len));
}

std::string Sha256Hex(std::string_view data) {
  Sha256 h;
  h.Update(data);
  return h.HexDigest();
}


std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), mac, &len)) {
    throw std::runtime_error("OpenSSL: HMAC-SHA-256 failed");
  }
  return HexEncode(std::string_view(reinterpret_cast<const char*>(mac), len));
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw std::runtime_error("OpenSSL: no random bytes");
  }
  return out;
}

std::string Sha256File(const std::filesystem::path& path, const std::function<void(uint64_t)>& on_progress) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(kExitInput, "cannot read " + path.string() + " to check its SHA-256");
  Sha256 h;
  std::vector<char> buf(1 << 20);
  uint64_t done = 0;
  while (in) {
    in.read(buf.data(), std::streamsize(buf.size()));
    std::streamsize n = in.gcount();
    if (n <= 0) break;
    h.Update(buf.data(), size_t(n));
    done += uint64_t(n);
    if (on_progress) on_progress(done);
  }
  if (in.bad()) throw Error(kExitInput, "read error while hashing " + path.string());
  return h.HexDigest();
}

}  // namespace scale
