// `scale bench --peer`: the in-process engine against what a user would otherwise run, llama-server
// with parallel slots and its prompt cache, on the identical request stream (scale's own comment /
// summarize pipelines, sent raw through RemoteLlm with the engine's chat format), in one run.
// Both sides' requests are recorded and hashed; a stream that differs voids the comparison.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/pipelines.h"
#include "remote/remote_llm.h"

namespace scale::bench {

struct PeerOptions {
  std::string model;                       // GGUF both sides load
  std::string model_note;
  std::string dir;                         // comment's folder (its .py/.c/.h/.js files)
  std::string summarize_dir;               // "" = dir
  std::vector<int> comment_parallel = {1, 4, 8};
  int summarize_parallel = 10;             // 0 = skip
  int no_sharing_parallel = 4;             // N of the engine-without-prefix-sharing row (0 = skip)
  int fleet_parallel = 4;                  // total slots of the two-server rows (0 = skip)
  int max_tokens = 64;
  int summarize_ctx = 4096;                // per sequence
  int chunk_lines = 300;
  int threads = 1;                         // -t/-tb of every side
  int batch_size = 512;
  int gpu_layers = 0;
  std::string server_binary;               // "" = LlamaServerProcess::DefaultBinary()
  std::string log_dir;                     // server logs; "" = CacheDir()/bench/peer-PID (removed after)
  // Called with each model the bench is about to drive (the engine, or RemoteLlm over the servers)
  // and with nullptr before it is closed: the CLI points its Ctrl-C guard at it.
  std::function<void(engine::Llm*)> watch;
};

// One pipeline run on one side.
struct PeerSide {
  int items = 0;                 // routines asked about / chunks decoded
  int requests = 0;
  int64_t prompt_tokens = 0;
  int64_t cached_tokens = 0;     // from a shared / cached prefix (the server's own count on its side)
  int64_t generated_tokens = 0;
  double seconds = 0;
  uint64_t peak_rss = 0;         // ours: this process; theirs: the servers' VmHWM (summed)
  std::string prompts_sha;       // RequestStreamDigest of the requests
  std::string answers_sha;       // ... with the answers
  double per_min() const { return seconds > 0 ? items * 60.0 / seconds : 0; }
  int64_t decoded() const { return prompt_tokens - cached_tokens; }
};

struct PeerRow {
  std::string what;              // "comment" | "summarize"
  std::string variant;           // "" | "no prefix sharing"
  int parallel = 0;
  int ctx_per_seq = 0;           // the engine's; the server got parallel x this
  std::string format;            // the chat format both sides applied
  PeerSide ours, theirs;
  bool prompts_identical = false;
  bool answers_identical = false;
  std::string first_difference;  // the first request id that differs ("" when identical)
  std::string note;              // e.g. the server gave its slots less context than the engine had
  // The live server run was sent other requests (greedy answers diverged, and later prompts carry
  // earlier answers): `theirs` is then a replay of the engine's recorded requests, same order.
  bool replayed = false;
  std::string live_difference;   // where the live run's stream first differed
  double live_per_min = 0;       // the live run's rate
  double target = 0;             // ours / theirs aimed at (0 = none)
  double ratio() const { return theirs.per_min() > 0 ? ours.per_min() / theirs.per_min() : 0; }
};

// scale driving one or two llama-server instances (RemoteLlm's routing) on the comment stream.
struct FleetRun {
  int servers = 1;
  std::string routing;           // "prefix" | "spread"
  int slots_per_server = 0, threads_per_server = 0;
  PeerSide side;
  std::vector<remote::EndpointStats> stats;  // the servers' own usage numbers
  bool prompts_identical = false;            // against the engine's stream at the same N
  bool replayed = false;                     // as PeerRow::replayed
};

struct PeerReport {
  PeerOptions options;
  std::string server_version;    // first line of `llama-server --version`
  std::vector<PeerRow> rows;
  std::vector<FleetRun> fleet;
  int fleet_parallel = 0;
  std::string sharing_note;      // how the no-sharing row turned sharing off
  double load_average = 0;       // /proc/loadavg (1 min) at the start: others' builds share the cores
  bool all_identical() const;
};

// Runs every row. `open` loads the in-process engine (as `scale bench` does). Throws Error(kExitModel)
// when llama-server is missing or does not come up; servers are stopped on every path.
PeerReport RunPeerBench(const PeerOptions& options, const EngineFactory& open);

std::string PeerMarkdown(const PeerReport& report);
// Keys: model, model_note, threads, max_tokens, server, load_average, prompts_identical,
// rows[{what, variant, parallel, ctx_per_seq, format, ours{...}, llama_server{...}, ratio, target,
// target_met, prompts_identical, answers_identical, first_difference}], fleet[{servers, routing,
// slots_per_server, threads_per_server, per_min, ..., servers[{url, requests, prompt_tokens,
// cached_tokens}]}]. Sides: {items, requests, per_min, seconds, prompt_tokens, cached_tokens,
// decoded_tokens, generated_tokens, peak_rss_bytes, prompts_sha256}.
nlohmann::json PeerJson(const PeerReport& report);

}  // namespace scale::bench
