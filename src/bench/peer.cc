#include "bench/peer.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>

#include "annotate/config.h"
#include "annotate/pipeline.h"
#include "remote/llama_server_process.h"
#include "bench/process.h"
#include "bench/recording_llm.h"
#include "engine/chat_format.h"
#include "engine/llama_engine.h"
#include "engine/scheduler.h"
#include "languages/language.h"
#include "settings/backends.h"
#include "summarize/prompts.h"
#include "summarize/summarize.h"
#include "summarize/walker.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/peak_rss.h"

namespace scale::bench {
namespace {

namespace fs = std::filesystem;

// The targets of issue 17: ours / llama-server's throughput.
constexpr double kTargetN1 = 1.1, kTargetN4 = 1.25, kTargetNoSharing = 0.95;

// One pipeline, runnable on any Llm: fills items, tokens and seconds.
using Pipeline = std::function<PeerSide(engine::Llm&)>;
using remote::LlamaServerProcess;

Pipeline CommentPipeline(const std::vector<annotate::SourceFile>& files, const annotate::Prompts& prompts, int max_tokens) {
  return [&files, &prompts, max_tokens](engine::Llm& llm) {
    annotate::AnnotateOptions options;
    options.existing = annotate::ExistingMode::kUpdate;  // every routine counts, documented or not
    options.sampling.max_tokens = max_tokens;
    annotate::Annotator annotator(llm, prompts, options);
    PeerSide side;
    const auto start = std::chrono::steady_clock::now();
    std::vector<annotate::FileResult> results = annotator.Run(files);
    side.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (const auto& r : results) {
      side.items += r.Count(annotate::RoutineStatus::kCommented) + r.Count(annotate::RoutineStatus::kUpdated) +
                    r.Count(annotate::RoutineStatus::kFailed);
      side.prompt_tokens += r.prompt_tokens;
      side.cached_tokens += r.cached_prompt_tokens;
      side.generated_tokens += r.completion_tokens;
    }
    return side;
  };
}

Pipeline SummarizePipeline(const std::string& dir, int chunk_lines, int max_tokens) {
  return [dir, chunk_lines, max_tokens](engine::Llm& llm) {
    summarize::WalkResult walk = summarize::Walk({dir}, {});
    summarize::Tree tree = summarize::BuildTree(walk, chunk_lines);
    summarize::PromptSet set = summarize::LoadPromptSet(summarize::FindPromptDir(""));
    summarize::SummarizeOptions options;
    options.sampling.max_tokens = max_tokens;
    options.progress = false;
    summarize::SummarizeStats stats = summarize::Summarize(llm, set, tree, options, nullptr);
    PeerSide side;
    side.items = static_cast<int>(stats.chunks_decoded);
    side.prompt_tokens = stats.prompt_tokens;
    side.cached_tokens = stats.cached_prompt_tokens;
    side.generated_tokens = stats.completion_tokens;
    side.seconds = stats.seconds;
    return side;
  };
}

// Points PeerOptions::watch at a model for as long as this lives (declare it after the model).
class Watched {
 public:
  Watched(const PeerOptions& o, engine::Llm* llm) : watch_(o.watch) {
    if (watch_) watch_(llm);
  }
  ~Watched() {
    if (watch_) watch_(nullptr);
  }
  Watched(const Watched&) = delete;
  Watched& operator=(const Watched&) = delete;

 private:
  const std::function<void(engine::Llm*)>& watch_;
};

// A run on one side, with its requests recorded.
struct Recorded {
  PeerSide side;
  std::vector<RecordedRequest> requests;  // sorted
  std::vector<RecordedRequest> in_order;  // for a replay
};

Recorded RunRecorded(engine::Llm& llm, const Pipeline& pipeline) {
  RecordingLlm recording(llm);
  Recorded out;
  out.side = pipeline(recording);
  if (llm.cancelled()) throw Error(kExitInterrupted, "interrupted");
  out.requests = recording.Sorted();
  out.in_order = recording.InOrder();
  out.side.requests = static_cast<int>(out.requests.size());
  out.side.prompts_sha = RequestStreamDigest(out.requests);
  out.side.answers_sha = RequestStreamDigest(out.requests, true);
  return out;
}

struct EngineRun {
  Recorded recorded;
  int ctx_per_seq = 0;
  engine::ChatFormat format = engine::ChatFormat::kChatML;
};

EngineRun RunOurs(const PeerOptions& o, const EngineFactory& open, int parallel, int ctx, bool share, const Pipeline& pipeline) {
  SharingMode mode(share, {});  // never the disk prefix cache: no run is warmed by an earlier one
  ResetPeakRss();
  std::unique_ptr<engine::Llm> llm = open(parallel, ctx);
  Watched watched(o, llm.get());
  auto* engine = dynamic_cast<engine::LlamaEngine*>(llm.get());
  if (engine == nullptr) throw Error(kExitUsage, "bench --peer measures the in-process engine: drop --backend");
  EngineRun run;
  run.ctx_per_seq = llm->ContextSize();
  run.format = engine->format();
  run.recorded = RunRecorded(*llm, pipeline);
  run.recorded.side.peak_rss = PeakRssBytes();
  return run;
}

struct ServerRun {
  Recorded recorded;
  std::vector<remote::EndpointStats> stats;
  std::string note;
  bool replayed = false;
  std::string live_difference;
  double live_per_min = 0;
};

// `servers` llama-servers of `slots` slots x ctx_per_seq tokens each, driven through RemoteLlm
// with raw completions in the engine's format. Every server is stopped before this returns.
ServerRun RunTheirs(const PeerOptions& o, int servers, int slots, int threads, int ctx_per_seq, engine::ChatFormat format,
                    settings::Routing routing, const Pipeline& pipeline, bool server_cache = true) {
  std::vector<std::unique_ptr<LlamaServerProcess>> procs;
  settings::RemoteConfig config;
  config.routing = routing;
  for (int i = 0; i < servers; ++i) {
    LlamaServerProcess::Options so;
    so.binary = o.server_binary;
    so.model = o.model;
    so.parallel = slots;
    so.ctx = slots * ctx_per_seq;
    so.threads = threads;
    so.batch_size = o.batch_size;
    so.gpu_layers = o.gpu_layers;
    so.extra = {"--cont-batching"};
    so.log_dir = o.log_dir;
    procs.push_back(std::make_unique<LlamaServerProcess>(so));
    if (!procs.back()->Start()) throw Error(kExitModel, procs.back()->error());
    settings::Backend b;
    b.url = procs.back()->url();
    b.max_concurrent = slots;
    b.api = settings::BackendApi::kCompletion;
    b.format = engine::ChatFormatName(format);
    b.cache_prompt = server_cache;
    b.where = "bench --peer";
    config.backends.push_back(b);
  }
  std::unique_ptr<remote::RemoteLlm> llm = remote::RemoteLlm::Open(config);
  Watched watched(o, llm.get());
  ServerRun run;
  if (llm->ContextSize() != ctx_per_seq) {
    // llama-server caps a slot at the model's trained context; the context guard then trims differently.
    run.note = "llama-server gave each slot " + std::to_string(llm->ContextSize()) + " tokens, the engine had " +
               std::to_string(ctx_per_seq) + " (it caps slots at the trained context: lower the context)";
    LogWarning("bench --peer: " + run.note);
  }
  run.recorded = RunRecorded(*llm, pipeline);
  run.stats = llm->Stats();
  for (const auto& p : procs) run.recorded.side.peak_rss += p->PeakRssBytes();  // VmHWM, read before stopping
  return run;
}

// The server side of a row: the pipeline live, and when that sent other requests than the engine
// got (an answer that differs feeds later prompts), a replay of the engine's own recorded stream.
ServerRun RunTheirsMatching(const PeerOptions& o, int servers, int slots, int threads, const EngineRun& ours,
                            settings::Routing routing, const Pipeline& pipeline, bool server_cache = true) {
  ServerRun live = RunTheirs(o, servers, slots, threads, ours.ctx_per_seq, ours.format, routing, pipeline, server_cache);
  if (live.recorded.side.prompts_sha == ours.recorded.side.prompts_sha) return live;
  const std::string difference = FirstDifference(ours.recorded.requests, live.recorded.requests);
  LogInfo("bench --peer: the live server run was sent other requests from " + difference +
          " on (greedy answers diverged); replaying the engine's requests");
  const std::vector<RecordedRequest>& in_order = ours.recorded.in_order;
  const int items = ours.recorded.side.items;
  Pipeline replay = [&in_order, items](engine::Llm& llm) {
    ReplayResult r = Replay(llm, in_order);
    PeerSide side;
    side.items = items;
    side.prompt_tokens = r.prompt_tokens;
    side.cached_tokens = r.cached_tokens;
    side.generated_tokens = r.generated_tokens;
    side.seconds = r.seconds;
    return side;
  };
  ServerRun run = RunTheirs(o, servers, slots, threads, ours.ctx_per_seq, ours.format, routing, replay, server_cache);
  run.replayed = true;
  run.live_difference = difference;
  run.live_per_min = live.recorded.side.per_min();
  return run;
}

double LoadAverage() {
  std::string text = ReadFile("/proc/loadavg", 4096);
  return text.empty() ? 0 : std::atof(text.c_str());
}

std::string ServerVersion(const std::string& binary) {
  ProcessResult r = RunProcess({binary, "--version"});
  for (size_t pos = 0; pos < r.output.size();) {
    size_t end = r.output.find('\n', pos);
    if (end == std::string::npos) end = r.output.size();
    std::string line = r.output.substr(pos, end - pos);
    if (line.rfind("version", 0) == 0) return line;
    pos = end + 1;
  }
  return "";
}

PeerRow Compare(const std::string& what, const std::string& variant, int n, const EngineRun& ours,
                const ServerRun& server, double target) {
  const Recorded& theirs = server.recorded;
  PeerRow row;
  row.what = what;
  row.variant = variant;
  row.parallel = n;
  row.ctx_per_seq = ours.ctx_per_seq;
  row.format = engine::ChatFormatName(ours.format);
  row.ours = ours.recorded.side;
  row.theirs = theirs.side;
  row.prompts_identical = row.ours.prompts_sha == row.theirs.prompts_sha && row.ours.requests > 0;
  row.answers_identical = row.ours.answers_sha == row.theirs.answers_sha;
  row.first_difference = FirstDifference(ours.recorded.requests, theirs.requests);
  row.target = target;
  row.note = server.note;
  row.replayed = server.replayed;
  row.live_difference = server.live_difference;
  row.live_per_min = server.live_per_min;
  if (!row.prompts_identical) {
    LogWarning("bench --peer: " + what + " at N=" + std::to_string(n) + ": the request streams differ (first at " +
               row.first_difference + "); the comparison is void");
  }
  return row;
}

}  // namespace

bool PeerReport::all_identical() const {
  for (const PeerRow& r : rows) {
    if (!r.prompts_identical) return false;
  }
  for (const FleetRun& f : fleet) {
    if (!f.prompts_identical) return false;
  }
  return true;
}

PeerReport RunPeerBench(const PeerOptions& options, const EngineFactory& open) {
  PeerReport report;
  report.options = options;
  PeerOptions& o = report.options;
  if (o.server_binary.empty()) {
    std::string why;
    o.server_binary = LlamaServerProcess::DefaultBinary(&why);
    if (o.server_binary.empty()) throw Error(kExitModel, "bench --peer: " + why);
  }
  // Server logs: a folder of this run's own, removed afterwards unless the caller chose one.
  const bool own_logs = o.log_dir.empty();
  if (own_logs) o.log_dir = (CacheDir() / "bench" / ("peer-" + std::to_string(getpid()))).string();
  std::error_code ec;
  fs::create_directories(o.log_dir, ec);
  struct RemoveLogs {
    std::string dir;
    ~RemoveLogs() {
      std::error_code e;
      if (!dir.empty()) fs::remove_all(dir, e);
    }
  } remove_logs{own_logs ? o.log_dir : ""};

  report.server_version = ServerVersion(o.server_binary);
  report.load_average = LoadAverage();
  report.sharing_note =
      "engine::SchedulerOptions.min_shared_prefix = 0 (every prompt decoded in full: no cross-request prefix sharing); "
      "the disk prefix cache is off in every row";

  std::vector<annotate::SourceFile> files = SourceFiles(o.dir);
  const bool comments = !o.comment_parallel.empty() || o.no_sharing_parallel > 0 || o.fleet_parallel > 0;
  if (files.empty() && comments) throw Error(kExitUsage, o.dir + ": no .py, .c, .h or .js files to comment");
  std::vector<languages::Language> langs;
  for (const auto& f : files) {
    if (std::find(langs.begin(), langs.end(), f.language) == langs.end()) langs.push_back(f.language);
  }
  annotate::Prompts prompts = annotate::LoadPrompts(annotate::FindConfigDir(""), langs);
  const Pipeline comment = CommentPipeline(files, prompts, o.max_tokens);

  // (a) comment at each N, engine then server back to back (this machine's speed drifts).
  std::map<int, ServerRun> one_server;  // the server side of each N, for the fleet's baseline
  std::map<int, EngineRun> engine_at;
  for (int n : o.comment_parallel) {
    LogInfo("bench --peer: comment at N=" + std::to_string(n) + ", in-process engine");
    EngineRun ours = RunOurs(o, open, n, 0, true, comment);
    LogInfo("bench --peer: comment at N=" + std::to_string(n) + ", llama-server -np " + std::to_string(n));
    ServerRun theirs = RunTheirsMatching(o, 1, n, o.threads, ours, settings::Routing::kPrefix, comment);
    report.rows.push_back(Compare("comment", "", n, ours, theirs, n >= 4 ? kTargetN4 : n == 1 ? kTargetN1 : 0));
    one_server[n] = std::move(theirs);
    engine_at[n] = std::move(ours);
  }

  // (b) summarize at N.
  if (o.summarize_parallel > 0) {
    const int n = o.summarize_parallel;
    const Pipeline summarize = SummarizePipeline(o.summarize_dir.empty() ? o.dir : o.summarize_dir, o.chunk_lines, o.max_tokens);
    LogInfo("bench --peer: summarize at N=" + std::to_string(n) + ", in-process engine");
    EngineRun ours = RunOurs(o, open, n, o.summarize_ctx, true, summarize);
    LogInfo("bench --peer: summarize at N=" + std::to_string(n) + ", llama-server");
    ServerRun theirs = RunTheirsMatching(o, 1, n, o.threads, ours, settings::Routing::kPrefix, summarize);
    report.rows.push_back(Compare("summarize", "", n, ours, theirs, n >= 4 ? kTargetN4 : n == 1 ? kTargetN1 : 0));
  }

  // (c) the engine without prefix sharing against the same server (its run at that N when (a) made one).
  if (o.no_sharing_parallel > 0) {
    const int n = o.no_sharing_parallel;
    LogInfo("bench --peer: comment at N=" + std::to_string(n) + ", engine without prefix sharing");
    EngineRun ours = RunOurs(o, open, n, 0, false, comment);
    // Engine against engine: llama-server without its slot cache (cache_prompt false), so neither
    // side reuses a prompt prefix.
    LogInfo("bench --peer: comment at N=" + std::to_string(n) + ", llama-server without its prompt cache");
    ServerRun theirs = RunTheirsMatching(o, 1, n, o.threads, ours, settings::Routing::kPrefix, comment, /*server_cache=*/false);
    report.rows.push_back(Compare("comment", "no prefix sharing, both sides", n, ours, theirs, kTargetNoSharing));
    if (engine_at.find(n) == engine_at.end()) engine_at[n] = std::move(ours);
  }

  // (d) scale over two servers (half the slots and threads each) against one, prefix routing then spread.
  if (o.fleet_parallel > 0) {
    const int n = o.fleet_parallel;
    report.fleet_parallel = n;
    if (engine_at.find(n) == engine_at.end()) engine_at[n] = RunOurs(o, open, n, 0, true, comment);
    const EngineRun& ours = engine_at[n];
    if (one_server.find(n) == one_server.end()) {
      one_server[n] = RunTheirsMatching(o, 1, n, o.threads, ours, settings::Routing::kPrefix, comment);
    }
    FleetRun single;
    single.servers = 1;
    single.routing = "prefix";
    single.slots_per_server = n;
    single.threads_per_server = o.threads;
    single.side = one_server[n].recorded.side;
    single.stats = one_server[n].stats;
    single.replayed = one_server[n].replayed;
    single.prompts_identical = single.side.prompts_sha == ours.recorded.side.prompts_sha;
    report.fleet.push_back(single);
    for (settings::Routing routing : {settings::Routing::kPrefix, settings::Routing::kSpread}) {
      FleetRun run;
      run.servers = 2;
      run.routing = routing == settings::Routing::kPrefix ? "prefix" : "spread";
      run.slots_per_server = std::max(1, n / 2);
      run.threads_per_server = std::max(1, o.threads / 2);
      LogInfo("bench --peer: comment over two llama-servers, routing " + run.routing);
      ServerRun two = RunTheirsMatching(o, 2, run.slots_per_server, run.threads_per_server, ours, routing, comment);
      run.replayed = two.replayed;
      run.side = two.recorded.side;
      run.stats = two.stats;
      run.prompts_identical = run.side.prompts_sha == ours.recorded.side.prompts_sha;
      report.fleet.push_back(run);
    }
  }
  return report;
}

}  // namespace scale::bench
