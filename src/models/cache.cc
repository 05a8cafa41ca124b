#include "models/cache.h"

#include <algorithm>
#include <map>

#include "models/catalogue.h"
#include "engine/gguf_header.h"
#include "models/hub.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/verified_file.h"

namespace scale::models {
namespace fs = std::filesystem;

fs::path ModelsDir() { return CacheDir() / "models"; }

namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string RepoOf(const fs::path& models_dir, const fs::path& file) {
  fs::path rel = file.lexically_relative(models_dir);
  auto it = rel.begin();
  if (std::distance(rel.begin(), rel.end()) < 3) return "";
  std::string owner = (it++)->string();
  return owner + "/" + it->string();
}

bool Inside(const fs::path& dir, const fs::path& p) {
  std::error_code ec;
  fs::path a = fs::weakly_canonical(dir, ec), b = fs::weakly_canonical(p, ec);
  auto rel = b.lexically_relative(a);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

std::vector<CachedModel> ListCachedModels(const fs::path& models_dir) {
  std::error_code ec;
  if (!fs::is_directory(models_dir, ec)) return {};
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(models_dir, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->is_regular_file(ec) && EndsWith(it->path().filename().string(), ".gguf")) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  std::map<std::string, CachedModel> by_key;  // key: directory + model name
  for (const auto& f : files) {
    std::string stem;
    int shard = 0, count = 0;
    std::string file_name = f.filename().string();
    bool split = engine::ParseSplitName(file_name, &stem, &shard, &count) && count > 1;
    std::string name = split ? stem : file_name.substr(0, file_name.size() - 5);
    CachedModel& m = by_key[(f.parent_path() / name).string() + (split ? "#split" + std::to_string(count) : "")];
    if (m.files.empty()) {
      m.name = name;
      m.repo = RepoOf(models_dir, f);
    }
    m.files.push_back(f);
    m.bytes += fs::file_size(f, ec);
    if (!split || shard == 1) m.path = f;
    if (split) m.complete = false;  // re-checked below
  }
  std::vector<CachedModel> out;
  for (auto& [key, m] : by_key) {
    std::string stem;
    int shard = 0, count = 1;
    if (engine::ParseSplitName(m.files.front().filename().string(), &stem, &shard, &count) && count > 1) {
      m.complete = int(m.files.size()) == count && !m.path.empty();
      if (m.path.empty()) m.path = m.files.front();
    }
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(), [](const CachedModel& a, const CachedModel& b) {
    return std::tie(a.repo, a.path) < std::tie(b.repo, b.path);
  });
  return out;
}

std::vector<fs::path> ListPartialDownloads(const fs::path& models_dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(models_dir, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(models_dir, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->is_regular_file(ec) && EndsWith(it->path().string(), ".partial")) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<fs::path> RemoveCachedModel(const fs::path& models_dir, const std::string& what) {
  std::vector<CachedModel> all = ListCachedModels(models_dir);
  std::vector<const CachedModel*> hits;
  std::error_code ec;
  bool looks_like_path = what.find('/') != std::string::npos && fs::exists(what, ec);
  if (looks_like_path) {
    if (!Inside(models_dir, what)) {
      throw Error(kExitUsage, what + " is not in the model cache (" + models_dir.string() +
                                  "); scale only deletes models it downloaded");
    }
    fs::path canon = fs::weakly_canonical(what, ec);
    for (const auto& m : all) {
      for (const auto& f : m.files) {
        if (fs::weakly_canonical(f, ec) == canon) hits.push_back(&m);
      }
    }
  } else {
    const CatalogueEntry* entry = FindCatalogueEntry(what);
    for (const auto& m : all) {
      bool match = m.name == what || m.path.filename().string() == what || m.repo == what ||
                   (entry && m.repo == entry->repo && GlobMatch(entry->include, m.path.filename().string()));
      if (match) hits.push_back(&m);
    }
    // A repo or catalogue id names a set on purpose; a bare name must pick exactly one model.
    bool set_name = what.find('/') != std::string::npos || entry != nullptr;
    if (hits.size() > 1 && !set_name) {
      std::string list;
      for (const auto* m : hits) list += (list.empty() ? "" : ", ") + m->path.string();
      throw Error(kExitUsage, "'" + what + "' matches several cached models: " + list + " (give the path)");
    }
  }
  if (hits.empty()) {
    throw Error(kExitUsage, "no cached model matches '" + what + "' (see `scale models list`)");
  }
  std::vector<fs::path> removed;
  for (const auto* m : hits) {
    for (const auto& f : m->files) {
      if (fs::remove(f, ec)) removed.push_back(f);
      fs::path partial = f.string() + ".partial";
      if (fs::remove(partial, ec)) removed.push_back(partial);
      fs::remove(MarkerPath(f), ec);  // bookkeeping, not a model: not reported
    }
    // Drop emptied OWNER/REPO folders so `list` does not show ghosts.
    for (fs::path dir = m->path.parent_path(); Inside(models_dir, dir) && fs::is_empty(dir, ec); dir = dir.parent_path()) {
      fs::remove(dir, ec);
    }
  }
  return removed;
}

}  // namespace scale::models
