#include "bench/batched_bench.h"

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "bench/process.h"

namespace scale::bench {

std::vector<std::string> BatchedBenchCommand(const BatchedBenchArgs& a) {
  int max_n = a.parallel.empty() ? 1 : *std::max_element(a.parallel.begin(), a.parallel.end());
  // llama-batched-bench's log thread sometimes loses the very last line at exit, so a cheap N=1 run
  // is appended as a sentinel (ParseBatchedBench keeps the first line of each N).
  std::string npl;
  for (int n : a.parallel) npl += (npl.empty() ? "" : ",") + std::to_string(n);
  npl += ",1";
  return {a.binary, "-m", a.model, "-c", std::to_string(max_n * (a.npp + a.ntg)), "-b", std::to_string(a.batch_size),
          "-ub", std::to_string(a.batch_size), "-npp", std::to_string(a.npp), "-ntg", std::to_string(a.ntg), "-npl", npl,
          "-t", std::to_string(a.threads), "-tb", std::to_string(a.threads), "-ngl", std::to_string(a.gpu_layers),
          "--output-format", "jsonl"};
}

std::map<int, ReferenceSpeed> ParseBatchedBench(const std::string& output) {
  std::map<int, ReferenceSpeed> out;
  size_t pos = 0;
  while (pos < output.size()) {
    size_t nl = output.find('\n', pos);
    if (nl == std::string::npos) nl = output.size();
    std::string line = output.substr(pos, nl - pos);
    pos = nl + 1;
    size_t brace = line.find('{');
    if (brace == std::string::npos) continue;
    nlohmann::json j = nlohmann::json::parse(line.substr(brace), nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || !j.contains("pl") || !j.contains("speed_pp") || !j.contains("speed_tg")) continue;
    ReferenceSpeed s;
    s.parallel = j["pl"].get<int>();
    s.pp_tps = j["speed_pp"].get<double>();
    s.tg_tps = j["speed_tg"].get<double>();
    out.emplace(s.parallel, s);  // the first measurement of an N wins
  }
  return out;
}

std::map<int, ReferenceSpeed> RunBatchedBench(const BatchedBenchArgs& args, std::string* problem) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(args.binary, ec)) {
    if (problem) *problem = args.binary + " not found";
    return {};
  }
  std::map<int, ReferenceSpeed> speeds;
  BatchedBenchArgs todo = args;
  // Its log thread can drop the last lines at exit (more often on a busy machine): the N that are
  // missing are run again, twice at most.
  for (int attempt = 0; attempt < 3 && !todo.parallel.empty(); ++attempt) {
    ProcessResult r = RunProcess(BatchedBenchCommand(todo));
    for (const auto& [n, speed] : ParseBatchedBench(r.output)) {
      if (std::find(todo.parallel.begin(), todo.parallel.end(), n) != todo.parallel.end()) speeds.emplace(n, speed);
    }
    if (r.exit_code != 0) {
      if (problem) {
        std::string tail = r.output.size() > 200 ? r.output.substr(r.output.size() - 200) : r.output;
        std::replace(tail.begin(), tail.end(), '\n', ' ');
        *problem = "llama-batched-bench exited with " + std::to_string(r.exit_code) + ": " + tail;
      }
      break;
    }
    std::vector<int> missing;
    for (int n : todo.parallel) {
      if (!speeds.count(n)) missing.push_back(n);
    }
    todo.parallel = missing;
  }
  if (problem && problem->empty() && !todo.parallel.empty()) {
    *problem = "llama-batched-bench printed no result for N=" + std::to_string(todo.parallel.front());
  }
  return speeds;
}

std::string DefaultBatchedBenchBinary() {
#ifdef SCALE_LLAMA_BIN_DIR
  return std::string(SCALE_LLAMA_BIN_DIR) + "/llama-batched-bench";
#else
  return "llama-batched-bench";
#endif
}

}  // namespace scale::bench
