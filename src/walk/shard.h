// `--shard I/N`: which of N CI jobs handles a file. A file belongs to shard
// 1 + (first 8 bytes of SHA-256(key), big-endian) mod N, where the key is its '/'-separated path
// below the root the user named; so the N shards are disjoint, cover every file, and a file's
// shard depends only on its own path and N (not on the order or on the other files).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace scale::walk {

struct Shard {
  uint32_t index = 1;  // 1-based: 1..count
  uint32_t count = 1;
  bool all() const { return count == 1; }
  std::string Text() const;  // "I/N"
};

// Parses "I/N" (decimal, 1 <= I <= N). Throws Error(kExitUsage) with one line otherwise
// ("0/3", "4/3", "a/b", "3", "1/0", signs, spaces, overflow). `flag` names the option in the message.
Shard ParseShard(std::string_view text, std::string_view flag = "--shard");

// 1..count: the shard `key` belongs to.
uint32_t ShardOf(std::string_view key, uint32_t count);
inline bool InShard(std::string_view key, const Shard& shard) { return ShardOf(key, shard.count) == shard.index; }

// The root keys are relative to, for paths given on a command line: the deepest common directory
// of their absolute, symlink-resolved forms (a file stands for its folder), the same root
// walk::Walk reports, so `comment` and `summarize` shard the same arguments alike.
std::filesystem::path ShardRoot(const std::vector<std::filesystem::path>& paths);

// `path`'s key below `root` (from ShardRoot): resolved like ShardRoot does, '/'-separated.
std::string ShardKey(const std::filesystem::path& root, const std::filesystem::path& path);

// Keeps the items of `paths`-named arguments that fall in `shard` (key: ShardKey of
// path_of(item) below ShardRoot(args)), in order; returns how many were left to other shards.
template <typename T, typename PathOf>
size_t KeepShard(const Shard& shard, const std::vector<std::filesystem::path>& args, std::vector<T>* items,
                 PathOf path_of) {
  if (shard.all()) return 0;
  const std::filesystem::path root = ShardRoot(args);
  const size_t before = items->size();
  std::erase_if(*items, [&](const T& item) { return !InShard(ShardKey(root, path_of(item)), shard); });
  return before - items->size();
}

}  // namespace scale::walk
