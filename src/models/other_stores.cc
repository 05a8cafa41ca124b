#include "models/other_stores.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "engine/gguf_header.h"
#include "util/error.h"
#include "util/log.h"

namespace scale::models {
namespace {
namespace fs = std::filesystem;

constexpr size_t kMaxEntries = 50000;           // per store: a walk never turns into a disk scan
constexpr int kMaxSnapshotDepth = 4;            // HF repositories keep quantisations in subfolders
constexpr uint64_t kMaxManifestBytes = 1 << 20; // Ollama manifests are a few hundred bytes
constexpr const char* kOllamaModelType = "application/vnd.ollama.image.model";

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

fs::path Home() {
  if (std::string h = Env("HOME"); !h.empty()) return h;
  if (struct passwd* pw = getpwuid(geteuid()); pw != nullptr && pw->pw_dir != nullptr) return pw->pw_dir;
  return {};
}

void Skip(const fs::path& p, const std::string& why) { LogVerbose("other stores: skipped " + p.string() + ": " + why); }

// Counts the entries a store's walk visits and stops it past kMaxEntries.
struct Budget {
  size_t used = 0;
  bool Spend(const fs::path& where) {
    if (++used == kMaxEntries + 1) LogVerbose("other stores: stopped walking " + where.string() + " after " + std::to_string(kMaxEntries) + " entries");
    return used <= kMaxEntries;
  }
};

// `p` is strictly inside `dir` (both canonical).
bool Within(const fs::path& p, const fs::path& dir) {
  fs::path rel = p.lexically_relative(dir);
  return !rel.empty() && rel != "." && *rel.begin() != "..";
}

bool EndsWithGguf(const std::string& name) {
  if (name.size() < 5) return false;
  std::string ext = name.substr(name.size() - 5);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".gguf";
}

// Vision projectors ship beside the language model in many repositories; they are GGUF files
// but not models -m can run, and listing them would make every such repository ambiguous.
bool IsProjector(const std::string& name) { return name.rfind("mmproj", 0) == 0; }

// True when `p` is a regular file starting with "GGUF"; its size goes to *bytes. Opened
// non-blocking so a FIFO named *.gguf cannot hang the listing; only 4 bytes are read.
bool IsGgufFile(const fs::path& p, uint64_t* bytes) {
  int fd = ::open(p.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    Skip(p, std::strerror(errno));
    return false;
  }
  struct stat st {};
  char magic[4] = {};
  bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && ::read(fd, magic, 4) == 4 && std::memcmp(magic, "GGUF", 4) == 0;
  ::close(fd);
  if (!ok) Skip(p, "not a GGUF file");
  if (ok && bytes != nullptr) *bytes = static_cast<uint64_t>(st.st_size);
  return ok;
}

// The real directory `p` names, or "" when it is missing or unreadable.
fs::path CanonicalDir(const fs::path& p) {
  std::error_code ec;
  if (p.empty() || !fs::is_directory(p, ec)) return {};
  fs::path c = fs::canonical(p, ec);
  return ec ? fs::path() : c;
}

// A file entry accepted when it is a regular file, or a link whose final target lies inside
// `allowed` (canonical); the target is what gets checked for the magic.
std::optional<fs::path> AcceptedTarget(const fs::directory_entry& e, const fs::path& allowed, const std::string& refusal) {
  std::error_code ec;
  if (!e.is_symlink(ec)) return e.path();
  fs::path target = fs::canonical(e.path(), ec);
  if (ec) {
    Skip(e.path(), "broken link");
    return std::nullopt;
  }
  if (allowed.empty() || !Within(target, allowed)) {
    Skip(e.path(), refusal + " (refused)");
    return std::nullopt;
  }
  return target;
}

// Sub-directories of `dir` that are real directories (links to directories are not followed).
std::vector<fs::directory_entry> SubDirs(const fs::path& dir, Budget* budget) {
  std::vector<fs::directory_entry> out;
  std::error_code ec;
  fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  if (ec) {
    Skip(dir, ec.message());
    return out;
  }
  for (; it != end; it.increment(ec)) {
    if (ec || !budget->Spend(dir)) break;
    std::error_code e2;
    if (it->is_symlink(e2)) {
      if (fs::is_directory(it->path(), e2)) Skip(it->path(), "link to a folder (not followed)");
      continue;
    }
    if (it->is_directory(e2)) out.push_back(*it);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(s.begin());
  return s;
}

std::string ReadSmallFile(const fs::path& p, uint64_t limit) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(p, ec)) || fs::file_size(p, ec) > limit || ec) return "";
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// --- Hugging Face: models--ORG--NAME/snapshots/<rev>/<file>.gguf -> ../../blobs/<hash> ----------

struct HfFile {
  std::string rel;        // path inside the snapshot
  std::string revision;
  fs::path path;          // the snapshot entry
  uint64_t bytes = 0;
};

void ScanSnapshot(const fs::path& snapshot, const std::string& revision, const fs::path& blobs, Budget* budget, std::vector<HfFile>* out) {
  std::error_code ec;
  fs::recursive_directory_iterator it(snapshot, fs::directory_options::skip_permission_denied, ec), end;
  if (ec) {
    Skip(snapshot, ec.message());
    return;
  }
  for (; it != end; it.increment(ec)) {
    if (ec || !budget->Spend(snapshot)) break;
    if (it.depth() >= kMaxSnapshotDepth) it.disable_recursion_pending();
    const std::string name = it->path().filename().string();
    std::error_code e2;
    if (it->is_directory(e2) || !EndsWithGguf(name) || IsProjector(name)) continue;
    // Links go into this repository's blobs/ only (a real file, as on file systems without links,
    // is inside the repository already: the walk follows no folder links).
    std::optional<fs::path> target = AcceptedTarget(*it, blobs, "link leaves the repository's blobs/ folder");
    if (!target) continue;
    HfFile f;
    if (!IsGgufFile(*target, &f.bytes)) continue;
    f.rel = it->path().lexically_relative(snapshot).generic_string();
    f.revision = revision;
    f.path = it->path();
    out->push_back(std::move(f));
  }
}

void ScanHuggingFace(const fs::path& root, std::vector<OtherModel>* out) {
  const fs::path store = CanonicalDir(root);
  if (store.empty()) return;
  Budget budget;
  for (const auto& repo_entry : SubDirs(store, &budget)) {
    const std::string folder = repo_entry.path().filename().string();
    if (folder.rfind("models--", 0) != 0) continue;
    std::string repo_id = folder.substr(8);
    if (size_t sep = repo_id.find("--"); sep != std::string::npos) repo_id.replace(sep, 2, "/");
    const fs::path repo = repo_entry.path();
    const fs::path blobs = CanonicalDir(repo / "blobs");
    const std::string main_rev = Trim(ReadSmallFile(repo / "refs" / "main", 256));
    std::vector<HfFile> files;
    for (const auto& snap : SubDirs(repo / "snapshots", &budget)) {
      ScanSnapshot(snap.path(), snap.path().filename().string(), blobs, &budget, &files);
    }
    // One entry per file: the revision refs/main names, else the newest snapshot that has it.
    std::map<std::string, HfFile> chosen;
    auto when = [&](const std::string& rev) {
      std::error_code ec;
      return fs::last_write_time(repo / "snapshots" / rev, ec);
    };
    for (HfFile& f : files) {
      auto it = chosen.find(f.rel);
      if (it == chosen.end()) {
        chosen.emplace(f.rel, f);
        continue;
      }
      const HfFile& have = it->second;
      bool better = have.revision != main_rev &&
                    (f.revision == main_rev || when(f.revision) > when(have.revision) ||
                     (when(f.revision) == when(have.revision) && f.revision > have.revision));
      if (better) it->second = f;
    }
    for (auto& [rel, f] : chosen) out->push_back({"huggingface", repo_id + "/" + rel, f.path, f.bytes});
  }
}

// --- Ollama: manifests/HOST/NAMESPACE/NAME/TAG (JSON) -> blobs/sha256-<hex> -----------------------

bool IsSha256Digest(const std::string& d) {
  if (d.size() != 7 + 64 || d.compare(0, 7, "sha256:") != 0) return false;
  return std::all_of(d.begin() + 7, d.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Ollama's own short names: library models by NAME, other namespaces with it, other hosts in full.
std::string OllamaName(const std::string& host, const std::string& ns, const std::string& model, const std::string& tag) {
  std::string base = host == "registry.ollama.ai" ? (ns == "library" ? model : ns + "/" + model) : host + "/" + ns + "/" + model;
  return "ollama:" + base + ":" + tag;
}

void ReadOllamaManifest(const fs::directory_entry& tag_file, const std::string& name, const fs::path& blobs,
                        std::vector<OtherModel>* out) {
  std::error_code ec;
  if (tag_file.is_symlink(ec)) {
    Skip(tag_file.path(), "manifest is a link (refused)");
    return;
  }
  if (!tag_file.is_regular_file(ec)) return;
  std::string text = ReadSmallFile(tag_file.path(), kMaxManifestBytes);
  nlohmann::json manifest = nlohmann::json::parse(text, nullptr, false);
  if (manifest.is_discarded() || !manifest.is_object() || !manifest.contains("layers") || !manifest["layers"].is_array()) {
    Skip(tag_file.path(), "not an Ollama manifest");
    return;
  }
  for (const auto& layer : manifest["layers"]) {
    if (!layer.is_object() || layer.value("mediaType", "") != kOllamaModelType) continue;
    const std::string digest = layer.value("digest", "");
    // The digest becomes a file name: only the exact sha256 form, so it can never climb out of blobs/.
    if (!IsSha256Digest(digest)) {
      Skip(tag_file.path(), "model layer digest is not sha256:<hex>");
      return;
    }
    if (blobs.empty()) {
      Skip(tag_file.path(), "no blobs/ folder");
      return;
    }
    fs::directory_entry blob(blobs / ("sha256-" + digest.substr(7)), ec);
    if (ec || !blob.exists(ec)) {
      Skip(blob.path(), "blob missing");
      return;
    }
    std::optional<fs::path> target = AcceptedTarget(blob, blobs, "link leaves blobs/");
    uint64_t bytes = 0;
    if (target && IsGgufFile(*target, &bytes)) out->push_back({"ollama", name, blob.path(), bytes});
    return;
  }
  Skip(tag_file.path(), "no model layer");
}

void ScanOllama(const fs::path& root, std::vector<OtherModel>* out) {
  const fs::path store = CanonicalDir(root);
  if (store.empty()) return;
  const fs::path blobs = CanonicalDir(store / "blobs");
  Budget budget;
  for (const auto& host : SubDirs(store / "manifests", &budget)) {
    for (const auto& ns : SubDirs(host.path(), &budget)) {
      for (const auto& model : SubDirs(ns.path(), &budget)) {
        std::error_code ec;
        std::vector<fs::directory_entry> tags;
        for (fs::directory_iterator it(model.path(), ec), end; !ec && it != end; it.increment(ec)) {
          if (!budget.Spend(model.path())) break;
          tags.push_back(*it);
        }
        std::sort(tags.begin(), tags.end());
        for (const auto& tag : tags) {
          ReadOllamaManifest(tag, OllamaName(host.path().filename().string(), ns.path().filename().string(),
                                             model.path().filename().string(), tag.path().filename().string()),
                             blobs, out);
        }
      }
    }
  }
}

// --- LM Studio: PUBLISHER/REPO/FILE.gguf ------------------------------------------------------------

void ScanLmStudio(const fs::path& root, std::vector<OtherModel>* out) {
  const fs::path store = CanonicalDir(root);
  if (store.empty()) return;
  Budget budget;
  for (const auto& publisher : SubDirs(store, &budget)) {
    if (publisher.path().filename().string().rfind('.', 0) == 0) continue;  // .internal and the like
    for (const auto& repo : SubDirs(publisher.path(), &budget)) {
      std::error_code ec;
      std::vector<fs::directory_entry> files;
      for (fs::directory_iterator it(repo.path(), ec), end; !ec && it != end; it.increment(ec)) {
        if (!budget.Spend(repo.path())) break;
        files.push_back(*it);
      }
      std::sort(files.begin(), files.end());
      for (const auto& f : files) {
        const std::string name = f.path().filename().string();
        std::error_code e2;
        if (f.is_directory(e2) || !EndsWithGguf(name) || IsProjector(name)) continue;
        std::optional<fs::path> target = AcceptedTarget(f, store, "link leaves the LM Studio folder");
        uint64_t bytes = 0;
        if (!target || !IsGgufFile(*target, &bytes)) continue;
        out->push_back({"lmstudio", publisher.path().filename().string() + "/" + repo.path().filename().string() + "/" + name,
                        f.path(), bytes});
      }
    }
  }
}

// A split model is one entry, named after its first shard, with every present shard's bytes.
void FoldShards(std::vector<OtherModel>* models) {
  std::map<std::pair<std::string, std::string>, size_t> first;  // (source, name-without-shard-part) -> index
  std::vector<OtherModel> kept;
  std::vector<std::pair<std::pair<std::string, std::string>, uint64_t>> later;
  for (OtherModel& m : *models) {
    std::string stem;
    int shard = 0, count = 0;
    if (!engine::ParseSplitName(fs::path(m.name).filename().string(), &stem, &shard, &count)) {
      kept.push_back(std::move(m));
      continue;
    }
    auto key = std::make_pair(m.source, (fs::path(m.name).parent_path() / stem).string());
    if (shard == 1) {
      first[key] = kept.size();
      kept.push_back(std::move(m));
    } else {
      later.push_back({key, m.bytes});
    }
  }
  for (const auto& [key, bytes] : later) {
    if (auto it = first.find(key); it != first.end()) kept[it->second].bytes += bytes;
  }
  *models = std::move(kept);
}

int SourceRank(const std::string& s) { return s == "huggingface" ? 0 : s == "ollama" ? 1 : 2; }

std::string Choice(const OtherModel& m, bool qualify) {
  if (!qualify || m.source == "ollama") return m.name;
  return (m.source == "huggingface" ? "hf:" : "lmstudio:") + m.name;
}

}  // namespace

StoreRoots StoreRootsFromEnv() {
  StoreRoots r;
  const fs::path home = Home();
  if (std::string v = Env("HF_HUB_CACHE"); !v.empty()) {
    r.huggingface = v;
  } else if (std::string h = Env("HF_HOME"); !h.empty()) {
    r.huggingface = fs::path(h) / "hub";
  } else if (!home.empty()) {
    r.huggingface = home / ".cache" / "huggingface" / "hub";
  }
  if (std::string v = Env("OLLAMA_MODELS"); !v.empty()) {
    r.ollama = v;
  } else if (!home.empty()) {
    r.ollama = home / ".ollama" / "models";
  }
  if (!home.empty()) r.lmstudio = {home / ".lmstudio" / "models", home / ".cache" / "lm-studio" / "models"};
  return r;
}

std::vector<OtherModel> ListOtherModels(const StoreRoots& roots) {
  std::vector<OtherModel> out;
  ScanHuggingFace(roots.huggingface, &out);
  ScanOllama(roots.ollama, &out);
  std::set<fs::path> seen;  // ~/.cache/lm-studio is often a link to ~/.lmstudio: list its models once
  for (const fs::path& root : roots.lmstudio) {
    fs::path c = CanonicalDir(root);
    if (!c.empty() && seen.insert(c).second) ScanLmStudio(root, &out);
  }
  FoldShards(&out);
  std::stable_sort(out.begin(), out.end(), [](const OtherModel& a, const OtherModel& b) {
    if (SourceRank(a.source) != SourceRank(b.source)) return SourceRank(a.source) < SourceRank(b.source);
    return a.name < b.name;
  });
  return out;
}

std::optional<fs::path> FindOtherModel(const std::vector<OtherModel>& models, const std::string& what) {
  if (what.empty()) return std::nullopt;
  std::vector<const OtherModel*> hits;
  auto collect = [&](auto&& pred) {
    for (const OtherModel& m : models) {
      if (pred(m)) hits.push_back(&m);
    }
  };
  if (what.rfind("ollama:", 0) == 0) {
    const std::string rest = what.substr(7);
    const bool has_tag = rest.find(':', rest.rfind('/') == std::string::npos ? 0 : rest.rfind('/')) != std::string::npos;
    collect([&](const OtherModel& m) { return m.source == "ollama" && m.name == what; });
    if (hits.empty() && !has_tag) collect([&](const OtherModel& m) { return m.source == "ollama" && m.name == what + ":latest"; });
    if (hits.empty() && !has_tag) collect([&](const OtherModel& m) { return m.source == "ollama" && m.name.rfind(what + ":", 0) == 0; });
  } else {
    std::string name = what, source;
    if (name.rfind("hf:", 0) == 0 || name.rfind("huggingface:", 0) == 0) {
      source = "huggingface";
      name = name.substr(name.find(':') + 1);
    } else if (name.rfind("lmstudio:", 0) == 0) {
      source = "lmstudio";
      name = name.substr(9);
    }
    if (name.find('/') == std::string::npos) return std::nullopt;  // a bare word is a file name, not a store's model
    while (!name.empty() && name.back() == '/') name.pop_back();
    auto in_source = [&](const OtherModel& m) { return m.source != "ollama" && (source.empty() || m.source == source); };
    collect([&](const OtherModel& m) { return in_source(m) && (m.name == name || m.name == name + ".gguf"); });
    if (hits.empty()) collect([&](const OtherModel& m) { return in_source(m) && m.name.rfind(name + "/", 0) == 0; });
  }
  if (hits.empty()) return std::nullopt;
  if (hits.size() == 1) return hits[0]->path;
  std::set<std::string> names;
  bool duplicate = false;
  for (const OtherModel* m : hits) duplicate |= !names.insert(m->name).second;
  std::string choices;
  for (const OtherModel* m : hits) choices += (choices.empty() ? "" : ", ") + Choice(*m, duplicate);
  throw Error(kExitUsage, "-m " + what + " matches " + std::to_string(hits.size()) + " GGUF files; give one of: " + choices);
}

std::string ResolveModelArgument(const std::string& what) {
  std::error_code ec;
  if (what.empty() || fs::is_regular_file(what, ec)) return what;
  if (auto p = FindOtherModel(ListOtherModels(StoreRootsFromEnv()), what)) {
    LogVerbose("model " + what + " is " + p->string());
    return p->string();
  }
  return what;
}

}  // namespace scale::models
