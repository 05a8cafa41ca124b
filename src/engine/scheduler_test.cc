// The scheduler on real llama.cpp: stories260K (a real trained tiny llama, raw format) and the
// generated tiny ChatML model. Slot refill, dependencies, prefix copies, cancellation, time
// limits, repeatability and the on-disk prefix cache. Memory planning tests are pure functions.
#include "engine/scheduler.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "engine/llama_engine.h"
#include "engine/prefix_cache.h"
#include "ggml-backend.h"
#include "llama.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/error.h"

namespace scale::engine {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<LlamaEngine> Stories(int parallel, int ctx_size = 256, int batch_size = 512) {
  EngineParams p;
  p.model_path = testing::StoriesModel();
  p.format = ChatFormat::kRaw;
  p.ctx_size = ctx_size;
  p.parallel = parallel;
  p.batch_size = batch_size;
  p.threads = 2;
  p.show_llama_logs = getenv("SCHED_LOGS") != nullptr;
  return LlamaEngine::Load(p);
}

std::unique_ptr<LlamaEngine> TinyChat(int parallel) {
  EngineParams p;
  p.model_path = testing::TinyChatModel();
  p.ctx_size = 256;
  p.parallel = parallel;
  p.threads = 2;
  return LlamaEngine::Load(p);
}

// A prefix long enough to be shared (> 32 tokens) and a distinct tail per request.
const char* kStory =
    "Once upon a time, there was a little girl named Lily. She loved to play outside in the park with her "
    "friends. One day, she saw a big red ball under a tree and she wanted to play with it. ";
const char* kTails[] = {"Lily", "The dog", "Her mom", "Tom", "The sun", "A bird", "The ball", "One day",
                        "The cat", "They", "The tree", "Ben", "She said", "The park", "Sue", "At night"};

Request Ask(const std::string& text, int max_tokens = 24) {
  Request r;
  r.messages = {{Role::kUser, text}};
  r.sampling.max_tokens = max_tokens;
  return r;
}

SchedulerOptions NoDisk() {
  SchedulerOptions o;
  o.disk_prefix_cache = false;
  return o;
}

// scheduler.h promises bit-identical answers across schedules (batched and alone, prefix copied or
// computed) only on the CPU backend: with an accelerator in ggml's registry llama.cpp may run big
// batches there, with other floating-point sums.
bool CpuOnly() {
  for (size_t i = 0; i < ggml_backend_dev_count(); ++i) {
    enum ggml_backend_dev_type type = ggml_backend_dev_type(ggml_backend_dev_get(i));
    if (type != GGML_BACKEND_DEVICE_TYPE_CPU) return false;
  }
  return true;
}

// One request answered by two schedules: what holds everywhere, and the text where promised.
void ExpectSameAnswer(const Response& a, const Response& b, const std::string& what) {
  EXPECT_EQ(a.prompt_tokens, b.prompt_tokens) << what;
  EXPECT_EQ(a.ok(), b.ok()) << what;
  if (CpuOnly()) {
    EXPECT_EQ(a.text, b.text) << what;
  }
}

// n independent jobs whose answers land in `out` (by index).
std::vector<Job> Independent(const std::vector<Request>& requests, std::vector<Response>* out) {
  out->assign(requests.size(), Response{});
  std::vector<Job> jobs;
  for (size_t i = 0; i < requests.size(); ++i) {
    Job job;
    job.make = [r = requests[i]] { return std::optional<Request>(r); };
    job.done = [out, i](const Response& resp) { (*out)[i] = resp; };
    jobs.push_back(std::move(job));
  }
  return jobs;
}

std::vector<Request> ShortPrompts(int n) {
  std::vector<Request> requests;
  for (int i = 0; i < n; ++i) requests.push_back(Ask(kTails[i % 16] + std::string(i >= 16 ? " went" : "")));
  return requests;
}

TEST(SchedulerTest, MoreJobsThanSlotsAllCompleteLikeOneAtATime) {
  auto single = Stories(1);
  auto batched = Stories(4);
  std::vector<Request> requests = ShortPrompts(12);
  std::vector<Response> got;
  std::vector<Job> jobs = Independent(requests, &got);
  SchedulerStats stats;
  RunScheduled(*batched, jobs, NoDisk(), &stats);
  EXPECT_EQ(stats.requests, 12);
  EXPECT_EQ(stats.max_active, 4);  // slots were refilled, never more than --parallel
  int same = 0;
  for (size_t i = 0; i < requests.size(); ++i) {
    ASSERT_TRUE(got[i].ok()) << i << ": " << got[i].error;
    EXPECT_GT(got[i].completion_tokens, 0);
    Response alone = single->Complete(requests[i]);
    EXPECT_TRUE(alone.ok()) << i << ": " << alone.error;
    EXPECT_EQ(got[i].prompt_tokens, alone.prompt_tokens);
    same += got[i].text == alone.text;
  }
  // stories260K answers are bit-identical batched and alone on the CPU backend (scheduler.h).
  if (CpuOnly()) {
    EXPECT_EQ(same, 12);
  }
  // Fewer decode calls than tokens: sequences really shared batches.
  EXPECT_LT(stats.decode_calls, stats.generated_tokens);
  // Steps with all four slots generating were timed, and only those.
  EXPECT_GT(stats.full_steps, 0);
  EXPECT_EQ(stats.full_step_tokens, 4 * stats.full_steps);
  EXPECT_LT(stats.full_step_tokens, stats.generated_tokens);
  // Sub-intervals of the run on one monotonic clock: holds however loaded the machine is.
  EXPECT_GT(stats.full_step_seconds, 0.0);
  EXPECT_LT(stats.full_step_seconds, stats.seconds);
  EXPECT_LE(stats.full_step_decode_seconds, stats.full_step_seconds);
}

TEST(SchedulerTest, MakeSeesAnswersOfItsDependencies) {
  auto engine = Stories(3);
  std::vector<std::string> answers(3);
  std::vector<int> order;
  std::vector<Job> jobs(3);
  for (int i = 0; i < 2; ++i) {
    jobs[i].make = [i] { return std::optional<Request>(Ask(kTails[i], 8)); };
    jobs[i].done = [&, i](const Response& r) {
      answers[i] = r.text;
      order.push_back(i);
    };
  }
  std::string seen;
  jobs[2].deps = {0, 1};
  jobs[2].make = [&] {
    seen = answers[0] + "|" + answers[1];
    return std::optional<Request>(Ask(answers[0] + answers[1], 8));
  };
  jobs[2].done = [&](const Response& r) {
    answers[2] = r.text;
    order.push_back(2);
  };
  RunScheduled(*engine, jobs, NoDisk(), nullptr);
  EXPECT_FALSE(answers[0].empty());
  EXPECT_EQ(seen, answers[0] + "|" + answers[1]);
  ASSERT_EQ(order.size(), 3u);
  EXPECT_EQ(order.back(), 2);
  EXPECT_FALSE(answers[2].empty());
}

TEST(SchedulerTest, SkippedJobsStillReleaseDependantsAndCyclesAreRejected) {
  auto engine = Stories(2);
  std::vector<Job> jobs(2);
  bool ran = false;
  jobs[0].make = [] { return std::optional<Request>(); };
  jobs[1].deps = {0};
  jobs[1].make = [] { return std::optional<Request>(Ask("Tom", 4)); };
  jobs[1].done = [&](const Response& r) { ran = r.ok(); };
  RunScheduled(*engine, jobs, NoDisk(), nullptr);
  EXPECT_TRUE(ran);

  bool made = false;
  std::vector<Job> cycle(2);
  cycle[0].deps = {1};
  cycle[1].deps = {0};
  cycle[0].make = cycle[1].make = [&] {
    made = true;
    return std::optional<Request>(Ask("x"));
  };
  EXPECT_THROW(RunScheduled(*engine, cycle, NoDisk(), nullptr), Error);
  EXPECT_FALSE(made);  // rejected before anything ran
}

TEST(SchedulerTest, PrefixCopiedFromAnotherSequenceGivesTheSameAnswer) {
  auto engine = Stories(2);
  std::vector<Request> requests = {Ask(std::string(kStory) + "Lily"), Ask(std::string(kStory) + "The dog")};
  std::vector<Response> got;
  std::vector<Job> jobs = Independent(requests, &got);
  SchedulerStats stats;
  RunScheduled(*engine, jobs, NoDisk(), &stats);
  ASSERT_TRUE(got[1].ok()) << got[1].error;
  EXPECT_EQ(got[0].cached_prompt_tokens, 0);
  EXPECT_GE(got[1].cached_prompt_tokens, 32);  // waited for job 0's prompt, then copied it
  EXPECT_EQ(stats.prefill_tokens, stats.prompt_tokens - got[1].cached_prompt_tokens);
  // The whole prompt evaluated from scratch gives the same answer.
  Response whole = Stories(1)->Complete(requests[1]);
  EXPECT_EQ(whole.cached_prompt_tokens, 0);
  ExpectSameAnswer(got[1], whole, "copied prefix vs whole prompt");
}

TEST(SchedulerTest, SharedChatPrefixOnTheChatModel) {
  auto engine = TinyChat(4);
  std::vector<Request> requests;
  for (int i = 0; i < 6; ++i) {
    Request r = Ask(kTails[i], 8);
    r.messages.insert(r.messages.begin(), Message{Role::kSystem, kStory});
    requests.push_back(r);
  }
  std::vector<Response> got;
  std::vector<Job> jobs = Independent(requests, &got);
  SchedulerStats stats;
  RunScheduled(*engine, jobs, NoDisk(), &stats);
  auto single = TinyChat(1);
  for (size_t i = 0; i < requests.size(); ++i) {
    ASSERT_TRUE(got[i].ok()) << got[i].error;
    if (i > 0) {
      EXPECT_GE(got[i].cached_prompt_tokens, 32) << i;
    }
    ExpectSameAnswer(got[i], single->Complete(requests[i]), "chat request " + std::to_string(i));
  }
  EXPECT_LT(stats.prefill_tokens, stats.prompt_tokens / 2);
}

TEST(SchedulerTest, SameGraphGivesTheSameAnswersRunAfterRun) {
  auto engine = Stories(8);
  std::vector<Request> requests = ShortPrompts(20);
  requests[3].sampling.temperature = 0.8f;  // sampled ones too: each request seeds its own sampler
  requests[3].sampling.seed = 7;
  requests[9].sampling.temperature = 1.0f;
  std::vector<Response> first, second, third;
  std::vector<Job> jobs1 = Independent(requests, &first);
  std::vector<Job> jobs2 = Independent(requests, &second);
  RunScheduled(*engine, jobs1, NoDisk(), nullptr);
  RunScheduled(*engine, jobs2, NoDisk(), nullptr);
  std::vector<Job> jobs3 = Independent(requests, &third);
  RunScheduled(*Stories(8), jobs3, NoDisk(), nullptr);
  for (size_t i = 0; i < requests.size(); ++i) {
    ASSERT_TRUE(first[i].ok()) << first[i].error;
    EXPECT_EQ(first[i].text, second[i].text) << i;
    EXPECT_EQ(first[i].text, third[i].text) << i;
  }
  // A sampled request's answer is its own: the same as it gets alone.
  ExpectSameAnswer(first[3], Stories(1)->Complete(requests[3]), "sampled request alone");
}

TEST(SchedulerTest, StopStringsCutExactlyLikeComplete) {
  auto engine = Stories(2);
  Response plain = engine->Complete(Ask("Lily", 40));
  ASSERT_GT(plain.text.size(), 12u);
  std::string stop = plain.text.substr(8, 3);
  Request with_stop = Ask("Lily", 40);
  with_stop.stop = {stop};
  std::string streamed;
  with_stop.on_piece = [&](std::string_view piece) {
    streamed += piece;
    return true;
  };
  std::vector<Response> got;
  std::vector<Job> jobs = Independent({with_stop, Ask("Tom", 40)}, &got);
  RunScheduled(*engine, jobs, NoDisk(), nullptr);
  EXPECT_EQ(got[0].finish, FinishReason::kStop);
  EXPECT_EQ(got[0].text, plain.text.substr(0, plain.text.find(stop)));
  EXPECT_EQ(streamed, got[0].text);
  Response alone = Stories(1)->Complete(with_stop);
  EXPECT_EQ(alone.finish, FinishReason::kStop);
  ExpectSameAnswer(got[0], alone, "stop string alone");
  if (CpuOnly()) {
    EXPECT_EQ(got[0].completion_tokens, alone.completion_tokens);
  }
}

TEST(SchedulerTest, ContextGuardAndTimeLimitAffectOnlyTheirRequest) {
  auto engine = Stories(2, 64);
  std::vector<Request> requests = {Ask(kStory, 40), Ask("Tom", 8), Ask("Lily", 30)};
  requests[2].time_limit_s = 0.5;
  std::vector<Response> got;
  std::vector<Job> jobs = Independent(requests, &got);
  SchedulerOptions options = NoDisk();
  double now = 0;
  options.clock = [&now] { return now += 1; };  // a second passes at every look: the limit hits at once
  RunScheduled(*engine, jobs, options, nullptr);
  EXPECT_EQ(got[0].finish, FinishReason::kContextFull);
  EXPECT_EQ(got[0].completion_tokens, 0);
  EXPECT_NE(got[0].error.find("exceeds the context"), std::string::npos) << got[0].error;
  EXPECT_TRUE(got[1].ok()) << got[1].error;
  EXPECT_EQ(got[2].finish, FinishReason::kTimeout);
  EXPECT_LE(got[2].completion_tokens, 1);
}

TEST(SchedulerTest, CancelFinishesInFlightAndStartsNothingNew) {
  auto engine = Stories(2);
  std::vector<Request> requests = ShortPrompts(8);
  int pieces = 0;
  requests[0].sampling.max_tokens = 100;
  requests[0].on_piece = [&](std::string_view) {
    if (++pieces == 3) engine->Cancel();  // as Ctrl-C would, mid-generation
    return true;
  };
  int made = 0;
  std::vector<Response> got;
  std::vector<Job> jobs = Independent(requests, &got);
  std::vector<int> done(8, 0);
  for (size_t i = 0; i < jobs.size(); ++i) {
    auto make = jobs[i].make;
    jobs[i].make = [&made, make] {
      ++made;
      return make();
    };
    jobs[i].done = [&got, &done, i](const Response& r) {
      got[i] = r;
      done[i] = 1;
    };
  }
  RunScheduled(*engine, jobs, NoDisk(), nullptr);
  EXPECT_EQ(got[0].finish, FinishReason::kCancelled);
  EXPECT_FALSE(got[0].text.empty());
  EXPECT_EQ(made, 2);  // only the two in flight were ever started
  EXPECT_EQ(got[1].finish, FinishReason::kCancelled);
  for (int i = 2; i < 8; ++i) EXPECT_EQ(done[i], 0) << i;
}

TEST(SchedulerTest, ListenerStopCancelsOnlyItsRequest) {
  auto engine = Stories(2);
  std::vector<Request> requests = ShortPrompts(3);
  requests[0].on_piece = [](std::string_view) { return false; };
  std::vector<Response> got;
  std::vector<Job> jobs = Independent(requests, &got);
  RunScheduled(*engine, jobs, NoDisk(), nullptr);
  EXPECT_EQ(got[0].finish, FinishReason::kCancelled);
  EXPECT_EQ(got[0].completion_tokens, 1);
  EXPECT_TRUE(got[1].ok()) << FinishReasonName(got[1].finish) << " " << got[1].error;
  EXPECT_TRUE(got[2].ok()) << FinishReasonName(got[2].finish) << " " << got[2].error;
}

TEST(SchedulerTest, DiskPrefixCacheSkipsPrefillNextRunAndSurvivesCorruptFiles) {
  testing::TempDir dir("prefix");
  SchedulerOptions options;
  options.prefix_cache_dir = dir.path();
  std::vector<Request> requests;
  for (int i = 0; i < 4; ++i) requests.push_back(Ask(std::string(kStory) + kTails[i], 12));
  auto run = [&](SchedulerStats* stats) {
    std::vector<Response> got;
    std::vector<Job> jobs = Independent(requests, &got);
    RunScheduled(*Stories(2), jobs, options, stats);
    return got;
  };
  SchedulerStats s1, s2, s3, s4;
  std::vector<Response> r1 = run(&s1);
  EXPECT_EQ(s1.prefixes_loaded, 0);
  EXPECT_EQ(s1.prefixes_saved, 1);
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir.path())) {
    if (e.path().extension() == ".kv") files.push_back(e.path());
  }
  ASSERT_EQ(files.size(), 1u);

  std::vector<Response> r2 = run(&s2);
  EXPECT_EQ(s2.prefixes_loaded, s1.prefixes_saved);  // into the spare sequences
  EXPECT_GT(s2.disk_tokens, 0);
  EXPECT_LT(s2.prefill_tokens, s1.prefill_tokens);  // the first request's shared part came from disk
  EXPECT_GT(r2[0].cached_prompt_tokens, 0);
  for (size_t i = 0; i < requests.size(); ++i) EXPECT_EQ(r1[i].text, r2[i].text) << i;

  // Flip one byte in the middle of the stored state: checksum mismatch, ignored, rewritten.
  std::string bytes;
  {
    std::ifstream in(files[0], std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  bytes[bytes.size() / 2] ^= 0x5a;
  std::ofstream(files[0], std::ios::binary | std::ios::trunc) << bytes;
  std::vector<Response> r3 = run(&s3);
  EXPECT_EQ(s3.prefixes_loaded, 0);
  EXPECT_EQ(s3.prefixes_saved, 1);
  for (size_t i = 0; i < requests.size(); ++i) EXPECT_EQ(r1[i].text, r3[i].text) << i;

  // Truncated: same story. And the rewritten file loads again afterwards.
  fs::resize_file(files[0], 20);
  run(&s4);
  EXPECT_EQ(s4.prefixes_loaded, 0);
  SchedulerStats s5;
  run(&s5);
  EXPECT_EQ(s5.prefixes_loaded, 1);
}

// Like `scale comment` over several files: one system prompt for all, a per-file part shared by
// that file's requests. The per-file prefixes that saved most belong to files finished long ago, so
// the prefix worth writing is the common one, still held by the last sequences.
TEST(SchedulerTest, DiskPrefixCacheKeepsThePrefixEveryGroupShares) {
  testing::TempDir dir("prefix-groups");
  SchedulerOptions options;
  options.prefix_cache_dir = dir.path();
  const char* files[] = {
      "Mia had a small brown puppy called Max who liked to run after sticks and bark at the birds in the garden. ",
      "Under the old bridge lived a grumpy troll who counted shiny stones every night before he went to sleep. ",
      "Sam built a tall tower of blocks in his room, and his baby sister knocked it down with a happy laugh. "};
  const int per_file[] = {4, 4, 2};
  std::vector<Request> requests;
  int tail = 0;
  for (int f = 0; f < 3; ++f) {
    for (int k = 0; k < per_file[f]; ++k) requests.push_back(Ask(std::string(kStory) + files[f] + kTails[tail++], 8));
  }
  auto run = [&](SchedulerStats* stats) {
    std::vector<Response> got;
    std::vector<Job> jobs = Independent(requests, &got);
    RunScheduled(*Stories(2, 512), jobs, options, stats);
    return got;
  };
  SchedulerStats s1, s2;
  std::vector<Response> r1 = run(&s1);
  EXPECT_GE(s1.prefixes_saved, 1);
  std::vector<Response> r2 = run(&s2);
  EXPECT_GE(s2.prefixes_loaded, 1);
  // The very first request (first file, not among the last ones) now starts from disk.
  EXPECT_GE(r2[0].cached_prompt_tokens, 32);
  EXPECT_GT(s2.disk_tokens, 0);
  EXPECT_LT(s2.prefill_tokens, s1.prefill_tokens);
  for (size_t i = 0; i < requests.size(); ++i) EXPECT_EQ(r1[i].text, r2[i].text) << i;
}

TEST(SchedulerTest, PrefixFilesOfAnotherModelAreNotLoaded) {
  testing::TempDir dir("prefix-model");
  auto engine = Stories(1);
  // As the scheduler opens it: keyed by the fingerprint (which holds the model file's content hash).
  PrefixCache ours(dir.path(), engine->Fingerprint());
  PrefixCache other(dir.path(), engine->Fingerprint() + "|lora:x");
  EXPECT_NE(ours.model_dir(), other.model_dir());
  // A file of ours copied under another model's name must not load there either.
  std::vector<Response> got;
  std::vector<Request> requests = {Ask(std::string(kStory) + "Tom", 4), Ask(std::string(kStory) + "Sue", 4)};
  std::vector<Job> jobs = Independent(requests, &got);
  SchedulerOptions options;
  options.prefix_cache_dir = dir.path();
  SchedulerStats stats;
  RunScheduled(*engine, jobs, options, &stats);
  ASSERT_EQ(stats.prefixes_saved, 1);
  fs::create_directories(other.model_dir());
  for (const auto& e : fs::directory_iterator(ours.model_dir())) {
    fs::copy_file(e.path(), other.model_dir() / e.path().filename());
  }
  EXPECT_EQ(other.Load(engine->context(), {0})[0].size(), 0u);
  EXPECT_GT(ours.Load(engine->context(), {0})[0].size(), 32u);
}

// The --kv-unified layout: one unified KV cache (prefix copies share cells) plus spare sequences
// for retained / disk-loaded prefixes. (The default, one stream per sequence, is what every other
// test here runs on through LlamaEngine::Load.)
class UnifiedContext {
 public:
  UnifiedContext(LlamaEngine& engine, int ctx_size, int parallel) {
    llama_context_params cp = llama_context_default_params();
    ConfigureSchedulerContext(&cp, ctx_size, parallel, /*unified=*/true);
    cp.n_batch = cp.n_ubatch = 512;
    cp.n_threads = cp.n_threads_batch = 2;
    ctx_ = llama_init_from_model(engine.model(), cp);
  }
  ~UnifiedContext() { llama_free(ctx_); }
  llama_context* get() const { return ctx_; }

 private:
  llama_context* ctx_;
};

TEST(SchedulerTest, UnifiedCacheSharesPrefixesAndLoadsDiskPrefixesIntoSpares) {
  auto engine = Stories(1);
  UnifiedContext unified(*engine, 256, 4);
  ASSERT_NE(unified.get(), nullptr);
  EXPECT_EQ(llama_n_seq_max(unified.get()), 4u + kSchedulerSpareSequences);
  testing::TempDir dir("prefix-unified");
  SchedulerOptions options;
  options.prefix_cache_dir = dir.path();
  std::vector<Request> requests;
  for (int i = 0; i < 8; ++i) requests.push_back(Ask(std::string(kStory) + kTails[i], 16));
  std::vector<Response> first, second;
  std::vector<Job> jobs1 = Independent(requests, &first);
  SchedulerStats s1, s2;
  RunScheduledOn(*engine, unified.get(), 4, jobs1, options, &s1);
  EXPECT_EQ(s1.max_active, 4);
  EXPECT_GE(s1.prefixes_saved, 1);  // kStory, and kStory + "The" (six tails start with it)
  EXPECT_LT(s1.prefill_tokens, s1.prompt_tokens / 2);
  std::vector<Job> jobs2 = Independent(requests, &second);
  RunScheduledOn(*engine, unified.get(), 4, jobs2, options, &s2);
  EXPECT_EQ(s2.prefixes_loaded, s1.prefixes_saved);  // into the spare sequences
  EXPECT_GT(s2.disk_tokens, 0);
  EXPECT_LT(s2.prefill_tokens, s1.prefill_tokens);
  int same = 0;
  for (size_t i = 0; i < requests.size(); ++i) {
    ASSERT_TRUE(first[i].ok()) << first[i].error;
    EXPECT_EQ(first[i].text, second[i].text) << i;
    Response alone = engine->Complete(requests[i]);
    EXPECT_EQ(alone.prompt_tokens, first[i].prompt_tokens) << i;
    same += first[i].text == alone.text;
  }
  if (CpuOnly()) {
    EXPECT_EQ(same, 8);  // identical to one-at-a-time on the CPU backend (scheduler.h)
  }
}

TEST(SchedulerMemoryTest, PlanLowersParallelThenContextToFit) {
  GgufInfo qwen;  // Qwen2.5-0.5B shape, Q4_0-sized file
  qwen.file_size = 350ull << 20;
  qwen.n_layer = 24;
  qwen.n_head_kv = 2;
  qwen.head_dim_k = qwen.head_dim_v = 64;
  qwen.n_embd = 896;
  qwen.n_ff = 4864;
  qwen.vocab_size = 151936;  // the compute buffer's logits: about 320 MiB at 512 tokens a micro-batch
  qwen.n_ctx_train = 32768;
  MemoryPlan roomy = PlanMemory(qwen, 4ull << 30, 0, 0);
  EXPECT_EQ(roomy.ctx_size, 4096);
  EXPECT_EQ(roomy.parallel, 16);
  EXPECT_LE(roomy.total(), 4ull << 30);
  MemoryPlan tight = PlanMemory(qwen, 1100ull << 20, 4096, 10);
  EXPECT_LT(tight.parallel, 10);
  EXPECT_GE(tight.parallel, 1);
  EXPECT_LE(tight.total(), 1100ull << 20);
  MemoryPlan tiny = PlanMemory(qwen, 900ull << 20, 4096, 4);
  EXPECT_EQ(tiny.parallel, 1);
  EXPECT_LT(tiny.ctx_size, 4096);
  EXPECT_LE(tiny.total(), 900ull << 20);
  EXPECT_THROW(PlanMemory(qwen, 800ull << 20, 0, 0), Error);  // below weights + compute + overhead
  // A q8_0 cache takes 34/64 of the bytes, so the same budget runs more sequences.
  MemoryPlan q8 = PlanMemory(qwen, 1100ull << 20, 4096, 10, KvCacheType::kQ8_0);
  EXPECT_GT(q8.parallel, tight.parallel);
  EXPECT_LE(q8.total(), 1100ull << 20);
  EXPECT_EQ(PlanMemory(qwen, 4ull << 30, 4096, 4, KvCacheType::kQ8_0).kv_bytes, PlanMemory(qwen, 4ull << 30, 4096, 4).kv_bytes / 64 * 34);
  EXPECT_FALSE(ParseKvCacheType("q3_k").has_value()) << "unknown types stop at the settings edge";
}

}  // namespace
}  // namespace scale::engine
