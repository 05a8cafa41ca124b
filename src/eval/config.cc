#include "eval/config.h"

#include <set>

#include <toml++/toml.h>

#include "util/error.h"

namespace scale::eval {
namespace {

[[noreturn]] void Bad(const std::filesystem::path& path, const std::string& what) {
  throw Error(kExitUsage, path.string() + ": " + what);
}

std::string ResolvePath(const std::filesystem::path& base, const std::string& value) {
  if (value.empty()) return value;
  std::filesystem::path p(value);
  return (p.is_absolute() ? p : base / p).lexically_normal().string();
}

std::string ResolveLora(const std::filesystem::path& base, const std::string& spec) {
  // FILE[:SCALE]: only a trailing ":<number>" is a scale.
  size_t colon = spec.rfind(':');
  if (colon != std::string::npos && colon + 1 < spec.size() &&
      spec.find_first_not_of("0123456789.-+eE", colon + 1) == std::string::npos) {
    return ResolvePath(base, spec.substr(0, colon)) + spec.substr(colon);
  }
  return ResolvePath(base, spec);
}

template <typename T>
T Get(const std::filesystem::path& path, const toml::node& node, const std::string& key) {
  if constexpr (std::is_same_v<T, std::string>) {
    if (auto v = node.value<std::string>(); v && node.is_string()) return *v;
    Bad(path, key + " must be a string");
  } else if constexpr (std::is_floating_point_v<T>) {
    if (node.is_number()) return static_cast<T>(*node.value<double>());
    Bad(path, key + " must be a number");
  } else {
    if (node.is_integer()) return static_cast<T>(*node.value<int64_t>());
    Bad(path, key + " must be an integer");
  }
}

}  // namespace

EvalConfig LoadEvalConfig(const std::filesystem::path& path) {
  toml::table table;
  try {
    table = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    std::string msg(e.description());
    Bad(path, "line " + std::to_string(e.source().begin.line) + ": " + msg);
  }
  EvalConfig c;
  c.source = path;
  c.name = path.stem().string();
  std::filesystem::path base = path.parent_path();
  for (const auto& [k, node] : table) {
    std::string key(k.str());
    if (key == "name") {
      c.name = Get<std::string>(path, node, key);
    } else if (key == "model") {
      c.model = ResolvePath(base, Get<std::string>(path, node, key));
    } else if (key == "lora") {
      if (node.is_string()) {
        c.loras.push_back(ResolveLora(base, Get<std::string>(path, node, key)));
      } else if (const toml::array* arr = node.as_array()) {
        for (const auto& item : *arr) c.loras.push_back(ResolveLora(base, Get<std::string>(path, item, "lora[]")));
      } else {
        Bad(path, "lora must be a string or an array of strings");
      }
    } else if (key == "templates") {
      c.templates = ResolvePath(base, Get<std::string>(path, node, key));
    } else if (key == "format") {
      c.format = Get<std::string>(path, node, key);
    } else if (key == "ctx_size") {
      c.ctx_size = Get<int>(path, node, key);
    } else if (key == "parallel") {
      c.parallel = Get<int>(path, node, key);
    } else if (key == "time_limit") {
      c.time_limit_s = Get<double>(path, node, key);
    } else if (key == "sampling") {
      const toml::table* s = node.as_table();
      if (!s) Bad(path, "sampling must be a table ([sampling])");
      for (const auto& [sk, sn] : *s) {
        std::string skey(sk.str());
        std::string full = "sampling." + skey;
        if (skey == "temperature") c.temperature = Get<float>(path, sn, full);
        else if (skey == "top_p") c.top_p = Get<float>(path, sn, full);
        else if (skey == "min_p") c.min_p = Get<float>(path, sn, full);
        else if (skey == "repeat_penalty") c.repeat_penalty = Get<float>(path, sn, full);
        else if (skey == "top_k") c.top_k = Get<int>(path, sn, full);
        else if (skey == "repeat_last_n") c.repeat_last_n = Get<int>(path, sn, full);
        else if (skey == "max_tokens") c.max_tokens = Get<int>(path, sn, full);
        else if (skey == "seed") c.seed = Get<uint32_t>(path, sn, full);
        else Bad(path, "unknown key " + full);
      }
    } else {
      Bad(path, "unknown key " + key + " (known: name, model, lora, templates, format, ctx_size, parallel, "
                                       "time_limit, [sampling])");
    }
  }
  if (c.name.empty()) Bad(path, "name is empty");
  if (c.max_tokens && *c.max_tokens < 1) Bad(path, "sampling.max_tokens must be at least 1");
  return c;
}

void ApplySampling(const EvalConfig& c, engine::SamplingParams* s) {
  if (c.temperature) s->temperature = *c.temperature;
  if (c.top_p) s->top_p = *c.top_p;
  if (c.min_p) s->min_p = *c.min_p;
  if (c.repeat_penalty) s->repeat_penalty = *c.repeat_penalty;
  if (c.top_k) s->top_k = *c.top_k;
  if (c.repeat_last_n) s->repeat_last_n = *c.repeat_last_n;
  if (c.max_tokens) s->max_tokens = *c.max_tokens;
  if (c.seed) s->seed = *c.seed;
}

nlohmann::json ConfigJson(const EvalConfig& c) {
  nlohmann::json j = {{"name", c.name}};
  if (!c.model.empty()) j["model"] = c.model;
  if (!c.loras.empty()) j["lora"] = c.loras;
  if (!c.templates.empty()) j["templates"] = c.templates;
  if (!c.format.empty()) j["format"] = c.format;
  if (c.ctx_size) j["ctx_size"] = c.ctx_size;
  if (c.parallel) j["parallel"] = c.parallel;
  if (c.time_limit_s > 0) j["time_limit"] = c.time_limit_s;
  nlohmann::json s = nlohmann::json::object();
  if (c.temperature) s["temperature"] = *c.temperature;
  if (c.top_p) s["top_p"] = *c.top_p;
  if (c.top_k) s["top_k"] = *c.top_k;
  if (c.min_p) s["min_p"] = *c.min_p;
  if (c.repeat_penalty) s["repeat_penalty"] = *c.repeat_penalty;
  if (c.repeat_last_n) s["repeat_last_n"] = *c.repeat_last_n;
  if (c.seed) s["seed"] = *c.seed;
  if (c.max_tokens) s["max_tokens"] = *c.max_tokens;
  if (!s.empty()) j["sampling"] = s;
  return j;
}

}  // namespace scale::eval
