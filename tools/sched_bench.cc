// scale-sched-bench: the scheduler's throughput at several --parallel values on one model, with
// and without a shared prompt prefix and the disk prefix cache (engine/scheduler_bench.h). Used by
// bench/sched_vs_batched.sh next to llama-batched-bench. Prints one JSON object per line.
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/llama_engine.h"
#include "engine/scheduler_bench.h"
#include "util/error.h"
#include "util/peak_rss.h"

int main(int argc, char** argv) {
  std::string model;
  std::vector<int> parallel = {1, 4, 8, 16};
  int npp = 256, ntg = 64, threads = 2, shared = 0, jobs = 0, ctx = 0;
  std::string prefix_dir;
  bool no_share = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "-m") model = next();
    else if (a == "-t") threads = std::atoi(next().c_str());
    else if (a == "--npp") npp = std::atoi(next().c_str());
    else if (a == "--ntg") ntg = std::atoi(next().c_str());
    else if (a == "--shared") shared = std::atoi(next().c_str());
    else if (a == "--jobs") jobs = std::atoi(next().c_str());
    else if (a == "--ctx") ctx = std::atoi(next().c_str());
    else if (a == "--prefix-dir") prefix_dir = next();
    else if (a == "--no-share") no_share = true;
    else if (a == "--parallel") {
      parallel.clear();
      std::stringstream list(next());
      for (std::string n; std::getline(list, n, ',');) parallel.push_back(std::atoi(n.c_str()));
    } else {
      std::fprintf(stderr, "usage: %s -m MODEL [-t 2] [--npp 256] [--ntg 64] [--parallel 1,4,8,16] [--jobs N]"
                           " [--shared TOKENS] [--no-share] [--prefix-dir DIR] [--ctx TOKENS]\n", argv[0]);
      return 2;
    }
  }
  try {
    std::vector<std::string> reference;  // answers at the first N, to count identical ones later
    for (int n : parallel) {
      scale::engine::EngineParams p;
      p.model_path = model;
      p.parallel = n;
      p.threads = threads;
      p.format = scale::engine::ChatFormat::kRaw;
      p.ctx_size = ctx > 0 ? ctx : npp + ntg + 64;
      auto engine = scale::engine::LlamaEngine::Load(p);
      scale::engine::SchedulerBenchConfig config;
      config.jobs = jobs > 0 ? jobs : n;
      config.npp = npp;
      config.ntg = ntg;
      config.shared = shared;
      config.options.disk_prefix_cache = !prefix_dir.empty();
      config.options.prefix_cache_dir = prefix_dir;
      if (no_share) config.options.min_shared_prefix = 0;
      scale::engine::SchedulerBenchResult r = scale::engine::BenchScheduler(*engine, config);
      nlohmann::ordered_json j;
      j["parallel"] = n;
      j["jobs"] = r.jobs;
      j["npp"] = npp;
      j["ntg"] = ntg;
      j["shared"] = shared;
      j["sharing"] = !no_share;
      j["prompt_tokens"] = r.stats.prompt_tokens;
      j["prefill_tokens"] = r.stats.prefill_tokens;
      j["disk_tokens"] = r.stats.disk_tokens;
      j["generated_tokens"] = r.stats.generated_tokens;
      j["decode_calls"] = r.stats.decode_calls;
      j["seconds"] = r.seconds;
      j["mean_ttft_s"] = r.mean_ttft_s;
      j["prefill_tps"] = r.prefill_tps();
      j["gen_tps"] = r.gen_tps();
      j["total_tps"] = r.total_tps();
      if (r.stats.full_step_seconds > 0) {  // steps with every slot generating: llama-batched-bench's tg
        j["full_step_tps"] = double(r.stats.full_step_tokens) / r.stats.full_step_seconds;
        j["full_step_decode_share"] = r.stats.full_step_decode_seconds / r.stats.full_step_seconds;
      }
      j["peak_rss_mib"] = scale::PeakRssBytes() >> 20;
      if (reference.empty()) reference = r.texts;
      int same = 0;
      for (size_t k = 0; k < r.texts.size() && k < reference.size(); ++k) same += r.texts[k] == reference[k];
      j["same_as_first_n"] = same;
      std::printf("%s\n", j.dump().c_str());
      std::fflush(stdout);
    }
  } catch (const scale::Error& e) {
    std::fprintf(stderr, "scale-sched-bench: %s\n", e.what());
    return e.exit_code();
  }
  return 0;
}
