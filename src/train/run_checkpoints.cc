#include "train/run_checkpoints.h"

#include <algorithm>
#include <map>
#include <regex>

#include <nlohmann/json.hpp>

#include "train/run_log.h"
#include "util/error.h"
#include "util/fs.h"

namespace scale::train {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kMaxAdapterBytes = 16ull << 30;

std::string BytesOrEmpty(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(p, ec))) return {};
  return ReadFile(p, kMaxAdapterBytes);
}

}  // namespace

std::vector<RunCheckpoint> ListRunCheckpoints(const fs::path& run) {
  std::error_code ec;
  if (!fs::is_directory(run, ec)) throw Error(kExitInput, run.string() + ": not a training run folder (no such folder)");
  if (!fs::is_regular_file(run / "log.jsonl", ec)) {
    throw Error(kExitInput, run.string() + ": not a training run folder (no log.jsonl; scale train -o writes one)");
  }
  // The last evaluation of each step wins: a step replayed after a rollback was evaluated again.
  std::map<int, double> evals;
  for (const nlohmann::json& j : ReadLogLines(run / "log.jsonl")) {
    if (j.contains("event") || !j.contains("step") || !j.contains("eval_loss")) continue;
    if (j["step"].is_number_integer() && j["eval_loss"].is_number()) evals[j["step"].get<int>()] = j["eval_loss"].get<double>();
  }
  const std::string current = BytesOrEmpty(run / "adapter.gguf");
  static const std::regex re("checkpoint-([0-9]{6,9})\\.gguf");
  std::vector<RunCheckpoint> out;
  for (const fs::directory_entry& e : fs::directory_iterator(run, ec)) {
    std::smatch m;
    const std::string name = e.path().filename().string();
    if (!std::regex_match(name, m, re) || e.is_symlink(ec) || !e.is_regular_file(ec)) continue;
    RunCheckpoint c;
    c.step = std::stoi(m[1].str());
    c.file = name;
    if (evals.count(c.step)) c.eval_loss = evals[c.step];
    c.current = !current.empty() && BytesOrEmpty(e.path()) == current;
    out.push_back(c);
  }
  std::sort(out.begin(), out.end(), [](const RunCheckpoint& a, const RunCheckpoint& b) { return a.step < b.step; });
  const bool matched = std::any_of(out.begin(), out.end(), [](const RunCheckpoint& c) { return c.current; });
  if (!current.empty() && !matched) {
    RunCheckpoint c;
    c.file = "adapter.gguf";
    c.current = true;
    c.only_adapter = true;
    if (fs::is_regular_file(run / "run.json", ec)) {
      const nlohmann::json r = nlohmann::json::parse(ReadFile(run / "run.json"), nullptr, false);
      if (r.is_object() && r.contains("steps") && r["steps"].is_number_integer()) c.step = r["steps"].get<int>();
    }
    if (c.step >= 0 && evals.count(c.step)) c.eval_loss = evals[c.step];
    out.push_back(c);
  }
  return out;
}

}  // namespace scale::train
