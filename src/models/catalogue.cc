#include "models/catalogue.h"

#include <algorithm>
#include <cstdlib>

#include "models/cache.h"
#include "engine/gguf_header.h"
#include "models/hub.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/sha256.h"
#include "util/verified_file.h"

namespace scale::models {
namespace fs = std::filesystem;

namespace {
constexpr uint64_t kMB = 1000ull * 1000ull;
}

// Shapes are from each model's config.json; file sizes are the Hub's, rounded (they only feed
// the "fits in memory" arithmetic, the download itself checks the exact size and hash).
const std::vector<CatalogueEntry>& Catalogue() {
  static const std::vector<CatalogueEntry> kEntries = {
      {"qwen2.5-coder-0.5b", "Qwen2.5-Coder-0.5B-Instruct", "Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF",
       "*q4_k_m.gguf", "Q4_K_M", 398 * kMB, 0.49, 24, 896, 14, 2, 64, 4864, 151936, 32768,
       "default: fast on any CPU, decent docstrings for Python/JS/C"},
      {"qwen2.5-coder-1.5b", "Qwen2.5-Coder-1.5B-Instruct", "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF",
       "*q4_k_m.gguf", "Q4_K_M", 1117 * kMB, 1.54, 28, 1536, 12, 2, 128, 8960, 151936, 32768,
       "better comments, still fine on 4 CPU cores"},
      {"qwen2.5-coder-7b", "Qwen2.5-Coder-7B-Instruct", "Qwen/Qwen2.5-Coder-7B-Instruct-GGUF",
       "*q4_k_m*.gguf", "Q4_K_M", 4683 * kMB, 7.62, 28, 3584, 28, 4, 128, 18944, 152064, 32768,
       "best quality here; wants a GPU with 8 GB or a fast 16 GB machine"},
      {"smollm2-135m", "SmolLM2-135M-Instruct", "bartowski/SmolLM2-135M-Instruct-GGUF",
       "*Q8_0.gguf", "Q8_0", 145 * kMB, 0.135, 30, 576, 9, 3, 64, 1536, 49152, 8192,
       "tiny: smoke tests and very old machines; weak on code"},
      {"smollm2-360m", "SmolLM2-360M-Instruct", "bartowski/SmolLM2-360M-Instruct-GGUF",
       "*Q8_0.gguf", "Q8_0", 386 * kMB, 0.362, 32, 960, 15, 5, 64, 2560, 49152, 8192,
       "small general model; short summaries"},
      {"smollm2-1.7b", "SmolLM2-1.7B-Instruct", "bartowski/SmolLM2-1.7B-Instruct-GGUF",
       "*Q4_K_M.gguf", "Q4_K_M", 1056 * kMB, 1.71, 24, 2048, 32, 32, 64, 8192, 49152, 8192,
       "general instruct model; large KV cache (no GQA)"},
      {"deepseek-coder-1.3b", "DeepSeek-Coder-1.3B-Instruct", "TheBloke/deepseek-coder-1.3b-instruct-GGUF",
       "*Q4_K_M.gguf", "Q4_K_M", 874 * kMB, 1.35, 24, 2048, 16, 16, 128, 5504, 32256, 16384,
       "code-trained; no GQA, so long contexts cost memory"},
      {"llama-3.2-1b", "Llama-3.2-1B-Instruct", "bartowski/Llama-3.2-1B-Instruct-GGUF",
       "*Q4_K_M.gguf", "Q4_K_M", 808 * kMB, 1.24, 16, 2048, 32, 8, 64, 8192, 128256, 131072,
       "general; long trained context"},
      {"llama-3.2-3b", "Llama-3.2-3B-Instruct", "bartowski/Llama-3.2-3B-Instruct-GGUF",
       "*Q4_K_M.gguf", "Q4_K_M", 2020 * kMB, 3.21, 28, 3072, 24, 8, 128, 8192, 128256, 131072,
       "general; good summaries with 8 GB free"},
      {"phi-3-mini-4k", "Phi-3-mini-4k-instruct", "microsoft/Phi-3-mini-4k-instruct-gguf",
       "*q4.gguf", "Q4_K_M", 2390 * kMB, 3.82, 32, 3072, 32, 32, 96, 8192, 32064, 4096,
       "strong reasoning for its size; 4k context only"},
  };
  return kEntries;
}

const CatalogueEntry& DefaultCatalogueEntry() { return Catalogue().front(); }

const CatalogueEntry* FindCatalogueEntry(const std::string& id_or_repo) {
  auto lower = [](std::string s) {
    for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  for (const auto& e : Catalogue()) {
    if (lower(e.id) == lower(id_or_repo) || lower(e.repo) == lower(id_or_repo)) return &e;
  }
  return nullptr;
}

engine::ModelShape ShapeOf(const CatalogueEntry& e) {
  engine::ModelShape s;
  s.n_layer = int(e.n_layer);
  s.n_embd = int(e.n_embd);
  s.n_head = int(e.n_head);
  s.n_head_kv = int(e.n_head_kv);
  s.head_dim_k = s.head_dim_v = int(e.head_dim);
  s.n_ff = int(e.n_ff);
  s.vocab_size = int(e.vocab_size);
  s.n_ctx_train = int(e.context_length);
  return s;
}

MemoryEstimate EstimateMemory(const CatalogueEntry& e, uint32_t n_ctx, uint32_t parallel, uint32_t n_ubatch,
                              engine::KvCacheType cache_type) {
  return engine::EstimateMemory(ShapeOf(e), e.file_bytes, {int(n_ctx), int(parallel), int(n_ubatch), cache_type, false});
}

namespace {

// A file whose verified marker no longer matches it was changed or damaged after the download: it
// is hashed again against the SHA-256 recorded then. Files without a marker (put there by hand)
// are taken as they are; llama.cpp's loader still checks that they are GGUF.
bool StillVerified(const fs::path& file) {
  const std::string recorded = RecordedSha256(file);
  if (recorded.empty() || TrustedSha256(file) == recorded) return true;
  if (Sha256File(file) != recorded) {
    LogWarning(file.string() + " no longer matches the SHA-256 it was downloaded with: not using it (pull it again)");
    return false;
  }
  try {
    WriteVerifiedMarker(file, recorded);
  } catch (const Error&) {
    // A read-only cache: the file is fine, it is only hashed again next time.
  }
  return true;
}

}  // namespace

std::optional<fs::path> CachedPath(const CatalogueEntry& e, const fs::path& models_dir) {
  // Several revisions of the file may be cached: the most recently written one wins.
  std::optional<fs::path> best;
  fs::file_time_type best_time;
  std::error_code ec;
  for (const auto& m : ListCachedModels(models_dir)) {
    if (m.repo != e.repo || !m.complete || !GlobMatch(e.include, m.path.filename().string())) continue;
    fs::file_time_type t = fs::last_write_time(m.path, ec);
    if (best && t <= best_time) continue;
    if (!std::all_of(m.files.begin(), m.files.end(), StillVerified)) continue;
    best = m.path;
    best_time = t;
  }
  return best;
}

std::optional<std::string> DefaultModelPath() {
  auto p = CachedPath(DefaultCatalogueEntry(), ModelsDir());
  if (!p) return std::nullopt;
  return p->string();
}

std::string MissingDefaultModelMessage() {
  const auto& e = DefaultCatalogueEntry();
  return "no model given (-m, $SCALE_MODEL) and the default model " + e.title + " " + e.quant +
         " is not in the cache: run `scale models pull --default` once (needs network), or pass -m FILE.gguf";
}

std::string DefaultModelOrPull() {
  if (auto cached = DefaultModelPath()) return *cached;
  const char* offline = std::getenv("SCALE_OFFLINE");
  if (offline != nullptr && std::string(offline) == "1") throw Error(kExitModel, MissingDefaultModelMessage());
  const auto& e = DefaultCatalogueEntry();
  LogInfo("no model given: downloading the default model " + e.title + " " + e.quant + " (once, into " +
          ModelsDir().string() + ")");
  HubOptions options = HubOptionsFromEnv();
  options.connect_timeout_s = 15;  // an offline machine should hear "offline" quickly
  try {
    return Pull(options, e.repo, {e.include}, ModelsDir()).first.string();
  } catch (const Error& err) {
    throw Error(kExitModel, MissingDefaultModelMessage() + " (download failed: " + err.what() + ")");
  }
}

}  // namespace scale::models
