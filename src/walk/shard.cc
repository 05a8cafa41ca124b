#include "walk/shard.h"

#include <algorithm>
#include <charconv>
#include <system_error>

#include "util/error.h"
#include "util/sha256.h"

namespace scale::walk {
namespace fs = std::filesystem;
namespace {

// Digits only: from_chars alone would take a leading '-' and stop early at junk.
bool ParseCount(std::string_view text, uint32_t* out) {
  if (text.empty() || text.size() > 9 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

fs::path Resolved(const fs::path& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  if (ec) return path.lexically_normal();
  fs::path canonical = fs::weakly_canonical(absolute, ec);
  return ec ? absolute.lexically_normal() : canonical;
}

}  // namespace

std::string Shard::Text() const { return std::to_string(index) + "/" + std::to_string(count); }

Shard ParseShard(std::string_view text, std::string_view flag) {
  const std::string usage = std::string(flag) + " takes I/N with 1 <= I <= N (e.g. 2/4), got '" + std::string(text) + "'";
  size_t slash = text.find('/');
  Shard shard;
  if (slash == std::string_view::npos || !ParseCount(text.substr(0, slash), &shard.index) ||
      !ParseCount(text.substr(slash + 1), &shard.count) || shard.count == 0 || shard.index == 0 ||
      shard.index > shard.count) {
    throw Error(kExitUsage, usage);
  }
  return shard;
}

uint32_t ShardOf(std::string_view key, uint32_t count) {
  if (count <= 1) return 1;
  const std::string hex = Sha256Hex(key);
  uint64_t prefix = 0;
  // The first 16 hex digits are the first 8 bytes, most significant first.
  std::from_chars(hex.data(), hex.data() + 16, prefix, 16);
  return static_cast<uint32_t>(prefix % count) + 1;
}

fs::path ShardRoot(const std::vector<fs::path>& paths) {
  fs::path root;
  bool first = true;
  for (const fs::path& p : paths) {
    std::error_code ec;
    fs::path resolved = Resolved(p);
    fs::path dir = fs::is_directory(resolved, ec) ? resolved : resolved.parent_path();
    if (first) {
      root = dir;
      first = false;
      continue;
    }
    while (!root.empty() && std::mismatch(root.begin(), root.end(), dir.begin(), dir.end()).first != root.end()) {
      root = root.parent_path();
    }
  }
  return root;
}

std::string ShardKey(const fs::path& root, const fs::path& path) {
  std::string key = Resolved(path).lexically_relative(root).generic_string();
  return key;
}

}  // namespace scale::walk
