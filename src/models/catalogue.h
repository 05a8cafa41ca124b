// The recommended models for code work (compiled in, so `scale models catalogue` works offline):
// where each lives on the Hub, which file to take, and the shape numbers the memory arithmetic in
// `scale hw` needs. One entry is the default model that -m falls back to once it is cached.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model_facts.h"

namespace scale::models {

struct CatalogueEntry {
  std::string id;          // short name used on the command line: "qwen2.5-coder-0.5b"
  std::string title;       // "Qwen2.5-Coder-0.5B-Instruct"
  std::string repo;        // Hub repository with GGUF files
  std::string include;     // glob selecting the file(s) of `quant` in that repo
  std::string quant;       // "Q4_K_M"
  uint64_t file_bytes;     // approximate download size (all shards)
  double params_b;         // parameters, billions
  uint32_t n_layer, n_embd, n_head, n_head_kv, head_dim, n_ff, vocab_size;
  uint32_t context_length; // trained context
  std::string note;        // one line: what it is good for
};

const std::vector<CatalogueEntry>& Catalogue();
const CatalogueEntry& DefaultCatalogueEntry();  // Qwen2.5-Coder-0.5B-Instruct Q4_K_M
// By id (case-insensitive) or by repo; nullptr when unknown.
const CatalogueEntry* FindCatalogueEntry(const std::string& id_or_repo);

// An entry's shape, for the one memory formula (engine/model_facts.h).
engine::ModelShape ShapeOf(const CatalogueEntry& e);
using engine::MemoryEstimate;
// engine::EstimateMemory for an entry's shape and download size; cache_type: --cache-type.
MemoryEstimate EstimateMemory(const CatalogueEntry& e, uint32_t n_ctx, uint32_t parallel, uint32_t n_ubatch,
                              engine::KvCacheType cache_type = engine::KvCacheType::kF16);

// The cached file (first shard) for an entry: models_dir/REPO/[REVISION/]<file matching include>,
// complete files only (never *.partial, never a file that changed since its download and no
// longer matches the SHA-256 recorded then). The newest when several revisions are cached;
// nullopt when not downloaded.
std::optional<std::filesystem::path> CachedPath(const CatalogueEntry& e, const std::filesystem::path& models_dir);

// CachedPath(DefaultCatalogueEntry(), CacheDir()/models): what -m falls back to after $SCALE_MODEL.
std::optional<std::string> DefaultModelPath();

// The one-line error when no model was given and the default is not cached, naming the command.
std::string MissingDefaultModelMessage();

// What -m falls back to after $SCALE_MODEL: the cached default model, else (unless $SCALE_OFFLINE=1)
// the default model pulled from the Hub now, once. Throws Error(kExitModel) with
// MissingDefaultModelMessage() and the network's reason when it can be neither found nor fetched.
std::string DefaultModelOrPull();

}  // namespace scale::models
