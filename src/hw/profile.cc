#include "hw/profile.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>

#include <toml++/toml.h>

#include "engine/gguf_check.h"
#include "engine/scheduler.h"
#include "models/cache.h"
#include "settings/toml_layer.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/paths.h"
#include "util/size.h"

namespace scale::hw {
namespace fs = std::filesystem;

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

enum class Kind { kString, kInt, kNumber };
struct Field {
  Kind kind;
  double lo, hi;
};

// The schema of the tier's own tables: table -> key -> type and allowed range. "" is the top level;
// [engine] is the settings table's (settings/toml_layer.h).
const std::map<std::string, std::map<std::string, Field>>& Schema() {
  static const std::map<std::string, std::map<std::string, Field>> kSchema = {
      {"", {{"name", {Kind::kString, 0, 0}}, {"description", {Kind::kString, 0, 0}}}},
      {"match",
       {{"device", {Kind::kString, 0, 0}}, {"min_cores", {Kind::kInt, 1, 1024}},
        {"min_ram_gb", {Kind::kNumber, 0, 65536}}, {"min_vram_gb", {Kind::kNumber, 0, 65536}}}},
      {"model", {{"catalogue", {Kind::kString, 0, 0}}}},
      // LoRA training (train/options.h); ranges are what a run can sensibly use, not hard limits of ggml.
      {"train",
       {{"rank", {Kind::kInt, 1, 1024}}, {"alpha", {Kind::kNumber, 1e-6, 1e6}}, {"batch", {Kind::kInt, 1, 65536}},
        {"ctx", {Kind::kInt, 16, 1 << 20}}, {"modules", {Kind::kString, 0, 0}}, {"threads", {Kind::kInt, 0, 1024}},
        {"lr", {Kind::kNumber, 1e-9, 1}}}},
  };
  return kSchema;
}

std::string At(const std::string& file, const toml::node& n) { return settings::Where(file, n); }

std::string KnownKeys(const std::map<std::string, Field>& fields) {
  std::string out;
  for (const auto& [k, f] : fields) out += (out.empty() ? "" : ", ") + k;
  return out;
}

void CheckField(const std::string& file, const std::string& table, const std::string& key, const toml::node& n,
                Profile* p) {
  const auto& fields = Schema().at(table);
  const std::string qualified = table.empty() ? key : table + "." + key;
  auto it = fields.find(key);
  if (it == fields.end()) {
    throw Error(kExitUsage, At(file, n) + ": unknown key '" + qualified + "'" +
                                (fields.empty() ? "" : " (known in " + (table.empty() ? "the top level" : "[" + table + "]") +
                                                           ": " + KnownKeys(fields) + ")"));
  }
  const Field& f = it->second;
  if (f.kind == Kind::kString) {
    if (!n.is_string()) throw Error(kExitUsage, At(file, n) + ": '" + qualified + "' must be a string");
    std::string v = *n.value<std::string>();
    if (qualified == "name") { /* informative: the file name is the profile's name */ }
    if (qualified == "description") p->description = v;
    if (qualified == "match.device") {
      if (v != "cpu" && v != "gpu" && v != "apple") {
        throw Error(kExitUsage, At(file, n) + ": match.device must be \"cpu\", \"gpu\" or \"apple\", not \"" + v + "\"");
      }
      p->device = v;
    }
    if (qualified == "model.catalogue") {
      if (!models::FindCatalogueEntry(v)) {
        throw Error(kExitUsage, At(file, n) + ": model.catalogue \"" + v + "\" is not in `scale models catalogue`");
      }
      p->model = models::FindCatalogueEntry(v)->id;
    }
    if (qualified == "train.modules") {
      try {
        p->train.lora.modules = train::ParseModules(v);
      } catch (const Error& e) {
        throw Error(kExitUsage, At(file, n) + ": train.modules: " + e.what());
      }
    }
    return;
  }
  bool integer = n.is_integer();
  if (f.kind == Kind::kInt && !integer) throw Error(kExitUsage, At(file, n) + ": '" + qualified + "' must be an integer");
  if (f.kind == Kind::kNumber && !integer && !n.is_floating_point()) {
    throw Error(kExitUsage, At(file, n) + ": '" + qualified + "' must be a number");
  }
  double v = integer ? double(*n.value<int64_t>()) : *n.value<double>();
  if (v < f.lo || v > f.hi) {
    char range[96];
    std::snprintf(range, sizeof range, " = %g is out of range [%g, %g]", v, f.lo, f.hi);
    throw Error(kExitUsage, At(file, n) + ": '" + qualified + "'" + range);
  }
  if (qualified == "match.min_cores") p->min_cores = int(v);
  if (qualified == "match.min_ram_gb") p->min_ram_gb = v;
  if (qualified == "match.min_vram_gb") p->min_vram_gb = v;
  if (qualified == "train.rank") p->train.lora.rank = int(v);
  if (qualified == "train.alpha") p->train.lora.alpha = float(v);
  if (qualified == "train.batch") p->train.batch = int(v);
  if (qualified == "train.ctx") p->train.ctx = int(v);
  if (qualified == "train.threads") p->train.threads = int(v);
  if (qualified == "train.lr") p->train.lr = v;
}

// A tier runs 4096 context tokens unless it says otherwise (the engine's own default is the model's).
constexpr const char* kTierContext = "4096";

bool Fits(const Profile& p, const HwInfo& hw, std::string* why) {
  char buf[160];
  if (hw.cpu.physical_cores < p.min_cores) {
    std::snprintf(buf, sizeof buf, "needs %d cores (have %d)", p.min_cores, hw.cpu.physical_cores);
    *why = buf;
    return false;
  }
  if (double(hw.ram_total) / kGiB < p.min_ram_gb) {
    std::snprintf(buf, sizeof buf, "needs %.0f GiB RAM (have %.1f)", p.min_ram_gb, double(hw.ram_total) / kGiB);
    *why = buf;
    return false;
  }
  if (p.device == "apple" && !hw.apple_silicon) {
    *why = "needs Apple Silicon (Metal)";
    return false;
  }
  if (p.device == "gpu" && double(hw.BestVram()) / kGiB < p.min_vram_gb) {
    std::snprintf(buf, sizeof buf, "needs a GPU with %.0f GiB (have %s)", p.min_vram_gb,
                  hw.BestVram() ? (std::to_string(hw.BestVram() / (1u << 30)) + " GiB").c_str() : "none");
    *why = buf;
    return false;
  }
  return true;
}

// Higher = more capable tier; --auto tries tiers from the top.
double Rank(const Profile& p) {
  double device = p.device == "gpu" ? 2e6 : p.device == "apple" ? 1e6 : 0;
  return device + p.min_vram_gb * 1000 + p.min_ram_gb * 10 + p.min_cores;
}

}  // namespace

fs::path ProfilesDir() {
  if (const char* env = std::getenv("SCALE_PROFILES_DIR"); env && *env) return env;
  std::error_code ec;
  for (const fs::path& dir : DataDirCandidates("profiles", nullptr)) {
    if (fs::is_directory(dir, ec)) return dir;
  }
  return ExecutableDir() / ".." / "share" / "scale" / "profiles";
}

Profile LoadProfile(const fs::path& file) {
  const std::string name = file.string();
  toml::table doc = settings::ReadToml(name);
  Profile p;
  p.name = file.stem().string();
  p.path = name;
  for (const auto& [k, node] : doc) {
    std::string key(k.str());
    if (key == "backend" || key == "remote") {
      continue;  // read below, by the one reader of backends
    } else if (key == "lora") {
      if (!node.is_table()) throw Error(kExitUsage, At(name, node) + ": 'lora' must be a table ([lora])");
      p.loras = settings::ParseLoraTable(*node.as_table(), name);
    } else if (key == "engine") {
      if (!node.is_table()) throw Error(kExitUsage, At(name, node) + ": 'engine' must be a table ([engine])");
      p.settings = settings::ReadEngineTable(*node.as_table(), name);
    } else if (Schema().count(key) && !key.empty()) {
      if (!node.is_table()) throw Error(kExitUsage, At(name, node) + ": '" + key + "' must be a table ([" + key + "])");
      for (const auto& [k2, n2] : *node.as_table()) CheckField(name, key, std::string(k2.str()), n2, &p);
    } else {
      CheckField(name, "", key, node, &p);
    }
  }
  settings::ReadBackendTables(doc.get("backend"), doc.get("remote"), name, &p.remote);
  if (!p.settings.count("ctx_size")) p.settings["ctx_size"] = {kTierContext, name + " (the tier default)"};
  settings::Layers layers;
  layers[size_t(settings::Source::kProfile)] = p.settings;
  p.engine = settings::Resolve(layers).params;
  if (p.engine.ubatch_size > p.engine.batch_size) {
    throw Error(kExitUsage, name + ": engine.ubatch_size (" + std::to_string(p.engine.ubatch_size) +
                                ") is larger than engine.batch_size (" + std::to_string(p.engine.batch_size) + ")");
  }
  return p;
}

std::vector<Profile> LoadProfiles() {
  std::vector<Profile> out;
  fs::path dir = ProfilesDir();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(kExitUsage, "no profiles folder at " + dir.string() + " (set $SCALE_PROFILES_DIR)");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".toml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) out.push_back(LoadProfile(f));
  return out;
}

Profile FindProfile(const std::string& name_or_path) {
  std::error_code ec;
  if (name_or_path.size() > 5 && name_or_path.substr(name_or_path.size() - 5) == ".toml") return LoadProfile(name_or_path);
  fs::path file = ProfilesDir() / (name_or_path + ".toml");
  if (name_or_path.find('/') == std::string::npos && fs::exists(file, ec)) return LoadProfile(file);
  std::string names;
  for (const auto& e : fs::directory_iterator(ProfilesDir(), ec)) {
    if (e.path().extension() == ".toml") names += (names.empty() ? "" : ", ") + e.path().stem().string();
  }
  throw Error(kExitUsage, "unknown profile '" + name_or_path + "' (known: " + names + "; or --auto, or a .toml path)");
}

Recommendation Assess(const HwInfo& hw, const Profile& p, std::string* why_not) {
  Recommendation r;
  r.profile = p;
  r.model = models::FindCatalogueEntry(p.model);
  r.memory = models::EstimateMemory(*r.model, uint32_t(p.engine.ctx_size), uint32_t(p.engine.parallel),
                                    uint32_t(p.EffectiveUbatch()), p.engine.cache_type);
  bool on_gpu = p.device == "gpu" && p.engine.gpu_layers != 0;
  r.budget = on_gpu ? hw.BestVram() : hw.ram_available;
  r.budget_what = on_gpu ? "GPU memory" : "RAM available";
  why_not->clear();
  if (Fits(p, hw, why_not) && r.memory.total() > r.budget) {
    *why_not = r.model->id + " needs " + FormatBytes(r.memory.total()) + ", only " +
               FormatBytes(r.budget) + " free";
  }
  return r;
}

Recommendation Recommend(const HwInfo& hw, const std::vector<Profile>& profiles) {
  std::vector<const Profile*> order;
  for (const auto& p : profiles) order.push_back(&p);
  std::stable_sort(order.begin(), order.end(), [](const Profile* a, const Profile* b) { return Rank(*a) > Rank(*b); });
  std::vector<std::string> skipped;
  for (const Profile* p : order) {
    std::string why;
    Recommendation r = Assess(hw, *p, &why);
    if (why.empty()) {
      r.skipped = std::move(skipped);
      return r;
    }
    skipped.push_back(p->name + ": " + why);
  }
  std::string reasons;
  for (const auto& s : skipped) reasons += (reasons.empty() ? "" : "; ") + s;
  throw Error(kExitModel, "no profile fits this machine (" + reasons + ")");
}

std::vector<std::string> ExplainMemory(const Recommendation& r) {
  const auto& e = *r.model;
  const auto& p = r.profile;
  const auto& m = r.memory;
  char buf[320];
  std::vector<std::string> out;
  std::snprintf(buf, sizeof buf, "  weights    %10s  (%s %s file)", FormatBytes(m.weights).c_str(),
                e.title.c_str(), e.quant.c_str());
  out.push_back(buf);
  const engine::KvCacheType cache_type = p.engine.cache_type;
  const double per_value = double(engine::KvElementBytes(32, cache_type)) / 32;  // one block's worth
  const std::string type = cache_type == engine::KvCacheType::kF16 ? "F16" : engine::KvCacheTypeName(cache_type);
  std::snprintf(buf, sizeof buf, "+ KV cache   %10s  = 2 (K,V) x %u layers x %d ctx x %u KV heads x %u head dim x %g B (%s) x (%d seq + %d spare)",
                FormatBytes(m.kv_cache).c_str(), e.n_layer, p.engine.ctx_size, e.n_head_kv, e.head_dim,
                per_value, type.c_str(), p.engine.parallel, engine::kSchedulerSpareSequences);
  out.push_back(buf);
  std::snprintf(buf, sizeof buf, "+ compute    %10s  ~ 4 B x %d ubatch x (%u vocab + 2 x %u ffn + 4 x %u embd)",
                FormatBytes(m.compute).c_str(), p.EffectiveUbatch(), e.vocab_size, e.n_ff, e.n_embd);
  out.push_back(buf);
  std::snprintf(buf, sizeof buf, "+ overhead   %10s  (runtime, tokenizer, output buffers)", FormatBytes(m.overhead).c_str());
  out.push_back(buf);
  std::snprintf(buf, sizeof buf, "= total      %10s  of %s %s (%.0f%%)", FormatBytes(m.total()).c_str(),
                FormatBytes(r.budget).c_str(), r.budget_what.c_str(),
                r.budget ? 100.0 * double(m.total()) / double(r.budget) : 0.0);
  out.push_back(buf);
  return out;
}

nlohmann::json RecommendationJson(const Recommendation& r) {
  const auto& p = r.profile;
  return {{"profile", p.name},
          {"file", p.path},
          {"description", p.description},
          {"model", {{"id", r.model->id}, {"repo", r.model->repo}, {"quant", r.model->quant},
                     {"cached", models::CachedPath(*r.model, models::ModelsDir()) ? true : false}}},
          {"settings", {{"ctx_size", p.engine.ctx_size}, {"gpu_layers", p.engine.gpu_layers}, {"parallel", p.engine.parallel},
                        {"batch_size", p.engine.batch_size}, {"ubatch_size", p.engine.ubatch_size}, {"threads", p.engine.threads},
                        {"cache_type", engine::KvCacheTypeName(p.engine.cache_type)}}},
          {"memory", {{"weights", r.memory.weights}, {"kv_cache", r.memory.kv_cache}, {"compute", r.memory.compute},
                      {"overhead", r.memory.overhead}, {"total", r.memory.total()}, {"budget", r.budget},
                      {"budget_what", r.budget_what}}},
          {"skipped", r.skipped}};
}

Profile ChooseProfile(const std::string& name_or_auto) {
  if (name_or_auto == "auto") return Recommend(DetectHardware(), LoadProfiles()).profile;
  return FindProfile(name_or_auto);
}

settings::Layer ProfileLayer(const Profile& p) {
  const engine::EngineParams defaults;
  settings::Layer out;
  for (const auto& [name, value] : p.settings) {
    const settings::Setting* s = settings::Find(name);
    if (settings::Show(*s, p.engine) != settings::Show(*s, defaults)) out[name] = value;
  }
  return out;
}

std::string ProfileModelPath(const Profile& p) {
  const models::CatalogueEntry* e = models::FindCatalogueEntry(p.model);
  if (auto path = models::CachedPath(*e, models::ModelsDir())) return path->string();
  if (auto fallback = models::DefaultModelPath()) {
    LogWarning("profile " + p.name + " recommends " + e->title + " (not cached: `scale models pull " + e->id +
               "`); using the default model meanwhile");
    return *fallback;
  }
  throw Error(kExitModel, "profile " + p.name + " uses " + e->title + ", which is not in the cache: run `scale models pull " +
                              e->id + "` (or pass -m FILE.gguf)");
}

}  // namespace scale::hw
