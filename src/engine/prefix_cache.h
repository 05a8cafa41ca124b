// On-disk store of KV-cache prefixes (e.g. system prompt + chat template opener) so the next run
// of the same model skips their prefill. One file per prefix under dir/<model key>/<tokens hash>.kv
// holding the tokens, a checksum and llama.cpp's per-sequence state; files that are truncated,
// corrupt or written for another model are ignored, deleted, and rewritten when next saved.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

struct llama_context;
typedef int32_t llama_token;

namespace scale::engine {

class PrefixCache {
 public:
  // `model_key` must change whenever the KV values would (model, adapters, RoPE settings).
  // Keeps at most `max_files` prefixes per model (least recently used are deleted first).
  PrefixCache(std::filesystem::path dir, std::string model_key, int max_files = 16);

  // Loads up to seqs.size() most recently used prefixes, one into each sequence id in `seqs`
  // (cleared first). Returns the tokens now held by each of those sequences (empty = none).
  // Never throws: an unreadable/invalid file is logged (-v), deleted and skipped.
  std::vector<std::vector<llama_token>> Load(llama_context* ctx, const std::vector<int>& seqs);

  // Saves sequence `seq` (whose KV holds exactly `tokens`) unless that prefix is already stored.
  // Returns true when a file was written. Never throws (a full disk only costs the speed-up).
  bool Save(llama_context* ctx, int seq, const std::vector<llama_token>& tokens);

  std::filesystem::path FileFor(const std::vector<llama_token>& tokens) const;
  const std::filesystem::path& model_dir() const { return model_dir_; }

 private:
  bool LoadFile(llama_context* ctx, const std::filesystem::path& path, int seq, std::vector<llama_token>* tokens);
  void Trim();

  std::filesystem::path model_dir_;
  uint64_t model_hash_ = 0;
  int max_files_;
};

}  // namespace scale::engine
