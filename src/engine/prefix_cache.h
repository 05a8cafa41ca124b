// On-disk store of KV-cache prefixes (e.g. system prompt + chat template opener) so the next run
// of the same model skips their prefill. One file per prefix, dir/<model id>/<SHA-256 of the
// tokens>.kv, holding the model id, the tokens, llama.cpp's per-sequence state and a SHA-256 of
// all of that. Files that are truncated, corrupt, renamed, written for another model, or not
// plain files (a planted symlink is never followed) are ignored, deleted, and rewritten when next
// saved. Files are created 0600: a KV state is a digest of the user's prompts.
//
// The model id is a SHA-256 over `model_key`: the engine's fingerprint, which holds the SHA-256 of
// the whole model file (engine/file_hash.h, hashed once per file version) and of each adapter, the
// chat format, RoPE and KV settings, so two different models never share prefixes.
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
  const std::string& model_id() const { return model_id_; }  // 64 hex digits

 private:
  bool LoadFile(llama_context* ctx, const std::filesystem::path& path, int seq, std::vector<llama_token>* tokens);
  void Trim();

  std::filesystem::path model_dir_;
  std::string model_id_;
  int max_files_;
};

}  // namespace scale::engine
