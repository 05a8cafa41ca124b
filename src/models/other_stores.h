// GGUF models that other tools already downloaded (the Hugging Face hub cache, Ollama, LM Studio),
// found so `scale models list` shows them and -m accepts their names instead of downloading again.
// Strictly read-only: nothing here writes, moves, links or locks anything in those stores, and a
// file is taken only when it starts with the GGUF magic and does not lie behind a link that leaves
// its store (Hugging Face snapshot links must point into their own repository's blobs/ folder).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace scale::models {

// Where each store lives. An empty or missing folder is simply a store with no models.
struct StoreRoots {
  std::filesystem::path huggingface;            // $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub
  std::filesystem::path ollama;                 // $OLLAMA_MODELS, else ~/.ollama/models
  std::vector<std::filesystem::path> lmstudio;  // ~/.lmstudio/models, then the older ~/.cache/lm-studio/models
};
StoreRoots StoreRootsFromEnv();

struct OtherModel {
  std::string source;           // "huggingface", "ollama" or "lmstudio"
  std::string name;             // what -m accepts: ORG/NAME/FILE.gguf, ollama:NAME:TAG, PUBLISHER/REPO/FILE.gguf
  std::filesystem::path path;   // the file to load (first shard of a split model; an HF snapshot entry)
  uint64_t bytes = 0;           // every shard present
};

// Every GGUF model in the stores, sorted by source (huggingface, ollama, lmstudio) then name.
// Entries that are unreadable, not GGUF or behind a refused link are skipped with a -v line; walks
// are bounded in depth and entry count. Only file headers (4 bytes) and Ollama manifests are read.
std::vector<OtherModel> ListOtherModels(const StoreRoots& roots);

// The model -m NAME names among `models`: "ollama:NAME[:TAG]" (TAG defaults to latest),
// "ORG/NAME[/FILE.gguf]" or "PUBLISHER/REPO[/FILE]" (".gguf" optional; "hf:" or "lmstudio:" in front
// picks the store). nullopt when nothing matches. Throws Error(kExitUsage) listing the choices when
// the name fits several files (a repository with several quantisations, say).
std::optional<std::filesystem::path> FindOtherModel(const std::vector<OtherModel>& models, const std::string& what);

// What -m's value means: itself when it is an existing file or matches no other store's model (so
// today's errors stay), else the path FindOtherModel gives for ListOtherModels(StoreRootsFromEnv()).
std::string ResolveModelArgument(const std::string& what);

}  // namespace scale::models
