#include "settings/resolve.h"

#include <cstdlib>

#include "util/error.h"

namespace scale::settings {

const char* SourceName(Source s) {
  switch (s) {
    case Source::kDefault: return "default";
    case Source::kTune: return "tune.json";
    case Source::kProfile: return "profile";
    case Source::kProjectConfig: return ".scale.toml";
    case Source::kEnv: return "environment";
    case Source::kFlag: return "flag";
  }
  return "?";
}

bool Resolved::From(Source s) const {
  for (const auto& [name, from] : source) {
    if (from == s) return true;
  }
  return false;
}

std::vector<std::string> Resolved::Describe() const {
  std::vector<std::string> out;
  for (const Setting& s : Table()) {
    Source from = source.at(s.name);
    if (from == Source::kDefault) continue;
    out.push_back(std::string(s.name) + " = " + Show(s, params) + " (" + SourceName(from) + " " + origin.at(s.name) + ")");
  }
  return out;
}

Resolved Resolve(const Layers& layers) {
  Resolved r;
  for (const Setting& s : Table()) {
    r.source[s.name] = Source::kDefault;
    r.origin[s.name] = "";
  }
  for (size_t i = 0; i < kSources; ++i) {
    for (const auto& [name, value] : layers[i]) {
      const Setting* s = Find(name);
      if (s == nullptr) throw Error(kExitUsage, value.origin + ": unknown setting '" + name + "'");
      if (std::string problem = Check(*s, value.text); !problem.empty()) {
        throw Error(kExitUsage, value.origin + " " + problem + " (got '" + value.text + "')");
      }
      Store(*s, value.text, &r.params);
      r.source[name] = static_cast<Source>(i);
      r.origin[name] = value.origin;
    }
  }
  return r;
}

Layer EnvLayer() {
  Layer out;
  for (const Setting& s : Table()) {
    const std::string name = EnvName(s);
    if (const char* v = std::getenv(name.c_str()); v != nullptr && *v != '\0') out[s.name] = {v, "$" + name};
  }
  return out;
}

}  // namespace scale::settings
