#include "settings/lora_config.h"

#include <cmath>
#include <filesystem>

#include <toml++/toml.h>

#include "settings/toml_layer.h"
#include "util/error.h"

namespace scale::settings {
namespace fs = std::filesystem;

namespace {

engine::LoraSpec CheckScale(engine::LoraSpec spec, const std::string& where) {
  if (!std::isfinite(spec.scale) || spec.scale < -10 || spec.scale > 10) {
    throw Error(kExitUsage, where + ": LoRA scale " + std::to_string(spec.scale) + " is outside [-10, 10]");
  }
  if (spec.path.empty()) throw Error(kExitUsage, where + ": empty LoRA adapter path");
  return spec;
}

std::string Resolve(const std::string& path, const std::string& file) {
  fs::path p(path);
  if (p.is_absolute() || file.empty()) return path;
  return (fs::path(file).parent_path() / p).lexically_normal().string();
}

}  // namespace

engine::LoraSpec ParseLoraArg(const std::string& text) {
  engine::LoraSpec spec;
  spec.path = text;
  size_t colon = text.rfind(':');
  if (colon != std::string::npos && colon + 1 < text.size()) {
    std::string tail = text.substr(colon + 1);
    char* end = nullptr;
    float v = std::strtof(tail.c_str(), &end);
    if (end && *end == '\0') {
      spec.path = text.substr(0, colon);
      spec.scale = v;
    }
  }
  return CheckScale(spec, "--lora " + text);
}

LoraByLanguage ParseLoraTable(const toml::table& lora, const std::string& file) {
  LoraByLanguage out;
  for (const auto& [key, node] : lora) {
    std::string lang(key.str());
    for (auto& c : lang) c = char(std::tolower(static_cast<unsigned char>(c)));
    const std::string where = Where(file, node);
    engine::LoraSpec spec;
    if (auto s = node.value<std::string>(); s && node.is_string()) {
      spec = ParseLoraArg(*s);
    } else if (const auto* t = node.as_table()) {
      for (const auto& [k, v] : *t) {
        if (k.str() == "path" && v.is_string()) {
          spec.path = *v.value<std::string>();
        } else if (k.str() == "scale" && (v.is_floating_point() || v.is_integer())) {
          spec.scale = float(*v.value<double>());
        } else {
          throw Error(kExitUsage, Where(file, v) + ": [lora] " + lang + "." + std::string(k.str()) +
                                      ": expected path = \"FILE\" (string) and scale = NUMBER");
        }
      }
    } else {
      throw Error(kExitUsage, where + ": [lora] " + lang + " must be \"FILE[:SCALE]\" or { path = \"FILE\", scale = 1.0 }");
    }
    spec = CheckScale(spec, where);
    spec.path = Resolve(spec.path, file);
    out[lang] = spec;
  }
  return out;
}

LoraByLanguage LoadLoraConfig(const std::string& toml_file) {
  toml::table doc = ReadToml(toml_file);
  const toml::node* lora = doc.get("lora");
  if (!lora) return {};
  if (!lora->is_table()) throw Error(kExitUsage, Where(toml_file, *lora) + ": lora must be a table ([lora])");
  return ParseLoraTable(*lora->as_table(), toml_file);
}

std::vector<engine::LoraSpec> LorasFor(const LoraByLanguage& config, const std::string& language) {
  std::string lang = language;
  for (auto& c : lang) c = char(std::tolower(static_cast<unsigned char>(c)));
  auto it = config.find(lang);
  if (it == config.end()) it = config.find("default");
  if (it == config.end()) return {};
  return {it->second};
}

}  // namespace scale::settings
