#include "settings/backends.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "settings/toml_layer.h"
#include "util/error.h"
#include "util/format.h"

namespace scale::settings {

const char* BackendApiName(BackendApi api) {
  switch (api) {
    case BackendApi::kAuto: return "auto";
    case BackendApi::kChat: return "chat";
    case BackendApi::kCompletion: return "completion";
  }
  return "auto";
}

namespace {

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> out(1);
  for (char c : text) {
    if (c == ',') out.emplace_back();
    else out.back() += c;
  }
  return out;
}

constexpr const char* kKnownKeys =
    "url, weight, max_concurrent, model, api_key_env, time_limit, api, format, ctx_size, cache_prompt";

// Only http(s) roots; "/v1" and trailing slashes are dropped so paths are appended one way.
std::string CheckedUrl(std::string url, const std::string& where) {
  const bool http = url.rfind("http://", 0) == 0, https = url.rfind("https://", 0) == 0;
  if (!http && !https) throw Error(kExitUsage, where + ": backend URL must start with http:// or https://: " + url);
  const size_t host = http ? 7 : 8;
  if (url.size() <= host || url[host] == '/') throw Error(kExitUsage, where + ": backend URL has no host: " + url);
  for (unsigned char c : url) {
    if (c <= ' ' || c == 0x7f) throw Error(kExitUsage, where + ": backend URL holds a space or control character");
  }
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.size() > 3 && url.compare(url.size() - 3, 3, "/v1") == 0) url.resize(url.size() - 3);
  return url;
}

double Number(const std::string& text, const std::string& what, double min, double max) {
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end == nullptr || *end != '\0' || errno != 0 || !std::isfinite(v) || v < min || v > max) {
    throw Error(kExitUsage, what + " must be a number in [" + FormatFixed(min, 0) + ", " + FormatFixed(max, 0) +
                                "], not '" + text + "'");
  }
  return v;
}

bool IsEnvName(const std::string& s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s) {
    if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

// One key of a backend, given as text (the flag) or converted from TOML by the caller.
void SetKey(Backend* b, const std::string& key, const std::string& value, const std::string& where) {
  const std::string what = where + ": backend " + key;
  if (key == "url") b->url = CheckedUrl(value, where);
  else if (key == "weight") b->weight = Number(value, what, 0.001, 1e6);
  else if (key == "max_concurrent") b->max_concurrent = static_cast<int>(Number(value, what, 1, 1024));
  else if (key == "model") b->model = value;
  else if (key == "api_key_env") {
    if (!IsEnvName(value)) throw Error(kExitUsage, what + " must name an environment variable (letters, digits, _), not a key");
    b->api_key_env = value;
  } else if (key == "time_limit") b->time_limit_s = Number(value, what, 0, 1e6);
  else if (key == "ctx_size") b->ctx_size = static_cast<int>(Number(value, what, 16, 1 << 24));
  else if (key == "format") b->format = value;
  else if (key == "cache_prompt") {
    if (value != "true" && value != "false") throw Error(kExitUsage, what + " must be true or false, not '" + value + "'");
    b->cache_prompt = value == "true";
  }
  else if (key == "api") {
    if (value == "auto") b->api = BackendApi::kAuto;
    else if (value == "chat") b->api = BackendApi::kChat;
    else if (value == "completion") b->api = BackendApi::kCompletion;
    else throw Error(kExitUsage, what + " must be \"auto\", \"chat\" or \"completion\", not '" + value + "'");
  } else {
    throw Error(kExitUsage, where + ": unknown backend key '" + key + "' (known: " + std::string(kKnownKeys) + ")");
  }
}

std::string TomlText(const toml::node& n, const std::string& where, const std::string& key) {
  if (n.is_string()) return *n.value<std::string>();
  if (n.is_boolean()) return *n.value<bool>() ? "true" : "false";
  if (n.is_integer()) return std::to_string(*n.value<int64_t>());
  if (n.is_floating_point()) return FormatFixed(*n.value<double>(), 6);
  throw Error(kExitUsage, where + ": backend." + key + " must be a string or a number");
}

}  // namespace

Backend ParseBackendFlag(const std::string& text) {
  Backend b;
  b.where = "--backend";
  std::vector<std::string> parts = SplitCommas(text);
  if (parts.empty() || parts[0].empty()) throw Error(kExitUsage, "--backend needs a URL");
  b.url = CheckedUrl(parts[0], b.where);
  for (size_t i = 1; i < parts.size(); ++i) {
    const size_t eq = parts[i].find('=');
    if (eq == std::string::npos) throw Error(kExitUsage, "--backend: '" + parts[i] + "' is not key=value");
    const std::string key = parts[i].substr(0, eq);
    if (key == "url") throw Error(kExitUsage, "--backend: the URL comes first, not as url=");
    SetKey(&b, key, parts[i].substr(eq + 1), b.where);
  }
  return b;
}

Routing ParseRouting(const std::string& text, const std::string& where) {
  if (text == "prefix") return Routing::kPrefix;
  if (text == "spread") return Routing::kSpread;
  throw Error(kExitUsage, where + ": routing must be \"prefix\" or \"spread\", not '" + text + "'");
}

void ReadBackendTables(const toml::node* backend_array, const toml::node* remote_table, const std::string& file,
                       RemoteConfig* out) {
  if (backend_array != nullptr) {
    const toml::array* list = backend_array->as_array();
    if (list == nullptr) throw Error(kExitUsage, Where(file, *backend_array) + ": backend must be an array of tables ([[backend]])");
    for (const toml::node& entry : *list) {
      const toml::table* t = entry.as_table();
      if (t == nullptr) throw Error(kExitUsage, Where(file, entry) + ": each [[backend]] must be a table");
      Backend b;
      b.where = Where(file, entry);
      for (const auto& [k, v] : *t) {
        const std::string key(k.str());
        SetKey(&b, key, TomlText(v, Where(file, v), key), Where(file, v));
      }
      if (b.url.empty()) throw Error(kExitUsage, b.where + ": [[backend]] needs a url");
      out->backends.push_back(b);
    }
  }
  if (remote_table != nullptr) {
    const toml::table* t = remote_table->as_table();
    if (t == nullptr) throw Error(kExitUsage, Where(file, *remote_table) + ": remote must be a table");
    for (const auto& [k, v] : *t) {
      const std::string key(k.str()), where = Where(file, v);
      if (key == "routing") {
        out->routing = ParseRouting(TomlText(v, where, key), where);
        out->routing_given = true;
      } else if (key == "retries") {
        out->retries = static_cast<int>(Number(TomlText(v, where, key), where + ": remote.retries", 0, 100));
        out->retries_given = true;
      } else {
        throw Error(kExitUsage, where + ": unknown key 'remote." + key + "' (known: routing, retries)");
      }
    }
  }
}

}  // namespace scale::settings
