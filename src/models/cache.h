// The model cache: CacheDir()/models/OWNER/REPO/COMMIT/FILE.gguf as written by `scale models pull`
// (OWNER/REPO/FILE.gguf from before revision folders, and files put there by hand, are listed
// too). Split models count as one model, named after their first shard. Unfinished downloads
// (*.partial) and verified markers (*.verified) are never listed as models.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace scale::models {

std::filesystem::path ModelsDir();  // CacheDir() / "models"

struct CachedModel {
  std::string name;                        // file name without .gguf and without -00001-of-0000N
  std::string repo;                        // "OWNER/REPO" when under models_dir/OWNER/REPO, else ""
  std::filesystem::path path;              // the file to pass to -m (first shard)
  std::vector<std::filesystem::path> files;// every shard present
  uint64_t bytes = 0;
  bool complete = true;                    // false: a shard of a split model is missing
};

// Every model under models_dir, sorted by repo then path. Reads no file contents.
std::vector<CachedModel> ListCachedModels(const std::filesystem::path& models_dir);

// *.partial files (interrupted downloads) under models_dir.
std::vector<std::filesystem::path> ListPartialDownloads(const std::filesystem::path& models_dir);

// Deletes one model (all shards and their .partial files) chosen by: a path inside models_dir, a
// file name, a model name, OWNER/REPO (every model of the repo) or a catalogue id. Returns the
// deleted files. Throws Error(kExitUsage) when nothing matches, when the name is ambiguous (listing
// the candidates), or for a path outside the cache (scale never deletes files it did not fetch).
std::vector<std::filesystem::path> RemoveCachedModel(const std::filesystem::path& models_dir, const std::string& what);

}  // namespace scale::models
