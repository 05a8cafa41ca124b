#include "bench/train_bench.h"

#include <cstdio>
#include <filesystem>
#include <random>
#include <regex>

#include "bench/process.h"
#include "engine/llama_engine.h"
#include "testmodel/gguf_writer.h"
#include "testmodel/model_spec.h"
#include "util/error.h"
#include "util/format.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/size.h"

namespace scale::bench {
namespace {

namespace fs = std::filesystem;

std::string ModelFor(const TrainBenchOptions& o, const std::string& type) {
  const std::string depth = o.layers > 0 ? "-" + std::to_string(o.layers) + "layers" : "";
  const fs::path path = fs::path(o.work_dir) / (o.preset + depth + "-shape-" + type + "-random.gguf");
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    LogInfo("bench --train: writing " + path.filename().string() + " (once)");
    fs::create_directories(path.parent_path(), ec);
    testmodel::ModelSpec spec = testmodel::PresetSpec(o.preset, testmodel::ParseWeightType(type));
    if (o.layers > 0) spec.n_layer = o.layers;
    testmodel::WriteRandomModel(spec, path.string());
  }
  return path.string();
}

// Plain words in a seeded order: both trainers read exactly this text.
std::string SomeText(size_t words) {
  static const char* kWords[] = {"the", "parser", "returns", "a", "list", "of", "tokens", "for", "each", "line",
                                 "and", "raises", "an", "error", "when", "input", "is", "empty", "value", "file"};
  std::mt19937_64 rng(42);
  std::string text;
  for (size_t i = 0; i < words; ++i) {
    if (i) text += (i % 13 == 0) ? ".\n" : " ";
    text += kWords[rng() % (sizeof(kWords) / sizeof(kWords[0]))];
  }
  return text + ".\n";
}

// llama-finetune trains on windows of ctx tokens taken every ctx/2 tokens of the text
// (common_opt_dataset_init); the same windows, as text, become scale train's rows (all answer,
// so both sides compute the loss over every token).
struct Data {
  std::string text;
  std::string jsonl;
};

Data MakeData(const TrainBenchOptions& o, const std::string& model) {
  engine::EngineParams ep;
  ep.model_path = model;
  ep.ctx_size = 64;
  ep.threads = 1;
  auto engine = engine::LlamaEngine::Load(ep);
  const size_t stride = static_cast<size_t>(o.ctx / 2);
  // common_opt_dataset_init makes (n - ctx - 1) / stride windows of n tokens; half a stride of
  // slack keeps the count at `windows` if llama-finetune's own tokenization differs by a few tokens.
  const size_t need = static_cast<size_t>(o.ctx) + 1 + static_cast<size_t>(o.windows) * stride + stride / 2;
  Data d;
  size_t words = need;
  std::vector<llama_token> tokens;
  do {
    d.text = SomeText(words);
    tokens = engine->Tokenize(d.text, true, false);
    words += words / 8 + 8;
  } while (tokens.size() < need);
  tokens.resize(need);
  d.text.clear();
  for (llama_token t : tokens) d.text += engine->TokenPiece(t);
  for (int w = 0; w < o.windows; ++w) {
    std::string piece;
    for (size_t i = 0; i < static_cast<size_t>(o.ctx); ++i) piece += engine->TokenPiece(tokens[w * stride + i]);
    d.jsonl += nlohmann::json({{"prompt", ""}, {"answer", piece}, {"split", "train"}}).dump() + "\n";
  }
  return d;
}

TrainBenchRow RunScaleTrain(const TrainBenchOptions& o, const std::string& type, int rank, const std::string& data,
                            bool keep_quantized) {
  TrainBenchRow row;
  row.trainer = keep_quantized ? "scale train (LoRA, --keep-quantized)" : "scale train (LoRA)";
  row.keep_quantized = keep_quantized;
  row.base_type = type;
  row.rank = rank;
  const std::string model = ModelFor(o, type);
  const fs::path run = fs::path(o.work_dir) / ("run-" + type + "-r" + std::to_string(rank) + (keep_quantized ? "-kq" : ""));
  std::error_code ec;
  fs::remove_all(run, ec);
  std::vector<std::string> argv = {o.scale_binary, "train", "-m", model, "--data", data, "-o", run.string(), "--steps",
                                std::to_string(o.windows / o.batch), "--batch", std::to_string(o.batch), "--rank", std::to_string(rank), "--ctx",
                                std::to_string(o.ctx + 64), "--modules", "all", "-t", std::to_string(o.threads), "--no-eval", "-q"};
  if (keep_quantized) argv.push_back("--keep-quantized");
  ProcessResult p = RunProcess(argv);
  if (p.exit_code != 0) {
    row.problem = "scale train failed: " + p.output.substr(0, 300);
    return row;
  }
  const auto result = nlohmann::json::parse(ReadFile(run / "run.json"));
  row.tokens = result.value("tokens", int64_t{0});
  row.seconds = p.seconds;
  row.peak_rss = p.peak_rss;
  return row;
}

TrainBenchRow RunFinetune(const TrainBenchOptions& o, const std::string& text_file) {
  TrainBenchRow row;
  row.trainer = "llama-finetune (full)";
  row.base_type = "f32";
  const std::string binary = o.finetune_binary.empty() ? std::string(SCALE_LLAMA_BIN_DIR) + "/llama-finetune"
                                                       : o.finetune_binary;
  std::error_code ec;
  if (!fs::exists(binary, ec)) {
    row.problem = binary + " not found";
    return row;
  }
  const std::string model = ModelFor(o, "f32");
  const std::string c = std::to_string(o.ctx);
  ProcessResult p = RunProcess({binary, "-m", model, "-f", text_file, "-c", c, "-b", c, "-ub", c, "-epochs", "1",
                                "-val-split", "0", "-t", std::to_string(o.threads), "-ngl", "0", "-o", "/dev/null"});
  if (p.exit_code != 0) {
    const size_t assert_at = p.output.find("GGML_ASSERT(");
    row.problem = "llama-finetune failed (exit " + std::to_string(p.exit_code) + ")" +
                  (assert_at == std::string::npos ? "" : ": " + p.output.substr(assert_at, p.output.find('\n', assert_at) - assert_at));
    return row;
  }
  // Its progress bar ends with data=DONE/TOTAL windows.
  std::smatch m;
  std::string last;
  std::regex re("data=0*([0-9]+)/0*([0-9]+)");
  for (auto it = std::sregex_iterator(p.output.begin(), p.output.end(), re); it != std::sregex_iterator(); ++it) {
    last = (*it)[1].str();
  }
  if (last.empty()) {
    row.problem = "no progress line in llama-finetune's output";
    return row;
  }
  row.tokens = std::stoll(last) * o.ctx;
  row.seconds = p.seconds;
  row.peak_rss = p.peak_rss;
  return row;
}

}  // namespace

TrainBenchReport RunTrainBench(const TrainBenchOptions& options) {
  TrainBenchReport report;
  report.options = options;
  const TrainBenchOptions& o = options;
  if (o.windows < 1 || o.ctx < 16 || o.batch < 1 || o.windows % o.batch != 0) {
    throw Error(kExitUsage, "bench --train needs --train-ctx >= 16 and --train-windows a multiple of --train-batch");
  }
  const Data data = MakeData(o, ModelFor(o, o.types.empty() ? "q4_0" : o.types.front()));
  const fs::path jsonl = fs::path(o.work_dir) / "windows.jsonl";
  const fs::path text = fs::path(o.work_dir) / "windows.txt";
  WriteFileAtomic(jsonl, data.jsonl);
  WriteFileAtomic(text, data.text);
  if (o.reference) {
    LogInfo("bench --train: llama-finetune, F32 base, full fine-tuning");
    report.rows.push_back(RunFinetune(o, text.string()));
  }
  for (const std::string& type : o.types) {
    for (int rank : o.ranks) {
      LogInfo("bench --train: scale train, " + type + " base, rank " + std::to_string(rank));
      report.rows.push_back(RunScaleTrain(o, type, rank, jsonl.string(), false));
    }
  }
  if (o.keep_quantized_row && !o.types.empty() && !o.ranks.empty()) {
    LogInfo("bench --train: scale train, " + o.types.front() + " base, rank " + std::to_string(o.ranks.front()) +
            ", --keep-quantized");
    report.rows.push_back(RunScaleTrain(o, o.types.front(), o.ranks.front(), jsonl.string(), true));
  }
  return report;
}

std::string TrainBenchMarkdown(const TrainBenchReport& r) {
  const TrainBenchRow* ref = nullptr;
  for (const auto& row : r.rows) {
    if (row.rank == 0 && row.problem.empty()) ref = &row;
  }
  const std::string depth = r.options.layers > 0 ? " with " + std::to_string(r.options.layers) + " layers" : "";
  std::string md = "Training: " + r.options.preset + " shape" + depth + " (random weights), " + std::to_string(r.options.windows) +
                   " windows of " + std::to_string(r.options.ctx) + " tokens, " + std::to_string(r.options.threads) +
                   " threads; wall time of each whole process. Targets: LoRA >= 1.3x llama-finetune's tokens/s, "
                   "<= 1/3 of its peak memory.\n\n";
  md += "| trainer | base | rank | tokens | seconds | tokens/s | peak RSS | tokens/s vs finetune | memory vs finetune |\n";
  md += "|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& row : r.rows) {
    if (!row.problem.empty()) {
      md += "| " + row.trainer + " | " + row.base_type + " | " + (row.rank ? std::to_string(row.rank) : "-") +
            " | " + row.problem + " |||||||\n";
      continue;
    }
    std::string speed = "-", memory = "-";
    if (ref && &row != ref) {
      speed = FormatFixed(row.tokens_per_second() / ref->tokens_per_second(), 2) + "x";
      memory = FormatFixed(static_cast<double>(row.peak_rss) / static_cast<double>(ref->peak_rss), 2) + "x";
    }
    md += "| " + row.trainer + " | " + row.base_type + " | " + (row.rank ? std::to_string(row.rank) : "-") + " | " +
          std::to_string(row.tokens) + " | " + FormatFixed(row.seconds, 1) + " | " +
          FormatFixed(row.tokens_per_second(), 1) + " | " + FormatBytes(row.peak_rss) + " | " + speed + " | " + memory +
          " |\n";
  }
  return md;
}

nlohmann::json TrainBenchJson(const TrainBenchReport& r) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : r.rows) {
    rows.push_back({{"trainer", row.trainer}, {"base_type", row.base_type}, {"rank", row.rank}, {"keep_quantized", row.keep_quantized}, {"tokens", row.tokens},
                    {"seconds", row.seconds}, {"tokens_per_second", row.tokens_per_second()},
                    {"peak_rss_bytes", row.peak_rss}, {"problem", row.problem}});
  }
  return {{"preset", r.options.preset}, {"layers", r.options.layers}, {"ctx", r.options.ctx}, {"windows", r.options.windows},
          {"threads", r.options.threads}, {"rows", rows}};
}

}  // namespace scale::bench
