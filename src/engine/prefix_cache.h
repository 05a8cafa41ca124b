// On-disk store of KV-cache prefixes (e.g. system prompt + chat template opener) so the next run
// of the same model skips their prefill. One file per prefix, dir/<model id>/<SHA-256 of the
// tokens>.kv, holding the model id, the tokens, llama.cpp's per-sequence state and a SHA-256 of
// all of that. Files that are truncated, corrupt, renamed, written for another model, or not
// plain files (a planted symlink is never followed) are ignored, deleted, and rewritten when next
// saved. Files are created 0600: a KV state is a digest of the user's prompts.
//
// The model id is a SHA-256 over `model_key` (the engine's fingerprint: adapters, chat format,
// RoPE and KV settings) and, when the model file is named, the SHA-256 of the whole file, so two
// different models never share prefixes, whatever their size, metadata or first and last
// tensors. Hashing a 0.4-5 GB model on every run would cost seconds, so the whole-file hash is kept
// in a small sidecar, dir/model-ids/<SHA-256 of the file's absolute path>.id, next to the file's
// stamp (device, inode, size, mtime and ctime in ns). Any change to the file (rewrite, copy over,
// even `touch -r` to restore mtime, which still moves ctime) changes the stamp and the file is
// hashed again; a stale sidecar can only cost a re-hash, never a wrong match.
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
  // Same, with the model's content in the id (see the header comment). If the model file cannot be
  // read the cache is off: Load finds nothing and Save writes nothing.
  PrefixCache(std::filesystem::path dir, std::string model_key, const std::filesystem::path& model_file,
              int max_files = 16);

  // Loads up to seqs.size() most recently used prefixes, one into each sequence id in `seqs`
  // (cleared first). Returns the tokens now held by each of those sequences (empty = none).
  // Never throws: an unreadable/invalid file is logged (-v), deleted and skipped.
  std::vector<std::vector<llama_token>> Load(llama_context* ctx, const std::vector<int>& seqs);

  // Saves sequence `seq` (whose KV holds exactly `tokens`) unless that prefix is already stored.
  // Returns true when a file was written. Never throws (a full disk only costs the speed-up).
  bool Save(llama_context* ctx, int seq, const std::vector<llama_token>& tokens);

  std::filesystem::path FileFor(const std::vector<llama_token>& tokens) const;
  const std::filesystem::path& model_dir() const { return model_dir_; }
  const std::string& model_id() const { return model_id_; }  // 64 hex digits; "" when off

  // The SHA-256 of the whole file, from the sidecar under `dir` while the file's stamp is
  // unchanged, else computed and recorded there. "" when the file cannot be read.
  static std::string ModelFileSha256(const std::filesystem::path& dir, const std::filesystem::path& model_file);

 private:
  bool LoadFile(llama_context* ctx, const std::filesystem::path& path, int seq, std::vector<llama_token>* tokens);
  void Trim();

  std::filesystem::path model_dir_;
  std::string model_id_;
  int max_files_;
};

}  // namespace scale::engine
