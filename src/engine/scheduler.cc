// The continuous-batching loop behind LlamaEngine::RunJobs and LlamaEngine::Complete (a one-job
// run), so the per-request rules (prompt checks, stop strings, limits, finish reasons) exist
// here only. Contract: engine/scheduler.h.
#include "engine/scheduler.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>

#include "engine/batch.h"
#include "engine/context_fit.h"
#include "engine/job_graph.h"
#include "engine/llama_engine.h"
#include "engine/prefix_cache.h"
#include "engine/prefix_choice.h"
#include "engine/stop_filter.h"
#include "llama.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"

namespace scale::engine {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

SchedulerOptions& Defaults() {
  // SCALE_MIN_SHARED_PREFIX (0 = no prefix reuse at all) lets benchmarks compare with and without
  // sharing on the same binary.
  static SchedulerOptions options = [] {
    SchedulerOptions o;
    if (const char* env = std::getenv("SCALE_MIN_SHARED_PREFIX"); env != nullptr && *env != '\0') {
      o.min_shared_prefix = std::atoi(env);
    }
    return o;
  }();
  return options;
}

enum class Phase { kFree, kWaiting, kPrompt, kGenerate };

struct Slot {
  int seq = 0;
  Phase phase = Phase::kFree;
  size_t job = 0;
  uint64_t serial = 0;  // distinguishes successive requests in the same slot (for waiters)
  Request request;
  std::vector<llama_token> prompt;
  llama_sampler* sampler = nullptr;
  std::unique_ptr<StopFilter> filter;
  bool listener_stopped = false;
  llama_token last = 0;  // sampled, not yet decoded
  int in_batch = 0;      // tokens this slot put in the current batch
  int logits_at = -1;    // batch row whose logits this slot samples from
  int wait_for = -1;     // slot index whose prompt this one waits to copy
  uint64_t wait_serial = 0;
  size_t wait_len = 0;
  Response response;
  double start = 0;  // Scheduler::Now() when the request started
};

// What a sequence id's KV cache holds: the tokens at positions 0..n-1.
struct SeqState {
  std::vector<llama_token> tokens;
  size_t disk_len = 0;        // leading tokens that came from the disk prefix cache
  bool pending_copy = false;  // cross-stream copy queued; its data lands on the next decode
};

class Scheduler {
 public:
  Scheduler(LlamaEngine& engine, llama_context* ctx, int parallel, std::vector<Job>& jobs,
            const SchedulerOptions& options, SchedulerStats* stats)
      : engine_(engine),
        jobs_(jobs),
        graph_(jobs),  // a bad graph throws here, before anything runs
        options_(options),
        stats_(stats),
        ctx_(ctx),
        mem_(llama_get_memory(ctx_)),
        n_batch_(static_cast<int>(llama_n_batch(ctx_))),
        batch_(std::max(n_batch_, parallel)),
        epoch_(Clock::now()) {
    int n_seq = static_cast<int>(llama_n_seq_max(ctx_));
    parallel = std::clamp(parallel, 1, n_seq);
    unified_ = n_seq > 1 && llama_n_ctx_seq(ctx_) == llama_n_ctx(ctx_);
    slots_.resize(parallel);
    for (int i = 0; i < parallel; ++i) slots_[i].seq = i;
    seqs_.resize(n_seq);
    cap_ = parallel;
    llama_memory_clear(mem_, false);
  }

  ~Scheduler() {
    for (Slot& s : slots_) FreeSampler(s);
    llama_memory_clear(mem_, false);  // the next run starts from a clean cache
  }

  void Run();

 private:
  void Fill();
  void Start(size_t job, Request request);
  void Place(Slot& slot, bool allow_wait = true);
  void CopyPrefix(int from_seq, Slot& slot, size_t len);
  bool Step();
  void AfterDecode();
  void Sample(Slot& slot);
  void Emit(Slot& slot, const std::string& text);
  void Finish(Slot& slot, FinishReason reason, const std::string& error = "");
  void Complete(size_t job, const Response& response);
  void Requeue(Slot& slot);
  void ClearSeq(int seq);
  void FreeSampler(Slot& slot) {
    if (slot.sampler) llama_sampler_free(slot.sampler);
    slot.sampler = nullptr;
  }
  int Active() const {
    return static_cast<int>(std::count_if(slots_.begin(), slots_.end(), [](const Slot& s) { return s.phase != Phase::kFree; }));
  }
  // Request time (limits, Response::seconds): the options' clock when a test scripts one.
  double Now() const { return options_.clock ? options_.clock() : SecondsSince(epoch_); }
  bool TimedOut(const Slot& s) const { return s.request.time_limit_s > 0 && Now() - s.start >= s.request.time_limit_s; }
  std::optional<PrefixCache> DiskCache();
  void LoadDiskPrefixes();
  void SaveDiskPrefixes();

  LlamaEngine& engine_;
  std::vector<Job>& jobs_;
  JobGraph graph_;
  SchedulerOptions options_;
  SchedulerStats* stats_;
  llama_context* ctx_;
  llama_memory_t mem_;
  int n_batch_ = 0;
  Batch batch_;
  Clock::time_point epoch_;
  bool unified_ = false;
  int cap_ = 1;  // slots allowed to run (lowered if the KV cache turns out too small)
  double last_decode_seconds_ = 0;
  std::vector<Slot> slots_;
  std::vector<SeqState> seqs_;
  std::map<size_t, Request> requeued_;
  std::vector<size_t> prompt_order_;  // slot indices in the order their prompts started
  uint64_t serial_ = 0;
  // Prefixes that were actually shared, with the number of requests that used each: what the
  // disk cache chooses from at the end of the run.
  std::map<std::vector<llama_token>, int64_t> shared_;
};

void Scheduler::Run() {
  const Clock::time_point start = Clock::now();
  LoadDiskPrefixes();
  while (true) {
    if (engine_.cancelled()) {
      for (Slot& s : slots_) {
        if (s.phase != Phase::kFree) Finish(s, FinishReason::kCancelled);
      }
      break;  // queued jobs are not started
    }
    Fill();
    if (Active() == 0) {
      if (!graph_.AnyReady()) break;
      continue;
    }
    stats_->max_active = std::max(stats_->max_active, Active());
    const Clock::time_point step_start = Clock::now();
    const bool decoded = Step();
    const int width = batch_.size();
    const bool full = decoded && width == static_cast<int>(slots_.size()) &&
                      std::all_of(slots_.begin(), slots_.end(), [](const Slot& s) { return s.phase == Phase::kGenerate; });
    if (decoded) AfterDecode();
    if (full) {
      ++stats_->full_steps;
      stats_->full_step_tokens += width;
      stats_->full_step_seconds += SecondsSince(step_start);
      stats_->full_step_decode_seconds += last_decode_seconds_;
    }
  }
  SaveDiskPrefixes();
  stats_->seconds += SecondsSince(start);
}

void Scheduler::Fill() {
  while (graph_.AnyReady() && Active() < cap_ && !engine_.cancelled()) {
    const size_t job = graph_.TakeReady();
    std::optional<Request> request;
    if (auto it = requeued_.find(job); it != requeued_.end()) {
      request = std::move(it->second);
      requeued_.erase(it);
    } else if (jobs_[job].make) {
      request = jobs_[job].make();
    }
    if (!request) {
      graph_.Finished(job);  // skipped: dependants still run
      continue;
    }
    Start(job, std::move(*request));
  }
}

void Scheduler::Start(size_t job, Request request) {
  ++stats_->requests;
  Response r;
  std::vector<llama_token> prompt = engine_.Tokenize(engine_.FormatPrompt(request.messages), true, true);
  r.prompt_tokens = static_cast<int>(prompt.size());
  stats_->prompt_tokens += r.prompt_tokens;
  const int max_tokens = request.sampling.max_tokens;
  // The same refusals as Complete(), in the same order; none of them takes a slot.
  if (prompt.empty() || max_tokens < 1 || r.prompt_tokens + max_tokens > engine_.ContextSize()) {
    r.finish = prompt.empty() || max_tokens < 1 ? FinishReason::kError : FinishReason::kContextFull;
    r.error = prompt.empty() ? "the prompt is empty"
              : max_tokens < 1 ? "max_tokens must be at least 1"
                               : ContextFullMessage(r.prompt_tokens, max_tokens, engine_.ContextSize());
    Complete(job, r);
    return;
  }
  // The free slot whose leftover KV shares most with this prompt (reusing it costs nothing).
  Slot* best = nullptr;
  size_t best_len = 0;
  for (Slot& s : slots_) {
    if (s.phase != Phase::kFree) continue;
    size_t len = CommonPrefix(seqs_[s.seq].tokens, prompt);
    if (best == nullptr || len > best_len) best = &s, best_len = len;
  }
  Slot& slot = *best;
  slot.job = job;
  slot.serial = ++serial_;
  slot.request = std::move(request);
  slot.prompt = std::move(prompt);
  slot.response = r;
  slot.start = Now();
  slot.listener_stopped = false;
  slot.sampler = engine_.MakeSampler(slot.request.sampling);
  slot.filter = std::make_unique<StopFilter>(engine_.StopStrings(slot.request));
  Place(slot);
  // A slot refilled before its old entry was dropped must not appear twice.
  const size_t index = static_cast<size_t>(&slot - slots_.data());
  std::erase(prompt_order_, index);
  prompt_order_.push_back(index);
}

// Decides where the prompt's KV comes from: a prefix already in some sequence (copied), a prefix
// another slot is about to compute (wait for it), or nothing (compute it all).
void Scheduler::Place(Slot& slot, bool allow_wait) {
  if (options_.min_shared_prefix <= 0) {  // sharing off: every prompt is computed in full
    ClearSeq(slot.seq);
    slot.phase = Phase::kPrompt;
    return;
  }
  const size_t limit = slot.prompt.size() - 1;  // the last prompt token is always decoded: its logits
  const size_t min_share = static_cast<size_t>(std::max(1, options_.min_shared_prefix));
  int src = slot.seq;
  size_t now = std::min(CommonPrefix(seqs_[slot.seq].tokens, slot.prompt), limit);  // own leftovers: free
  for (size_t s = 0; s < seqs_.size(); ++s) {
    if (static_cast<int>(s) == slot.seq || seqs_[s].pending_copy) continue;
    size_t len = std::min(CommonPrefix(seqs_[s].tokens, slot.prompt), limit);
    if (len >= min_share && len > now) src = static_cast<int>(s), now = len;
  }
  // A slot still reading a prompt that shares more: wait for it rather than compute it twice.
  // Only slots that are computing count, so waits never chain or form a cycle.
  int wait = -1;
  size_t later = 0;
  for (size_t i = 0; i < slots_.size() && allow_wait; ++i) {
    const Slot& other = slots_[i];
    if (&other == &slot || other.phase != Phase::kPrompt) continue;
    size_t len = std::min(CommonPrefix(other.prompt, slot.prompt), limit);
    if (len > later) wait = static_cast<int>(i), later = len;
  }
  if (wait >= 0 && later >= min_share && later >= now + min_share) {
    slot.phase = Phase::kWaiting;
    slot.wait_for = wait;
    slot.wait_serial = slots_[wait].serial;
    slot.wait_len = later;
    return;
  }
  slot.phase = Phase::kPrompt;
  if (src == slot.seq) {
    SeqState& own = seqs_[slot.seq];
    if (now < own.tokens.size() && !llama_memory_seq_rm(mem_, slot.seq, static_cast<llama_pos>(now), -1)) {
      ClearSeq(slot.seq);
      now = 0;
    }
    own.tokens.resize(now);
    own.disk_len = std::min(own.disk_len, now);
  } else {
    CopyPrefix(src, slot, now);
  }
  slot.response.cached_prompt_tokens = static_cast<int>(now);
  stats_->shared_tokens += static_cast<int64_t>(now);
  stats_->disk_tokens += static_cast<int64_t>(std::min(now, seqs_[slot.seq].disk_len));
  if (now >= min_share) ++shared_[std::vector<llama_token>(slot.prompt.begin(), slot.prompt.begin() + now)];
}

void Scheduler::CopyPrefix(int from_seq, Slot& slot, size_t len) {
  const int to = slot.seq;
  llama_memory_seq_rm(mem_, to, -1, -1);
  if (unified_) {
    llama_memory_seq_cp(mem_, from_seq, to, 0, static_cast<llama_pos>(len));  // shares cells: no data moved
  } else {
    // Separate streams can only be copied whole; the copy is done by the next llama_decode.
    llama_memory_seq_cp(mem_, from_seq, to, -1, -1);
    llama_memory_seq_rm(mem_, to, static_cast<llama_pos>(len), -1);
    seqs_[to].pending_copy = true;
  }
  seqs_[to].tokens.assign(slot.prompt.begin(), slot.prompt.begin() + len);
  seqs_[to].disk_len = std::min(seqs_[from_seq].disk_len, len);
}

void Scheduler::ClearSeq(int seq) {
  llama_memory_seq_rm(mem_, seq, -1, -1);
  seqs_[seq] = SeqState{};
}

// Fills the batch (generation tokens first, then prompt chunks in start order) and decodes it.
// Returns false when nothing was decoded (the caller loops again).
bool Scheduler::Step() {
  batch_.Clear();
  auto add = [&](Slot& s, llama_token token, size_t pos, bool logits) {
    const int row = batch_.Add(token, static_cast<llama_pos>(pos), s.seq, logits);
    if (logits) s.logits_at = row;
    ++s.in_batch;
  };
  for (Slot& s : slots_) {
    s.in_batch = 0;
    s.logits_at = -1;
  }
  for (Slot& s : slots_) {
    if (s.phase == Phase::kGenerate && batch_.size() < n_batch_) add(s, s.last, seqs_[s.seq].tokens.size(), true);
  }
  std::erase_if(prompt_order_, [&](size_t i) {
    return slots_[i].phase != Phase::kPrompt && slots_[i].phase != Phase::kWaiting;
  });
  for (size_t i : prompt_order_) {
    Slot& s = slots_[i];
    if (s.phase != Phase::kPrompt) continue;
    size_t pos = seqs_[s.seq].tokens.size();
    size_t take = std::min(s.prompt.size() - pos, static_cast<size_t>(n_batch_ - batch_.size()));
    for (size_t k = 0; k < take; ++k, ++pos) add(s, s.prompt[pos], pos, pos + 1 == s.prompt.size());
  }
  if (batch_.size() == 0) {
    // Only waiters left (their source failed without finishing): let them compute on their own.
    for (Slot& s : slots_) {
      if (s.phase == Phase::kWaiting) Place(s, /*allow_wait=*/false);
    }
    return false;
  }
  const Clock::time_point decode_start = Clock::now();
  int rc = llama_decode(ctx_, batch_.get());
  last_decode_seconds_ = SecondsSince(decode_start);
  ++stats_->decode_calls;
  if (rc == 1) {
    // No room in the KV cache: drop leftovers of idle sequences and try again.
    for (size_t seq = 0; seq < seqs_.size(); ++seq) {
      bool busy = seq < slots_.size() && slots_[seq].phase != Phase::kFree;
      if (!busy && !seqs_[seq].tokens.empty()) ClearSeq(static_cast<int>(seq));
    }
    rc = llama_decode(ctx_, batch_.get());
    ++stats_->decode_calls;
  }
  if (rc == 1) {
    // Still full: run fewer sequences. The newest one goes back to the queue (unless it is alone).
    Slot* newest = nullptr;
    for (size_t i : prompt_order_) newest = &slots_[i];
    if (newest == nullptr || Active() == 1) {
      for (Slot& s : slots_) {
        if (s.in_batch > 0) Finish(s, FinishReason::kError, "KV cache full (lower --parallel or raise --ctx-size)");
      }
    } else {
      cap_ = std::max(1, Active() - 1);
      LogVerbose("KV cache full: running at most " + std::to_string(cap_) + " sequences together");
      Requeue(*newest);
    }
    return false;
  }
  if (rc != 0) {
    bool aborted = rc == 2 && engine_.cancelled();
    for (Slot& s : slots_) {
      if (s.in_batch == 0 && !aborted) continue;
      if (s.phase == Phase::kFree) continue;
      ClearSeq(s.seq);  // a failed decode may leave part of the batch behind
      Finish(s, aborted ? FinishReason::kCancelled : FinishReason::kError,
             aborted ? "" : "llama_decode failed (code " + std::to_string(rc) + ")");
    }
    return false;
  }
  for (SeqState& st : seqs_) st.pending_copy = false;
  for (Slot& s : slots_) {
    if (s.in_batch == 0) continue;
    SeqState& st = seqs_[s.seq];
    if (s.phase == Phase::kGenerate) {
      st.tokens.push_back(s.last);
    } else {
      size_t pos = st.tokens.size();
      st.tokens.insert(st.tokens.end(), s.prompt.begin() + pos, s.prompt.begin() + pos + s.in_batch);
      stats_->prefill_tokens += s.in_batch;
    }
  }
  return true;
}

void Scheduler::AfterDecode() {
  for (Slot& s : slots_) {
    if (s.phase == Phase::kFree) continue;
    if (s.logits_at >= 0) {
      Sample(s);  // the first answer token after the prompt, or the next one
    } else if (s.phase != Phase::kGenerate && TimedOut(s)) {
      Finish(s, FinishReason::kTimeout, "time limit reached while reading the prompt");
    }
    s.logits_at = -1;
  }
  // Waiters whose source has now computed the shared part copy it; orphans compute alone.
  for (Slot& s : slots_) {
    if (s.phase != Phase::kWaiting) continue;
    const Slot& src = slots_[s.wait_for];
    bool alive = src.phase != Phase::kFree && src.serial == s.wait_serial;
    if (alive && seqs_[src.seq].tokens.size() < s.wait_len) continue;
    const size_t min_share = static_cast<size_t>(std::max(1, options_.min_shared_prefix));
    if (alive && CommonPrefix(seqs_[src.seq].tokens, s.prompt) >= s.wait_len) {
      s.phase = Phase::kPrompt;
      CopyPrefix(src.seq, s, s.wait_len);
      s.response.cached_prompt_tokens = static_cast<int>(s.wait_len);
      stats_->shared_tokens += static_cast<int64_t>(s.wait_len);
      if (s.wait_len >= min_share) {
        ++shared_[std::vector<llama_token>(s.prompt.begin(), s.prompt.begin() + s.wait_len)];
      }
    } else {
      Place(s, /*allow_wait=*/!alive);  // source failed or was requeued: another, or compute it all
    }
  }
}

void Scheduler::Emit(Slot& s, const std::string& text) {
  if (text.empty() || s.listener_stopped) return;
  s.response.text += text;
  if (s.request.on_piece && !s.request.on_piece(text)) s.listener_stopped = true;
}

void Scheduler::Sample(Slot& s) {
  llama_token token = engine_.SampleNext(s.sampler, ctx_, s.logits_at);
  ++stats_->generated_tokens;
  s.phase = Phase::kGenerate;
  if (engine_.IsEndOfGeneration(token)) return Finish(s, FinishReason::kStop);
  ++s.response.completion_tokens;
  Emit(s, s.filter->Feed(engine_.TokenPiece(token)));
  if (s.listener_stopped) return Finish(s, FinishReason::kCancelled);
  if (s.filter->stopped()) return Finish(s, FinishReason::kStop);
  if (s.response.completion_tokens >= s.request.sampling.max_tokens) return Finish(s, FinishReason::kLength);
  if (engine_.cancelled()) return Finish(s, FinishReason::kCancelled);
  if (TimedOut(s)) return Finish(s, FinishReason::kTimeout);
  s.last = token;
}

void Scheduler::Finish(Slot& s, FinishReason reason, const std::string& error) {
  if (s.phase == Phase::kGenerate && !s.filter->stopped()) Emit(s, s.filter->Finish());
  s.response.finish = reason;
  s.response.error = error;
  s.response.seconds = Now() - s.start;
  FreeSampler(s);
  s.filter.reset();
  s.phase = Phase::kFree;
  // The KV stays: the next request placed here, or copying from here, may reuse its prefix.
  Response response = std::move(s.response);
  s.response = Response{};
  Complete(s.job, response);
}

void Scheduler::Complete(size_t job, const Response& response) {
  if (jobs_[job].done) jobs_[job].done(response);
  graph_.Finished(job);
}

void Scheduler::Requeue(Slot& s) {
  FreeSampler(s);
  s.filter.reset();
  ClearSeq(s.seq);
  s.phase = Phase::kFree;
  s.response = Response{};
  --stats_->requests;
  stats_->prompt_tokens -= static_cast<int64_t>(s.prompt.size());
  requeued_[s.job] = std::move(s.request);
  graph_.PutBack(s.job);
}

std::optional<PrefixCache> Scheduler::DiskCache() {
  if (!options_.disk_prefix_cache) return std::nullopt;
  std::filesystem::path dir = options_.prefix_cache_dir;
  if (dir.empty()) {
    try {
      dir = CacheDir() / "prefix";
    } catch (const std::exception& e) {
      LogVerbose(std::string("prefix cache off: ") + e.what());
      return std::nullopt;
    }
  }
  // KV values depend on the model, adapters and RoPE settings (all in the fingerprint); the id also
  // holds the model file's whole SHA-256, so two models that differ anywhere never share a prefix.
  return PrefixCache(dir, engine_.Fingerprint(), options_.max_disk_prefixes);
}

void Scheduler::LoadDiskPrefixes() {
  std::optional<PrefixCache> cache = DiskCache();
  if (!cache) return;
  // Spare sequences first (they are never handed to a request), then the idle slots.
  std::vector<int> seqs;
  for (int s = static_cast<int>(slots_.size()); s < static_cast<int>(seqs_.size()); ++s) seqs.push_back(s);
  for (size_t s = 0; s < slots_.size(); ++s) seqs.push_back(static_cast<int>(s));
  // A few prefixes are enough (one system prompt per kind of request); each costs KV cells.
  seqs.resize(std::min<size_t>(seqs.size(), kSchedulerSpareSequences));
  std::vector<std::vector<llama_token>> loaded = cache->Load(ctx_, seqs);
  for (size_t i = 0; i < seqs.size(); ++i) {
    if (loaded[i].empty()) continue;
    seqs_[seqs[i]].tokens = std::move(loaded[i]);
    seqs_[seqs[i]].disk_len = seqs_[seqs[i]].tokens.size();
    ++stats_->prefixes_loaded;
  }
}

void Scheduler::SaveDiskPrefixes() {
  std::optional<PrefixCache> cache = DiskCache();
  if (!cache || shared_.empty()) return;
  const size_t min_share = static_cast<size_t>(std::max(1, options_.min_shared_prefix));
  std::vector<const Tokens*> held;
  for (const SeqState& st : seqs_) {
    if (!st.pending_copy && !st.tokens.empty()) held.push_back(&st.tokens);
  }
  for (const Tokens& tokens : PrefixesWorthSaving(held, shared_, min_share, kSchedulerSpareSequences)) {
    if (std::filesystem::exists(cache->FileFor(tokens))) continue;
    for (size_t seq = 0; seq < seqs_.size(); ++seq) {
      SeqState& st = seqs_[seq];
      if (st.pending_copy || CommonPrefix(st.tokens, tokens) != tokens.size()) continue;
      if (st.tokens.size() > tokens.size() &&
          !llama_memory_seq_rm(mem_, static_cast<int>(seq), static_cast<llama_pos>(tokens.size()), -1)) {
        continue;
      }
      st.tokens.resize(tokens.size());
      if (cache->Save(ctx_, static_cast<int>(seq), tokens)) ++stats_->prefixes_saved;
      break;
    }
  }
}

}  // namespace

Response CompleteScheduled(LlamaEngine& engine, const Request& request, const SchedulerOptions& options) {
  // Cancelled before it started: the scheduler starts nothing, and that is the answer.
  Response response;
  response.finish = FinishReason::kCancelled;
  std::vector<Job> jobs(1);
  jobs[0].make = [&request] { return std::optional<Request>(request); };
  jobs[0].done = [&response](const Response& r) { response = r; };
  SchedulerStats stats;
  Scheduler(engine, engine.context(), 1, jobs, options, &stats).Run();
  return response;
}

void RunScheduled(LlamaEngine& engine, std::vector<Job>& jobs) {
  SchedulerStats stats;
  RunScheduled(engine, jobs, Defaults(), &stats);
}

void RunScheduled(LlamaEngine& engine, std::vector<Job>& jobs, const SchedulerOptions& options,
                  SchedulerStats* stats) {
  RunScheduledOn(engine, engine.context(), engine.params().parallel, jobs, options, stats);
}

void RunScheduledOn(LlamaEngine& engine, llama_context* ctx, int parallel, std::vector<Job>& jobs,
                    const SchedulerOptions& options, SchedulerStats* stats) {
  SchedulerStats local;
  SchedulerStats& st = stats ? *stats : local;
  Scheduler scheduler(engine, ctx, parallel, jobs, options, &st);
  scheduler.Run();
  if (st.requests > 0) {
    LogVerbose("scheduler: " + std::to_string(st.requests) + " requests, " + std::to_string(st.prompt_tokens) +
               " prompt tokens, " + std::to_string(st.prefill_tokens) + " decoded (" + std::to_string(st.shared_tokens) +
               " shared, " + std::to_string(st.disk_tokens) + " from disk), prefixes loaded " +
               std::to_string(st.prefixes_loaded) + " / saved " + std::to_string(st.prefixes_saved));
  }
}

void SetDefaultSchedulerOptions(const SchedulerOptions& options) { Defaults() = options; }
SchedulerOptions DefaultSchedulerOptions() { return Defaults(); }

}  // namespace scale::engine
