// Remote inference servers (llama-server, vLLM, Ollama, hosted OpenAI-compatible APIs) as
// configured: `--backend URL[,key=value...]` flags, or [[backend]] tables of .scale.toml or a
// profile. This only parses and validates; src/remote/ talks to them.
//
//   [[backend]]
//   url = "http://gpu-box:8080"   # the server's root (".../v1" is accepted and dropped)
//   weight = 2                    # share of the files routed here (default 1)
//   max_concurrent = 8            # requests in flight at once (default 4)
//   model = "qwen2.5-coder-1.5b"  # the "model" field sent; default: the server's first model
//   api_key_env = "GPU_BOX_KEY"   # the API key is read from this environment variable, never
//                                 # from a file or the command line
//   time_limit = 120              # seconds per request (default: none)
//   api = "auto"                  # auto | chat | completion (raw prompt, formatted by scale)
//   format = "chatml"             # with api = "completion": the chat format scale applies
//   ctx_size = 8192               # tokens per request; default: the server's /props
//   cache_prompt = true           # llama-server: reuse a slot's KV cache for a shared prefix
//   [remote]
//   routing = "prefix"            # prefix (a file's requests to one server) | spread
//   retries = 5                   # attempts after the first, per request
#pragma once

#include <string>
#include <vector>

#include <toml++/toml.h>

namespace scale::settings {

enum class BackendApi { kAuto, kChat, kCompletion };
const char* BackendApiName(BackendApi api);

struct Backend {
  std::string url;            // scheme://host[:port][/prefix], no trailing '/' or '/v1'
  double weight = 1;
  int max_concurrent = 4;
  std::string model;
  std::string api_key_env;    // the variable's name; the key itself is never stored here
  double time_limit_s = 0;
  BackendApi api = BackendApi::kAuto;
  std::string format = "chatml";
  int ctx_size = 0;
  bool cache_prompt = true;
  std::string where;          // "--backend" or "FILE:LINE", for messages
};

enum class Routing { kPrefix, kSpread };

struct RemoteConfig {
  std::vector<Backend> backends;  // empty: the in-process engine
  Routing routing = Routing::kPrefix;
  int retries = 5;
  bool routing_given = false, retries_given = false;
};

// "URL[,key=value...]" (keys as in [[backend]], e.g. "http://h:8080,weight=2,api_key_env=KEY").
// Throws Error(kExitUsage) with one line for a bad URL, unknown key or value out of range.
Backend ParseBackendFlag(const std::string& text);
// "prefix" | "spread"; Error(kExitUsage) otherwise.
Routing ParseRouting(const std::string& text, const std::string& where);

// The [[backend]] array and [remote] table of a parsed TOML file (absent: nothing added).
// Error(kExitUsage) "FILE:LINE: ..." for an unknown key or a wrong value.
void ReadBackendTables(const toml::node* backend_array, const toml::node* remote_table, const std::string& file,
                       RemoteConfig* out);

}  // namespace scale::settings
