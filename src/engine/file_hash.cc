#include "engine/file_hash.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <vector>

#include "util/error.h"

namespace scale::engine {

std::string FileIdentity(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw Error(kExitModel, "cannot read " + path);
  const uint64_t size = static_cast<uint64_t>(in.tellg());
  constexpr uint64_t kHead = 8ull << 20, kTail = 1ull << 20;
  XXH3_state_t* state = XXH3_createState();
  XXH3_64bits_reset(state);
  std::vector<char> buf(1 << 20);
  auto hash_range = [&](uint64_t from, uint64_t len) {
    in.seekg(static_cast<std::streamoff>(from));
    while (len > 0 && in) {
      size_t chunk = static_cast<size_t>(std::min<uint64_t>(len, buf.size()));
      in.read(buf.data(), static_cast<std::streamsize>(chunk));
      XXH3_64bits_update(state, buf.data(), static_cast<size_t>(in.gcount()));
      len -= chunk;
    }
  };
  uint64_t head = std::min(size, kHead);
  hash_range(0, head);
  if (size > head) {
    uint64_t tail_from = std::max(head, size - kTail);
    hash_range(tail_from, size - tail_from);
  }
  XXH64_hash_t h = XXH3_64bits_update(state, &size, sizeof size) == XXH_OK ? XXH3_64bits_digest(state) : 0;
  XXH3_freeState(state);
  char out[64];
  std::snprintf(out, sizeof out, "%016llx-%llu", static_cast<unsigned long long>(h),
                static_cast<unsigned long long>(size));
  return out;
}

}  // namespace scale::engine
